package imagetest

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func tarNames(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
}

func TestWriteDockerArchive(t *testing.T) {
	img, err := Image(demoSteps())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "img.tar")
	if err := WriteDockerArchive(path, img, "strata-test:v1"); err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag("strata-test:v1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tarball.ImageFromPath(path, &tag)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := got.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 2 {
		t.Errorf("read back %d layers, want 2", len(layers))
	}
	cf, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.History) != 4 {
		t.Errorf("read back %d history entries, want 4", len(cf.History))
	}
	want, _ := img.ConfigName()
	if have, _ := got.ConfigName(); have != want {
		t.Errorf("config digest = %s, want %s", have, want)
	}

	untagged := filepath.Join(t.TempDir(), "untagged.tar")
	if err := WriteDockerArchive(untagged, img, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := tarball.ImageFromPath(untagged, nil); err != nil {
		t.Errorf("reading untagged archive: %v", err)
	}
	if err := WriteDockerArchive(untagged, img, "Not A Tag"); err == nil {
		t.Error("want error for an invalid tag")
	}
}

func twoPlatforms(t *testing.T) v1.ImageIndex {
	t.Helper()
	amd, err := Image(demoSteps())
	if err != nil {
		t.Fatal(err)
	}
	arm, err := Image(demoSteps(), WithPlatform("linux", "arm64", "v8"))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func TestIndexPlatforms(t *testing.T) {
	im, err := twoPlatforms(t).IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 2 {
		t.Fatalf("index holds %d manifests, want 2", len(im.Manifests))
	}
	want := []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64", Variant: "v8"}}
	for i, m := range im.Manifests {
		if m.Platform == nil || !m.Platform.Equals(want[i]) {
			t.Errorf("manifest %d platform = %+v, want %+v", i, m.Platform, want[i])
		}
	}
}

func TestWriteOCILayout(t *testing.T) {
	dir := t.TempDir()
	if err := WriteOCILayout(dir, twoPlatforms(t)); err != nil {
		t.Fatal(err)
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 2 {
		t.Fatalf("layout index holds %d manifests, want 2", len(im.Manifests))
	}
	img, err := idx.Image(im.Manifests[1].Digest)
	if err != nil {
		t.Fatal(err)
	}
	if layers, err := img.Layers(); err != nil || len(layers) != 2 {
		t.Errorf("image has %d layers (err %v), want 2", len(layers), err)
	}
}

func TestWriteOCIArchive(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tar"), filepath.Join(dir, "b.tar")
	for _, p := range []string{a, b} {
		if err := WriteOCIArchive(p, twoPlatforms(t)); err != nil {
			t.Fatal(err)
		}
	}
	names := map[string]bool{}
	for _, n := range tarNames(t, a) {
		names[n] = true
	}
	for _, n := range []string{"oci-layout", "index.json", "blobs/", "blobs/sha256/"} {
		if !names[n] {
			t.Errorf("archive lacks %s; has %v", n, names)
		}
	}
	if names["manifest.json"] {
		t.Error("OCI archive has a manifest.json")
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("two OCI archives of the same index differ")
	}
}
