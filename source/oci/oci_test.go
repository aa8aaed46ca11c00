package oci

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source/internal/metadata"
)

func nestedLayout(t *testing.T, depth int) string {
	t.Helper()
	img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "COPY f /f", Entries: []imagetest.Entry{imagetest.Reg("f", "x")}}},
		imagetest.WithOCIMediaTypes())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := imagetest.Index(img)
	if err != nil {
		t.Fatal(err)
	}
	for range depth {
		idx = mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: idx})
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, idx); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestNestingDepth(t *testing.T) {
	img, err := OpenDir(nestedLayout(t, metadata.MaxDepth))
	if err != nil {
		t.Fatalf("index nested %d deep: %v", metadata.MaxDepth, err)
	}
	if got := img.Platform(); got.OS != "linux" || got.Architecture != "amd64" {
		t.Errorf("platform %v", got)
	}
	img.Close()
	_, err = OpenDir(nestedLayout(t, metadata.MaxDepth+1))
	if err == nil || !strings.Contains(err.Error(), "nest more than") {
		t.Errorf("index nested too deep: %v", err)
	}
}

func TestOpenDirNotLayout(t *testing.T) {
	_, err := OpenDir(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "not an OCI layout") {
		t.Errorf("empty dir: %v", err)
	}
}

func TestPlatformOf(t *testing.T) {
	cfg := &v1.ConfigFile{OS: "linux", Architecture: "arm", Variant: "v7"}
	if got := platformOf(v1.Descriptor{}, cfg); got.Variant != "v7" {
		t.Errorf("from config: %v", got)
	}
	p := &v1.Platform{OS: "linux", Architecture: "arm64"}
	if got := platformOf(v1.Descriptor{Platform: p}, cfg); got.Architecture != "arm64" {
		t.Errorf("from descriptor: %v", got)
	}
}

func TestContextStopsResolving(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := OpenDir(nestedLayout(t, 2), WithContext(ctx))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("opening with a canceled context: %v", err)
	}
}
