package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// authFileKeychain reads the auth file podman, skopeo and buildah write:
// a JSON object whose "auths" map registries, or registries with a
// repository path, to credentials, as docker's config.json does. ggcr's
// DefaultKeychain reads that file only when there is no docker
// configuration at all; this keychain reads it also when there is one
// that has no entry for the registry.
type authFileKeychain struct{}

// authFile is where the podman auth file is: $REGISTRY_AUTH_FILE, else
// $XDG_RUNTIME_DIR/containers/auth.json, else
// ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json. The first that is set
// and exists wins; "" means there is none.
func authFile() string {
	var cands []string
	if f := os.Getenv("REGISTRY_AUTH_FILE"); f != "" {
		cands = append(cands, f)
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		cands = append(cands, filepath.Join(d, "containers", "auth.json"))
	}
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		cands = append(cands, filepath.Join(d, "containers", "auth.json"))
	} else if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, ".config", "containers", "auth.json"))
	}
	for _, f := range cands {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			return f
		}
	}
	return ""
}

// Resolve finds the credentials for target, the most specific entry first:
// registry/namespace/repo, registry/namespace, then registry.
func (authFileKeychain) Resolve(target authn.Resource) (authn.Authenticator, error) {
	path := authFile()
	if path == "" {
		return authn.Anonymous, nil
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return authn.Anonymous, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading auth file %s: %w", path, err)
	}
	var file struct {
		Auths map[string]authn.AuthConfig `json:"auths"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		// The decoder's message may quote the file; say only where it is.
		return nil, fmt.Errorf("auth file %s is not valid JSON of the docker config.json form", path)
	}
	byKey := make(map[string]authn.AuthConfig, len(file.Auths))
	for k, v := range file.Auths {
		byKey[normalizeAuthKey(k)] = v
	}
	for _, key := range authKeys(target) {
		if cfg, ok := byKey[key]; ok && cfg != (authn.AuthConfig{}) {
			return authn.FromConfig(cfg), nil
		}
	}
	return authn.Anonymous, nil
}

// authKeys lists the keys to look up for target, most specific first.
func authKeys(target authn.Resource) []string {
	reg := normalizeAuthKey(target.RegistryStr())
	s := normalizeAuthKey(target.String())
	var keys []string
	for s != reg && strings.HasPrefix(s, reg+"/") {
		keys = append(keys, s)
		s = s[:strings.LastIndex(s, "/")]
	}
	return append(keys, reg)
}

// normalizeAuthKey turns the ways auth files name a registry
// (https://index.docker.io/v1/, docker.io, registry-1.docker.io,
// http://host:5000) into one form: host[:port][/path].
func normalizeAuthKey(k string) string {
	k = strings.TrimPrefix(strings.TrimPrefix(k, "https://"), "http://")
	k = strings.TrimSuffix(strings.TrimSuffix(k, "/"), "/v1")
	k = strings.TrimSuffix(strings.TrimSuffix(k, "/"), "/v2")
	host, rest, _ := strings.Cut(k, "/")
	switch host {
	case "docker.io", "registry-1.docker.io", name.DefaultRegistry:
		host = name.DefaultRegistry
	}
	if rest == "" {
		return host
	}
	return host + "/" + rest
}
