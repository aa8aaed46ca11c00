package registry_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/internal/platforms"
	"github.com/strata-dev/strata/source/registry"
)

// TestMatchesArchive checks that an image pulled from a registry analyzes
// exactly as the same image read from an oci-archive.
func TestMatchesArchive(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []imagetest.Option
	}{
		{"docker-gzip", nil},
		{"oci-gzip", []imagetest.Option{imagetest.WithOCIMediaTypes()}},
		{"oci-zstd", []imagetest.Option{imagetest.WithCompression(compression.ZStd)}},
		{"uncompressed", []imagetest.Option{imagetest.WithCompression(compression.None)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := buildImage(t, tc.opts...)
			host := serve(t, nil)
			ref := host + "/strata/demo:" + tc.name
			push(t, ref, want)

			img := openImage(t, ref)
			if img.Reference() != ref {
				t.Errorf("Reference() = %q, want %q", img.Reference(), ref)
			}
			if d, _ := want.Digest(); img.Digest() != d {
				t.Errorf("Digest() = %s, want %s", img.Digest(), d)
			}
			if got := platforms.Format(img.Platform()); got != "linux/amd64" {
				t.Errorf("Platform() = %s", got)
			}
			checkLayers(t, img, want)

			idx, err := imagetest.Index(want)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "demo.tar")
			if err := imagetest.WriteOCIArchive(path, idx); err != nil {
				t.Fatal(err)
			}
			archive, err := source.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer archive.Close()

			got, exp := reportOf(t, img), reportOf(t, archive)
			if !bytes.Equal(got, exp) {
				t.Errorf("the registry's analysis differs from the archive's:\n%s\nwant\n%s", got, exp)
			}
			if !strings.Contains(string(got), `"createdBy": "RUN clean"`) {
				t.Errorf("the report lacks the history:\n%s", got)
			}
		})
	}
}

// checkLayers compares the layers Open lists with the manifest and config
// of the image pushed.
func checkLayers(t *testing.T, img *registry.Image, want v1.Image) {
	t.Helper()
	mf, err := want.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := want.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != len(mf.Layers) {
		t.Fatalf("%d layers, want %d", len(layers), len(mf.Layers))
	}
	for i, l := range layers {
		m := mf.Layers[i]
		if l.Digest != m.Digest || l.DiffID != cfg.RootFS.DiffIDs[i] || l.MediaType != m.MediaType || l.Size != m.Size {
			t.Errorf("layer %d = %s %s %s %d, want %s %s %s %d", i, l.Digest, l.DiffID, l.MediaType, l.Size,
				m.Digest, cfg.RootFS.DiffIDs[i], m.MediaType, m.Size)
		}
	}
	got, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.History) != len(cfg.History) {
		t.Errorf("%d history entries, want %d", len(got.History), len(cfg.History))
	}
}

// twoPlatforms pushes an index of a linux/amd64 and a linux/arm64/v8 image
// and returns them.
func twoPlatforms(t *testing.T, ref string) (amd, arm v1.Image) {
	t.Helper()
	amd = buildImage(t)
	arm = buildImage(t, imagetest.WithPlatform("linux", "arm64", "v8"))
	idx, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	pushIndex(t, ref, idx)
	return amd, arm
}

