package registry_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/source/registry"
)

// writeAuths writes a docker config.json style file at path giving
// user:pass for host.
func writeAuths(t *testing.T, path, host, user, pass string) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"auths": map[string]any{
		host: map[string]string{"auth": base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// isolate points every place credentials are looked for at empty
// directories.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("DOCKER_CONFIG", filepath.Join(dir, "docker"))
	t.Setenv("REGISTRY_AUTH_FILE", "")
	t.Setenv("XDG_RUNTIME_DIR", filepath.Join(dir, "run"))
	t.Setenv("XDG_CONFIG_HOME", "")
	return dir
}

// TestDefaultKeychain finds credentials where docker, podman and skopeo
// keep them.
func TestDefaultKeychain(t *testing.T) {
	const user, pass = "strata", "auth-file-Pa55"
	host := serve(t, basicAuth(user, pass))
	ref := host + "/strata/private:1"
	push(t, ref, buildImage(t), remote.WithAuth(&authn.Basic{Username: user, Password: pass}))

	for _, tc := range []struct {
		name  string
		write func(t *testing.T, dir string)
	}{
		{"DOCKER_CONFIG", func(t *testing.T, dir string) {
			writeAuths(t, filepath.Join(dir, "docker", "config.json"), host, user, pass)
		}},
		{"REGISTRY_AUTH_FILE", func(t *testing.T, dir string) {
			f := filepath.Join(dir, "elsewhere", "auth.json")
			writeAuths(t, f, host, user, pass)
			t.Setenv("REGISTRY_AUTH_FILE", f)
		}},
		{"XDG_RUNTIME_DIR", func(t *testing.T, dir string) {
			writeAuths(t, filepath.Join(dir, "run", "containers", "auth.json"), host, user, pass)
		}},
		{"~/.config", func(t *testing.T, dir string) {
			writeAuths(t, filepath.Join(dir, "home", ".config", "containers", "auth.json"), host, user, pass)
		}},
		{"podman file beside a docker config without the registry", func(t *testing.T, dir string) {
			writeAuths(t, filepath.Join(dir, "docker", "config.json"), "other.example.com", "someone", "else")
			writeAuths(t, filepath.Join(dir, "run", "containers", "auth.json"), "http://"+host+"/strata", user, pass)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := isolate(t)
			openErr(t, context.Background(), ref, registry.ErrUnauthorized)
			tc.write(t, dir)
			if d := openImage(t, ref).Digest(); d.Hex == "" {
				t.Error("no manifest digest")
			}
		})
	}
}
