package main

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// files lists the files below dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

// The cache as a user manages it: --no-cache and STRATA_NO_CACHE write
// nothing at all, an inspect keeps one entry for each of demo.tar's 9
// layers, "cache dir" names where, and "cache prune" removes what --max
// does not keep, saying how much.
func TestCacheCommands(t *testing.T) {
	demo := demoImage(t)
	home := t.TempDir()
	env := map[string]string{"XDG_CACHE_HOME": home}
	out := filepath.Join(t.TempDir(), "r.json")

	if r := strata(t, env, "inspect", "--ci=false", "--no-cache", "--json", out, demo); r.code != exitOK {
		t.Fatalf("inspect --no-cache: %s", r)
	}
	if f := files(t, home); len(f) != 0 {
		t.Errorf("inspect --no-cache wrote %v", f)
	}
	noCache := map[string]string{"XDG_CACHE_HOME": home, "STRATA_NO_CACHE": "1"}
	if r := strata(t, noCache, "inspect", "--ci=false", "--json", out, demo); r.code != exitOK {
		t.Fatalf("inspect with STRATA_NO_CACHE=1: %s", r)
	}
	if f := files(t, home); len(f) != 0 {
		t.Errorf("inspect with STRATA_NO_CACHE=1 wrote %v", f)
	}

	dir := filepath.Join(home, "strata", "layers")
	if r := strata(t, env, "cache", "dir"); r.code != exitOK || r.stdout != dir+"\n" {
		t.Errorf("cache dir: %s", r)
	}
	if r := strata(t, env, "inspect", "--ci=false", "--json", out, demo); r.code != exitOK {
		t.Fatalf("inspect: %s", r)
	}
	cached := files(t, dir)
	if len(cached) != 9 {
		t.Fatalf("inspect of 9 layers left %d files in the cache: %v", len(cached), cached)
	}

	if r := strata(t, env, "cache", "prune", "--max", "1GB"); r.code != exitOK || !strings.HasPrefix(r.stdout, "removed 0 cached layers (0 B) from ") {
		t.Errorf("cache prune --max 1GB: %s", r)
	}
	if f := files(t, dir); !slices.Equal(f, cached) {
		t.Errorf("cache prune --max 1GB left %v, want %v", f, cached)
	}
	r := strata(t, env, "cache", "prune", "--max", "abc")
	if r.code != exitError || r.stdout != "" || len(lines(r.stderr)) != 1 || !strings.Contains(r.stderr, `--max "abc" is not a size`) {
		t.Errorf("cache prune --max abc: %s", r)
	}
	r = strata(t, env, "cache", "prune")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "removed 9 cached layers (") || !strings.HasSuffix(r.stdout, ") from "+dir+"\n") {
		t.Errorf("cache prune: %s", r)
	}
	if f := files(t, dir); len(f) != 0 {
		t.Errorf("cache prune left %v", f)
	}
}
