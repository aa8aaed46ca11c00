package docker

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// writeContext stores a context the way docker/cli's context store does.
func writeContext(t *testing.T, dir, name, host string, tls bool) {
	t.Helper()
	id := fmt.Sprintf("%x", sha256.Sum256([]byte(name)))
	meta := filepath.Join(dir, "contexts", "meta", id)
	os.MkdirAll(meta, 0o755)
	body := fmt.Sprintf(`{"Name":%q,"Metadata":{},"Endpoints":{"docker":{"Host":%q,"SkipTLSVerify":false}}}`, name, host)
	if err := os.WriteFile(filepath.Join(meta, "meta.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if tls {
		d := filepath.Join(dir, "contexts", "tls", id, "docker")
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "ca.pem"), []byte("x"), 0o644)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	writeContext(t, dir, "remote", "tcp://10.0.0.1:2376", true)
	writeContext(t, dir, "colima", "unix:///home/u/.colima/docker.sock", false)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"currentContext":"colima"}`), 0o644)

	for _, tc := range []struct {
		name string
		env  map[string]string
		host string
		how  string
		tls  bool
	}{
		{"DOCKER_HOST wins", map[string]string{"DOCKER_HOST": "tcp://h:2375", "DOCKER_CONTEXT": "remote", "DOCKER_CONFIG": dir}, "tcp://h:2375", "$DOCKER_HOST", false},
		{"DOCKER_CONTEXT", map[string]string{"DOCKER_CONTEXT": "remote", "DOCKER_CONFIG": dir}, "tcp://10.0.0.1:2376", `context "remote" from $DOCKER_CONTEXT`, true},
		{"current context", map[string]string{"DOCKER_CONFIG": dir}, "unix:///home/u/.colima/docker.sock", `context "colima" from the current context in`, false},
		{"the default context", map[string]string{"DOCKER_CONTEXT": "default", "DOCKER_CONFIG": dir}, DefaultHost, "the default socket", false},
		{"no config at all", map[string]string{"HOME": t.TempDir()}, DefaultHost, "the default socket", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Resolve(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if e.Host != tc.host || !strings.Contains(e.How, tc.how) || (e.TLSDir != "") != tc.tls {
				t.Errorf("Resolve = %+v, want host %s, how %q, tls %v", e, tc.host, tc.how, tc.tls)
			}
		})
	}
	_, err := Resolve(env(map[string]string{"DOCKER_CONTEXT": "missing", "DOCKER_CONFIG": dir}))
	if err == nil || !strings.Contains(err.Error(), `docker context "missing"`) {
		t.Errorf("a missing context gave %v", err)
	}
}
