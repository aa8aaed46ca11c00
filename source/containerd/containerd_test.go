package containerd

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, tc := range []struct {
		opts []Option
		want Endpoint
	}{
		{[]Option{WithGetenv(env(nil))}, Endpoint{DefaultAddress, "the default socket", "default"}},
		{[]Option{WithGetenv(env(map[string]string{"CONTAINERD_ADDRESS": "/run/k3s/containerd/containerd.sock", "CONTAINERD_NAMESPACE": "k8s.io"}))},
			Endpoint{"/run/k3s/containerd/containerd.sock", "$CONTAINERD_ADDRESS", "k8s.io"}},
		{[]Option{WithGetenv(env(map[string]string{"CONTAINERD_ADDRESS": "/a.sock", "CONTAINERD_NAMESPACE": "k8s.io"})), WithAddress("/b.sock"), WithNamespace("moby")},
			Endpoint{"/b.sock", "the address given", "moby"}},
		{[]Option{WithGetenv(env(map[string]string{"CONTAINERD_NAMESPACE": "k8s.io"})), WithNamespace("")},
			Endpoint{DefaultAddress, "the default socket", "k8s.io"}},
	} {
		if got := Resolve(tc.opts...); got != tc.want {
			t.Errorf("Resolve = %+v, want %+v", got, tc.want)
		}
	}
}

func TestNames(t *testing.T) {
	for ref, want := range map[string][]string{
		"busybox":                            {"busybox", "docker.io/library/busybox:latest"},
		"strata-test/fixture:latest":         {"strata-test/fixture:latest", "docker.io/strata-test/fixture:latest"},
		"docker.io/library/busybox:latest":   {"docker.io/library/busybox:latest"},
		"registry.k8s.io/pause:3.9":          {"registry.k8s.io/pause:3.9"},
		"sha256:" + strings.Repeat("ab", 32): {"sha256:" + strings.Repeat("ab", 32)},
		"Not A Reference":                    {"Not A Reference"},
		"localhost:5000/app":                 {"localhost:5000/app", "localhost:5000/app:latest"},
	} {
		if got := names(ref); !slices.Equal(got, want) {
			t.Errorf("names(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestSocketPath(t *testing.T) {
	for addr, want := range map[string]string{
		"/run/containerd/containerd.sock":        "/run/containerd/containerd.sock",
		"unix:///run/containerd/containerd.sock": "/run/containerd/containerd.sock",
		"npipe:////./pipe/containerd-containerd": "",
	} {
		if got := socketPath(addr); got != want {
			t.Errorf("socketPath(%q) = %q, want %q", addr, got, want)
		}
	}
}

// No containerd: a missing socket and a file that is not one are both
// ErrUnreachable, in one line that names the address and where it came
// from.
func TestOpenUnreachable(t *testing.T) {
	dir := t.TempDir()
	notSocket := filepath.Join(dir, "file")
	if err := os.WriteFile(notSocket, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := Open(ctx, " "); err == nil || !strings.Contains(err.Error(), "no image named") {
		t.Errorf("an empty reference: %v", err)
	}
	for _, addr := range []string{filepath.Join(dir, "none.sock"), notSocket} {
		_, err := Open(ctx, "busybox", WithAddress(addr), WithGetenv(func(string) string { return "" }))
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), addr) ||
			!strings.Contains(err.Error(), "the address given") || strings.Contains(err.Error(), "\n") {
			t.Errorf("containerd at %s: %v", addr, err)
		}
	}
}
