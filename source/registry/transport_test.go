package registry

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
)

func TestPlainHTTPAllowed(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost":               true,
		"localhost:5000":          true,
		"LOCALHOST:5000":          true,
		"127.0.0.1":               true,
		"127.0.0.1:5000":          true,
		"127.8.9.10:80":           true,
		"[::1]:5000":              true,
		"::1":                     true,
		"[::ffff:127.0.0.1]:5000": true,
		"registry.example.com":    false,
		"index.docker.io":         false,
		"10.0.0.1:5000":           false,
		"192.168.1.10":            false,
		"172.16.0.1:443":          false,
		"myhost.local:5000":       false,
		"localhost.example.com":   false,
		"mylocalhost:5000":        false,
		"128.0.0.1":               false,
		"[::2]:5000":              false,
		"0.0.0.0:5000":            false,
	} {
		if got := plainHTTPAllowed(host, false); got != want {
			t.Errorf("plainHTTPAllowed(%q) = %v, want %v", host, got, want)
		}
		if !plainHTTPAllowed(host, true) {
			t.Errorf("plainHTTPAllowed(%q, insecure) = false", host)
		}
	}
}

// TestPlainHTTPRefused sends requests for a private-network registry to an
// in-process plain HTTP registry: ggcr would fall back to HTTP for it, but
// strata only does with WithInsecure.
func TestPlainHTTPRefused(t *testing.T) {
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	target, _ := url.Parse(srv.URL)
	var dialer net.Dialer
	redirect := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, target.Host)
	}}

	for _, ref := range []string{"10.1.2.3:5000/x/y:1", "registry.local:5000/x/y:1", "registry.example.com/x/y:1"} {
		_, err := Open(context.Background(), ref, WithTransport(redirect))
		if !errors.Is(err, ErrPlainHTTP) {
			t.Errorf("%s without --insecure: %v, want ErrPlainHTTP", ref, err)
			continue
		}
		want := ref + ": " + strings.Split(ref, "/")[0] + " answers in plain HTTP, which is only used for loopback registries (use --insecure to allow it)"
		if err.Error() != want {
			t.Errorf("error = %q\nwant %q", err, want)
		}
		// With --insecure the request is made, and the empty registry says so.
		_, err = Open(context.Background(), ref, WithTransport(redirect), WithInsecure(true))
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s with --insecure: %v, want ErrNotFound", ref, err)
		}
	}
}

func TestAuthKeys(t *testing.T) {
	repo, err := name.NewRepository("quay.io/org/team/app")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(authKeys(repo), " ")
	if want := "quay.io/org/team/app quay.io/org/team quay.io/org quay.io"; got != want {
		t.Errorf("authKeys = %s, want %s", got, want)
	}
	for in, want := range map[string]string{
		"https://index.docker.io/v1/": "index.docker.io",
		"docker.io":                   "index.docker.io",
		"registry-1.docker.io":        "index.docker.io",
		"http://localhost:5000":       "localhost:5000",
		"quay.io/org/":                "quay.io/org",
		"https://ghcr.io/v2/":         "ghcr.io",
	} {
		if got := normalizeAuthKey(in); got != want {
			t.Errorf("normalizeAuthKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAuthFileKeychain(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	f := dir + "/auth.json"
	t.Setenv("REGISTRY_AUTH_FILE", f)
	repo, _ := name.NewRepository("alpine")

	if a, err := (authFileKeychain{}).Resolve(repo); err != nil || a != authn.Anonymous {
		t.Errorf("without a file: %v, %v; want Anonymous", a, err)
	}
	write := func(s string) {
		t.Helper()
		if err := writeFile(f, s); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"auths":{"docker.io":{"auth":"dTpw"}, "docker.io/library/alpine":{"username":"a","password":"b"}}}`)
	a, err := (authFileKeychain{}).Resolve(repo)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := a.Authorization()
	if cfg.Username != "a" || cfg.Password != "b" {
		t.Errorf("credentials = %s:%s, want the repository's a:b", cfg.Username, cfg.Password)
	}
	other, _ := name.NewRepository("busybox")
	a, _ = (authFileKeychain{}).Resolve(other)
	if cfg, _ := a.Authorization(); cfg.Username != "u" || cfg.Password != "p" {
		t.Errorf("credentials = %s:%s, want the registry's u:p", cfg.Username, cfg.Password)
	}

	write(`{"auths": {"x": "secret-in-a-broken-file`)
	if _, err := (authFileKeychain{}).Resolve(repo); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("broken file: %v; want an error that does not quote it", err)
	}
}

func TestScrub(t *testing.T) {
	d := &describer{secrets: []string{"hunter2"}}
	got := d.scrub("GET https://user:pw@reg.example.com/v2/x/blobs/sha256:1?token=abc&sig=hunter2: bad\nsecond line hunter2")
	want := "GET https://reg.example.com/v2/x/blobs/sha256:1: bad second line ****"
	if got != want {
		t.Errorf("scrub = %q\nwant %q", got, want)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
