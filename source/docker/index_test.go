package docker

import (
	"strings"
	"testing"

	"github.com/moby/moby/api/types/image"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

func dg(c string) digest.Digest { return digest.Digest("sha256:" + strings.Repeat(c, 64)) }

// TestIndexOfManifests: a daemon with the containerd image store lists
// every platform and attestation; a platform it pulled in part is absent,
// and an attestation is tied to its platform.
func TestIndexOfManifests(t *testing.T) {
	amd := image.ManifestSummary{Descriptor: ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: dg("a"), Size: 500},
		Available: true, Kind: image.ManifestKindImage,
		ImageData: &image.ImageProperties{Platform: ocispec.Platform{OS: "linux", Architecture: "amd64"}}}
	amd.Size.Content = 10_500
	amd.ImageData.Size.Unpacked = 30_000
	arm := image.ManifestSummary{Descriptor: ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: dg("b"), Size: 500},
		Available: false, Kind: image.ManifestKindImage,
		ImageData: &image.ImageProperties{Platform: ocispec.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}}
	att := image.ManifestSummary{Descriptor: ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: dg("c"), Size: 300},
		Available: true, Kind: image.ManifestKindAttestation, AttestationData: &image.AttestationProperties{For: dg("a")}}
	root := ocispec.Descriptor{MediaType: ocispec.MediaTypeImageIndex, Digest: dg("d"), Size: 900}
	idx, err := IndexOf(image.InspectResponse{Descriptor: &root, Manifests: []image.ManifestSummary{amd, arm, att}})
	if err != nil {
		t.Fatal(err)
	}
	rows := idx.Rows()
	if len(rows) != 2 || len(idx.Attestations) != 1 {
		t.Fatalf("rows %+v, %d attestations", rows, len(idx.Attestations))
	}
	if r := rows[0]; r.Platform != "linux/amd64" || r.CompressedBytes != 10_000 || r.UncompressedBytes != 30_000 || r.Layers != -1 || !r.Attested || r.Absent != "" {
		t.Errorf("amd64 row %+v", r)
	}
	if r := rows[1]; r.Platform != "linux/arm64/v8" || r.Absent == "" || r.CompressedBytes != -1 || r.UncompressedBytes != -1 {
		t.Errorf("arm64 row %+v", r)
	}
	if idx.Pull().Known {
		t.Error("the pull cost is known though the summary gives no layers")
	}
}

// TestIndexOfOneImage: a daemon with a graph driver keeps one platform:
// its layers' diffIDs and unpacked size, no compressed size.
func TestIndexOfOneImage(t *testing.T) {
	in := image.InspectResponse{Os: "linux", Architecture: "arm", Variant: "v7", Size: 12345,
		RootFS: image.RootFS{Type: "layers", Layers: []string{string(dg("1")), string(dg("2"))}}}
	idx, err := IndexOf(in)
	if err != nil {
		t.Fatal(err)
	}
	rows := idx.Rows()
	if len(rows) != 1 || rows[0].Platform != "linux/arm/v7" || rows[0].Layers != 2 || rows[0].CompressedBytes != -1 || rows[0].UncompressedBytes != 12345 {
		t.Errorf("rows %+v", rows)
	}
	in.RootFS.Layers = []string{"not a digest"}
	if _, err := IndexOf(in); err == nil || !strings.Contains(err.Error(), "not a digest") {
		t.Errorf("a layer that is no digest: %v", err)
	}
}
