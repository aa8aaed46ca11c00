package docker

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultHost is the Docker daemon's default socket.
const DefaultHost = "unix:///var/run/docker.sock"

// Endpoint is where a daemon is and how that was decided.
type Endpoint struct {
	Host string
	// How says where Host came from, for error messages: "$DOCKER_HOST",
	// `context "colima" ($DOCKER_CONTEXT)`…
	How string
	// TLSDir holds ca.pem, cert.pem and key.pem for a context with TLS.
	TLSDir        string
	SkipTLSVerify bool
}

func (e Endpoint) String() string { return e.Host + " (" + e.How + ")" }

// contextMeta is docker/cli's contexts/meta/<sha256 of name>/meta.json.
type contextMeta struct {
	Name      string
	Endpoints map[string]struct {
		Host          string
		SkipTLSVerify bool
	}
}

// Resolve finds the daemon the docker CLI would talk to.
func Resolve(getenv func(string) string) (Endpoint, error) {
	if h := getenv("DOCKER_HOST"); h != "" {
		return Endpoint{Host: h, How: "$DOCKER_HOST"}, nil
	}
	configDir := getenv("DOCKER_CONFIG")
	if configDir == "" {
		if home := getenv("HOME"); home != "" {
			configDir = filepath.Join(home, ".docker")
		}
	}
	name, how := getenv("DOCKER_CONTEXT"), "$DOCKER_CONTEXT"
	if name == "" && configDir != "" {
		var cfg struct{ CurrentContext string }
		b, err := os.ReadFile(filepath.Join(configDir, "config.json"))
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &cfg); err != nil {
				return Endpoint{}, fmt.Errorf("reading %s: %w", filepath.Join(configDir, "config.json"), err)
			}
			name, how = cfg.CurrentContext, "the current context in "+filepath.Join(configDir, "config.json")
		case !errors.Is(err, fs.ErrNotExist):
			return Endpoint{}, fmt.Errorf("reading docker config: %w", err)
		}
	}
	if name == "" || name == "default" {
		return Endpoint{Host: DefaultHost, How: "the default socket"}, nil
	}
	if configDir == "" {
		return Endpoint{}, fmt.Errorf("docker context %q (%s): no docker config directory ($DOCKER_CONFIG or $HOME)", name, how)
	}
	id := fmt.Sprintf("%x", sha256.Sum256([]byte(name)))
	metaPath := filepath.Join(configDir, "contexts", "meta", id, "meta.json")
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return Endpoint{}, fmt.Errorf("docker context %q (%s): %w", name, how, err)
	}
	var meta contextMeta
	if err := json.Unmarshal(b, &meta); err != nil {
		return Endpoint{}, fmt.Errorf("docker context %q: reading %s: %w", name, metaPath, err)
	}
	ep, ok := meta.Endpoints["docker"]
	if !ok || ep.Host == "" {
		return Endpoint{}, fmt.Errorf("docker context %q (%s) has no docker endpoint", name, how)
	}
	e := Endpoint{Host: ep.Host, How: fmt.Sprintf("context %q from %s", name, how), SkipTLSVerify: ep.SkipTLSVerify}
	tls := filepath.Join(configDir, "contexts", "tls", id, "docker")
	if _, err := os.Stat(filepath.Join(tls, "ca.pem")); err == nil {
		e.TLSDir = tls
	}
	return e, nil
}
