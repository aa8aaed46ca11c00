package main

import (
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/strata-dev/strata/internal/imagetest"
)

// A registry image whose layers are in the layer cache is analysed from
// the manifest and config alone: the second inspect downloads no layer
// blob, and its report is the first one's.
func TestCachedLayersAreNotDownloaded(t *testing.T) {
	img, err := imagetest.Image([]imagetest.Step{
		{CreatedBy: "ADD base", Entries: []imagetest.Entry{imagetest.Dir("/etc"), imagetest.Reg("/etc/motd", "hi\n")}},
		{CreatedBy: "RUN make", Entries: []imagetest.Entry{{Path: "/app/bin", Size: 300 << 10}}},
		{CreatedBy: "RUN rm /etc/motd", Entries: []imagetest.Entry{imagetest.Reg("/etc/.wh.motd", "")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	layerGets := 0
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isLayerBlob(r, img) {
				mu.Lock()
				layerGets++
				mu.Unlock()
			}
			h.ServeHTTP(w, r)
		})
	}
	ref := "registry://" + testRegistry(t, img, wrap, nil)
	env := map[string]string{"XDG_CACHE_HOME": t.TempDir()}
	dir := t.TempDir()
	gets := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := layerGets
		layerGets = 0
		return n
	}

	first := filepath.Join(dir, "first.json")
	if r := strata(t, env, "inspect", "--ci=false", "--json", first, ref); r.code != exitOK {
		t.Fatalf("the first inspect: %s", r)
	}
	if n := gets(); n != 3 {
		t.Fatalf("the first inspect fetched %d layer blobs, want the 3 layers once each", n)
	}
	second := filepath.Join(dir, "second.json")
	if r := strata(t, env, "inspect", "--ci=false", "--json", second, ref); r.code != exitOK {
		t.Fatalf("the second inspect: %s", r)
	}
	if n := gets(); n != 0 {
		t.Errorf("the second inspect fetched %d layer blobs, want none: every layer is cached", n)
	}
	a, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(second)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("the report from the cache differs from the first:\n%s\n--- first:\n%s", b, a)
	}

	// --no-cache reads every layer again.
	if r := strata(t, env, "inspect", "--ci=false", "--no-cache", "--json", second, ref); r.code != exitOK {
		t.Fatalf("inspect --no-cache: %s", r)
	}
	if n := gets(); n != 3 {
		t.Errorf("inspect --no-cache fetched %d layer blobs, want 3", n)
	}
}
