package source_test

import (
	"path/filepath"
	"testing"

	"github.com/strata-dev/strata/source"
)

// TestKanikoFixture reads dive's kaniko image: a docker archive whose
// layers are stored as <digest>.tar.gz members.
func TestKanikoFixture(t *testing.T) {
	path := filepath.Join(diveFixtures(t), "test-kaniko-image.tar")
	check := noLeaks(t)
	img, res := openAnalyze(t, path)
	if img.Kind != source.DockerArchive {
		t.Errorf("kind %q, want docker-archive", img.Kind)
	}
	if got := source.FormatPlatform(img.Platform); got != "linux/amd64" {
		t.Errorf("platform %s, want linux/amd64", got)
	}
	for i, l := range res.Layers {
		if want := l.Digest.Hex + ".tar.gz"; l.ID != want {
			t.Errorf("layer %d id %q, want its member's name %q, as dive gives it", i, l.ID, want)
		}
	}
	if len(res.Layers) != 14 {
		t.Fatalf("got %d layers, want 14", len(res.Layers))
	}
	for i, l := range res.Layers {
		if l.CompressedSize >= l.UncompressedSize {
			t.Errorf("layer %d: %d bytes stored for %d uncompressed; not read as gzip", i, l.CompressedSize, l.UncompressedSize)
		}
		if len(l.Warnings) != 0 {
			t.Errorf("layer %d: warnings %v", i, l.Warnings)
		}
	}
	if _, ok := res.Tree.Lookup("/root/example/somefile1.txt"); !ok {
		t.Error("no /root/example/somefile1.txt")
	}
	img.Close()
	check()
}

// TestDiveFixtures opens every image among dive's fixtures as the kind it
// is.
func TestDiveFixtures(t *testing.T) {
	dir := diveFixtures(t)
	for name, kind := range map[string]source.Kind{
		"test-docker-image.tar":           source.DockerArchive,
		"test-kaniko-image.tar":           source.DockerArchive,
		"test-oci-gzip-image.tar":         source.OCIArchive,
		"test-oci-zstd-image.tar":         source.OCIArchive,
		"test-oci-estargz-image.tar":      source.OCIArchive,
		"test-oci-uncompressed-image.tar": source.OCIArchive,
	} {
		t.Run(name, func(t *testing.T) {
			img, res := openAnalyze(t, filepath.Join(dir, name))
			if img.Kind != kind {
				t.Errorf("kind %q, want %q", img.Kind, kind)
			}
			if len(res.Layers) == 0 {
				t.Error("no layers")
			}
		})
	}
}
