package registry_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/source/registry"
)

// TestEachBlobFetchedOnce checks that Open downloads no layer and that one
// analysis downloads each layer blob exactly once, with one GET.
func TestEachBlobFetchedOnce(t *testing.T) {
	var c blobCounter
	host := serve(t, c.wrap)
	ref := host + "/strata/demo:count"
	want := buildImage(t)
	push(t, ref, want)
	c.reset()

	img := openImage(t, ref)
	mf, err := want.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	gets, all := c.snapshot()
	if len(all) != 1 || gets[mf.Config.Digest.String()] != 1 {
		t.Errorf("Open made blob requests %v; want only one GET of the config %s", all, mf.Config.Digest)
	}
	c.reset()

	if _, err := analyze.Analyze(context.Background(), img); err != nil {
		t.Fatal(err)
	}
	gets, all = c.snapshot()
	if len(all) != len(mf.Layers) {
		t.Errorf("the analysis made blob requests %v; want one GET of each of %d layers", all, len(mf.Layers))
	}
	for _, l := range mf.Layers {
		if n := gets[l.Digest.String()]; n != 1 {
			t.Errorf("layer %s fetched %d times, want 1", l.Digest, n)
		}
	}
}

// TestParallelDownloads checks that the analysis has several layers
// downloading at once: the registry holds every layer blob until all of
// them have been asked for.
func TestParallelDownloads(t *testing.T) {
	want := buildImage(t)
	layers, _ := want.Layers()
	var (
		mu      sync.Mutex
		waiting = len(layers)
		all     = make(chan struct{})
	)
	host := serve(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/strata/par/blobs/") {
				mf, _ := want.Manifest()
				if !strings.HasSuffix(r.URL.Path, mf.Config.Digest.String()) {
					mu.Lock()
					if waiting--; waiting == 0 {
						close(all)
					}
					mu.Unlock()
					select {
					case <-all:
					case <-r.Context().Done():
						return
					}
				}
			}
			next.ServeHTTP(w, r)
		})
	})
	ref := host + "/strata/par:1"
	push(t, ref, want)
	// Should the layers be read one by one, the deadline ends the wait.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	img, err := registry.Open(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	if _, err := analyze.Analyze(ctx, img, analyze.WithParallelism(len(layers))); err != nil {
		t.Fatal(err)
	}
}

func TestUserAgent(t *testing.T) {
	var (
		mu     sync.Mutex
		agents = map[string]bool{}
	)
	host := serve(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			agents[r.Header.Get("User-Agent")] = true
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	})
	ref := host + "/strata/demo:ua"
	push(t, ref, buildImage(t))
	mu.Lock()
	clear(agents)
	mu.Unlock()

	img := openImage(t, ref, registry.WithUserAgent("strata/1.2.3"))
	if _, err := analyze.Analyze(context.Background(), img); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for ua := range agents {
		if !strings.HasPrefix(ua, "strata/1.2.3 ") {
			t.Errorf("User-Agent %q does not start with strata/1.2.3", ua)
		}
	}
	if len(agents) == 0 {
		t.Error("no requests seen")
	}
}
