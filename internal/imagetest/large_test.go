package imagetest

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func TestGenerateLarge(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "gzip"}[gz], func(t *testing.T) {
			o := LargeOptions{Seed: 42, Layers: 10, Files: 2000, TotalBytes: 20 << 20, Gzip: gz}
			p := filepath.Join(t.TempDir(), "large.tar")
			st, err := GenerateLarge(p, o)
			if err != nil {
				t.Fatal(err)
			}
			checkLargeStats(t, st, o)
			img, err := tarball.ImageFromPath(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			layers, err := img.Layers()
			if err != nil {
				t.Fatal(err)
			}
			if len(layers) != o.Layers {
				t.Fatalf("ggcr reads %d layers, want %d", len(layers), o.Layers)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range layers {
				d, err := l.DiffID()
				if err != nil {
					t.Fatal(err)
				}
				if d != st.Layers[i].DiffID || cf.RootFS.DiffIDs[i] != d {
					t.Errorf("layer %d diffID %s, stats say %s", i, d, st.Layers[i].DiffID)
				}
			}
			// The last layer deletes the apt lists file by file.
			names := layerNames(t, layers[len(layers)-1].Uncompressed)
			wh := 0
			for _, n := range names {
				if strings.HasPrefix(n, "var/lib/apt/lists/.wh.") {
					wh++
				}
			}
			if wh != st.Layers[len(layers)-1].Whiteouts || wh < 250 {
				t.Errorf("last layer has %d list whiteouts, stats say %d", wh, st.Layers[len(layers)-1].Whiteouts)
			}
		})
	}
}

func checkLargeStats(t *testing.T, st LargeStats, o LargeOptions) {
	t.Helper()
	if len(st.Layers) != o.Layers {
		t.Fatalf("stats hold %d layers, want %d", len(st.Layers), o.Layers)
	}
	if st.ContentBytes != o.TotalBytes {
		t.Errorf("content bytes = %d, want %d", st.ContentBytes, o.TotalBytes)
	}
	n := o.Layers
	if w := st.Layers[n-2].Whiteouts; w != 1 {
		t.Errorf("tree deletion layer has %d whiteouts, want 1", w)
	}
	if w := st.Layers[n-3].Whiteouts; w != 1 {
		t.Errorf("opaque layer has %d whiteouts, want 1 (the marker)", w)
	}
	if c := st.Layers[n-4]; c.Entries == 0 || c.ContentBytes == 0 {
		t.Errorf("chmod layer is empty: %+v", c)
	}
	if st.Entries < o.Files || st.ArchiveBytes == 0 {
		t.Errorf("entries = %d, archive = %d bytes", st.Entries, st.ArchiveBytes)
	}
	if o.Gzip && st.Layers[0].BlobBytes >= st.Layers[0].UncompressedBytes {
		t.Errorf("gzip did not shrink the base layer: %d >= %d", st.Layers[0].BlobBytes, st.Layers[0].UncompressedBytes)
	}
}

func layerNames(t *testing.T, open func() (io.ReadCloser, error)) []string {
	t.Helper()
	rc, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var names []string
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
}

func TestGenerateLargeChurn(t *testing.T) {
	o := LargeOptions{Seed: 7, Layers: 8, Files: 500, TotalBytes: 2 << 20}
	p := filepath.Join(t.TempDir(), "large.tar")
	if _, err := GenerateLarge(p, o); err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string][]int{} // regular file path -> layers holding it
	for i, l := range layers {
		for _, n := range layerNames(t, l.Uncompressed) {
			if !strings.HasSuffix(n, "/") && !strings.Contains(n, ".wh.") {
				seen[n] = append(seen[n], i)
			}
		}
	}
	twice := false
	for _, ls := range seen {
		twice = twice || len(ls) >= 3
	}
	if !twice {
		t.Error("no file is rewritten in two later layers")
	}
	names := layerNames(t, layers[o.Layers-2].Uncompressed)
	if strings.Join(names, ",") != "opt/,opt/.wh.vendor" {
		t.Errorf("tree deletion layer = %v", names)
	}
	names = layerNames(t, layers[o.Layers-3].Uncompressed)
	if len(names) < 3 || names[1] != "app/assets/" || names[2] != "app/assets/.wh..wh..opq" {
		t.Errorf("opaque layer starts %v", names[:min(3, len(names))])
	}
}

func TestGenerateLargeReproducible(t *testing.T) {
	dir := t.TempDir()
	o := LargeOptions{Seed: 3, Layers: 7, Files: 300, TotalBytes: 1 << 20, Gzip: true}
	var got [3][]byte
	for i := range got {
		if i == 2 {
			o.Seed = 4
		}
		p := filepath.Join(dir, "l.tar")
		if _, err := GenerateLarge(p, o); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got[i] = b
	}
	if !bytes.Equal(got[0], got[1]) {
		t.Error("same seed gave different archives")
	}
	if bytes.Equal(got[0], got[2]) {
		t.Error("different seeds gave the same archive")
	}
}

func TestGenerateLargeOptions(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.tar")
	for _, o := range []LargeOptions{{Layers: 3}, {Files: 10}, {TotalBytes: -1}} {
		if _, err := GenerateLarge(p, o); err == nil {
			t.Errorf("GenerateLarge(%+v) succeeded, want error", o)
		}
	}
}

// TestGenerateLargeMemory checks that allocation does not grow with
// TotalBytes: content is streamed, never buffered.
func TestGenerateLargeMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 100 MB")
	}
	alloc := func(total int64) uint64 {
		p := filepath.Join(t.TempDir(), "m.tar")
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := GenerateLarge(p, LargeOptions{Seed: 1, Layers: 8, Files: 1000, TotalBytes: total}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, big := alloc(4<<20), alloc(96<<20)
	if big > small+8<<20 {
		t.Errorf("allocated %d bytes for 4 MiB but %d for 96 MiB of content", small, big)
	}
}
