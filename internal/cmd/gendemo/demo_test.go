package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// checkedIn is the committed demo image, relative to this package.
const checkedIn = "../../../testdata/demo.tar"

func generate(t *testing.T) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "demo.tar")
	if err := writeDemo(p); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterministic(t *testing.T) {
	if a, b := generate(t), generate(t); !bytes.Equal(a, b) {
		t.Fatal("two runs wrote different bytes")
	}
}

func TestCheckedInIsFresh(t *testing.T) {
	want, err := os.ReadFile(checkedIn)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(generate(t), want) {
		t.Fatal("testdata/demo.tar is stale; run: go run ./internal/cmd/gendemo -o testdata/demo.tar")
	}
}

func TestShape(t *testing.T) {
	fi, err := os.Stat(checkedIn)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() >= 2<<20 {
		t.Errorf("demo.tar is %d bytes, want under 2 MiB", fi.Size())
	}
	tag, err := name.NewTag(demoTag)
	if err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(checkedIn, &tag)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 9 || len(cf.History) != 15 {
		t.Errorf("got %d layers and %d history entries, want 9 and 15", len(layers), len(cf.History))
	}
}