func TestPlatform(t *testing.T) {
	host := serve(t, nil)
	ref := host + "/strata/multi:1"
	amd, arm := twoPlatforms(t, ref)

	for _, tc := range []struct {
		want v1.Platform
		img  v1.Image
	}{
		{v1.Platform{OS: "linux", Architecture: "arm64"}, arm},
		{v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, arm},
		{v1.Platform{OS: "linux", Architecture: "amd64"}, amd},
	} {
		img := openImage(t, ref, registry.WithPlatform(tc.want))
		if d, _ := tc.img.Digest(); img.Digest() != d {
			t.Errorf("platform %s: got manifest %s, want %s", platforms.Format(tc.want), img.Digest(), d)
		}
		if !platforms.Matches(img.Platform(), tc.want) {
			t.Errorf("platform %s: Platform() = %s", platforms.Format(tc.want), platforms.Format(img.Platform()))
		}
	}

	// No platform asked: the host's.
	host1 := platforms.Host()
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" {
		img := openImage(t, ref)
		if !platforms.Matches(img.Platform(), host1) {
			t.Errorf("default platform = %s, want the host's %s", platforms.Format(img.Platform()), platforms.Format(host1))
		}
	}

	msg := openErr(t, context.Background(), ref, registry.ErrPlatform,
		registry.WithPlatform(v1.Platform{OS: "linux", Architecture: "s390x"}))
	want := ref + ": no image for platform linux/s390x; the index has linux/amd64, linux/arm64/v8"
	if msg != want {
		t.Errorf("error = %q\nwant %q", msg, want)
	}
}

// TestNestedIndex reads an index of indexes in which an attestation
// manifest (platform unknown/unknown) sits next to the image.
func TestNestedIndex(t *testing.T) {
	host := serve(t, nil)
	ref := host + "/strata/nested:1"
	amd := buildImage(t)
	att := buildImage(t, imagetest.WithPlatform("unknown", "unknown", ""))
	inner := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: att, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"}}},
		mutate.IndexAddendum{Add: amd}, // no platform: read from the config
	)
	outer := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.DockerManifestList),
		mutate.IndexAddendum{Add: inner})
	pushIndex(t, ref, outer)

	img := openImage(t, ref)
	if d, _ := amd.Digest(); img.Digest() != d {
		t.Errorf("got manifest %s, want the amd64 image %s", img.Digest(), d)
	}
	if got := platforms.Format(img.Platform()); got != "linux/amd64" {
		t.Errorf("Platform() = %s", got)
	}
}

// TestLoneImagePlatform takes a lone image whatever its platform, unless
// another is asked for.
func TestLoneImagePlatform(t *testing.T) {
	host := serve(t, nil)
	ref := host + "/strata/s390x:1"
	push(t, ref, buildImage(t, imagetest.WithPlatform("linux", "s390x", "")))

	if got := platforms.Format(openImage(t, ref).Platform()); got != "linux/s390x" {
		t.Errorf("Platform() = %s", got)
	}
	msg := openErr(t, context.Background(), ref, registry.ErrPlatform,
		registry.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}))
	if want := ref + ": the image is for linux/s390x, not linux/amd64"; msg != want {
		t.Errorf("error = %q, want %q", msg, want)
	}
}

// TestReferenceForms checks the canonical reference of short and digest
// references.
func TestReferenceForms(t *testing.T) {
	host := serve(t, nil)
	img := buildImage(t)
	push(t, host+"/demo", img) // tag latest
	d, _ := img.Digest()

	for in, want := range map[string]string{
		host + "/demo":               host + "/demo:latest",
		host + "/demo@" + d.String(): host + "/demo@" + d.String(),
		host + "/demo:latest":        host + "/demo:latest",
	} {
		if got := openImage(t, in).Reference(); got != want {
			t.Errorf("Reference() of %s = %s, want %s", in, got, want)
		}
	}

	msg := openErr(t, context.Background(), "Not a Reference!", registry.ErrBadReference)
	if msg != "Not a Reference!: not a valid image reference" {
		t.Errorf("error = %q", msg)
	}
	msg = openErr(t, context.Background(), "host/UPPER:1", registry.ErrBadReference)
	if msg != "host/UPPER:1: not a valid image reference" {
		t.Errorf("error = %q", msg)
	}
}

// TestCloseStopsDownloads checks that a layer cannot be downloaded after
// Close.
func TestCloseStopsDownloads(t *testing.T) {
	host := serve(t, nil)
	ref := host + "/strata/demo:close"
	push(t, ref, buildImage(t))
	img, err := registry.Open(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	layers, _ := img.Layers()
	img.Close()
	_, err = layers[0].Open()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("opening a layer after Close: %v, want context.Canceled", err)
	}
}
