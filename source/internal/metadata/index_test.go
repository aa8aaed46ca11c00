package metadata

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// indexStore is a set of indexes by digest, and how often each was read.
type indexStore struct {
	blobs map[v1.Hash][]byte
	reads map[v1.Hash]int
}

func (s *indexStore) put(t *testing.T, ds []v1.Descriptor) v1.Descriptor {
	t.Helper()
	b, err := json.Marshal(v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds})
	if err != nil {
		t.Fatal(err)
	}
	h, size, _ := v1.SHA256(strings.NewReader(string(b)))
	if s.blobs == nil {
		s.blobs, s.reads = map[v1.Hash][]byte{}, map[v1.Hash]int{}
	}
	s.blobs[h] = b
	return v1.Descriptor{MediaType: types.OCIImageIndex, Digest: h, Size: size}
}

func (s *indexStore) fetch(d v1.Descriptor) ([]byte, error) {
	s.reads[d.Digest]++
	b, ok := s.blobs[d.Digest]
	if !ok {
		return nil, fmt.Errorf("no blob %s", d.Digest)
	}
	return b, Verify(d, b)
}

func image(n int, platform string) v1.Descriptor {
	d := v1.Descriptor{MediaType: types.OCIManifestSchema1, Size: 100,
		Digest: v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%064x", n)}}
	if platform != "" {
		p := strings.Split(platform, "/")
		d.Platform = &v1.Platform{OS: p[0], Architecture: p[1]}
	}
	return d
}

func repeat(d v1.Descriptor, n int) []v1.Descriptor {
	out := make([]v1.Descriptor, n)
	for i := range out {
		out[i] = d
	}
	return out
}

// TestImagesFanOut: an index listing a child index 50 times at each of 5
// levels stands for 50^5 (312 million) images; each index is read once and
// the image is listed once.
func TestImagesFanOut(t *testing.T) {
	var s indexStore
	d := image(1, "linux/amd64")
	for range 5 {
		d = s.put(t, repeat(d, 50))
	}
	top := s.blobs[d.Digest]
	images, err := Images(top, "index.json", s.fetch)
	if err != nil {
		t.Fatal(err)
	}
	if len(images) != 1 || images[0].Digest != image(1, "").Digest {
		t.Errorf("listed %d images: %v", len(images), images)
	}
	for h, n := range s.reads {
		if n != 1 {
			t.Errorf("index %s read %d times", h, n)
		}
	}
}

func TestImagesDeduplicates(t *testing.T) {
	var s indexStore
	sub := s.put(t, []v1.Descriptor{image(1, "linux/amd64"), image(2, "linux/arm64")})
	top := s.put(t, []v1.Descriptor{image(1, "linux/amd64"), sub, image(1, "linux/amd64"), image(1, "linux/386"), sub,
		{MediaType: "application/vnd.example.sbom", Digest: image(9, "").Digest}})
	images, err := Images(s.blobs[top.Digest], "index.json", s.fetch)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range images {
		got = append(got, d.Digest.Hex[60:]+" "+d.Platform.Architecture)
	}
	if want := "0001 amd64,0002 arm64,0001 386"; strings.Join(got, ",") != want {
		t.Errorf("listed %q, want %q", strings.Join(got, ","), want)
	}
}

func TestImagesCaps(t *testing.T) {
	var s indexStore
	wide := s.put(t, repeat(image(1, "linux/amd64"), MaxDescriptors+1))
	_, err := Images(s.blobs[wide.Digest], "index.json", s.fetch)
	if !errors.Is(err, ErrTooMany) || err.Error() != "index.json and the indexes it nests list more than 10000 manifests (strata follows no more)" {
		t.Errorf("too wide: %v", err)
	}

	// Indexes each listing 2,001 copies of the next: the sixth level takes
	// the total past the cap, duplicates counting.
	d := image(1, "linux/amd64")
	for range 6 {
		d = s.put(t, repeat(d, 2001))
	}
	if _, err := Images(s.blobs[d.Digest], "index.json", s.fetch); !errors.Is(err, ErrTooMany) {
		t.Errorf("too many in all: %v", err)
	}

	d = image(1, "linux/amd64")
	for range MaxDepth + 2 {
		d = s.put(t, []v1.Descriptor{d})
	}
	if _, err := Images(s.blobs[d.Digest], "index.json", s.fetch); !errors.Is(err, ErrTooMany) || !strings.Contains(err.Error(), "nest more than 8 deep") {
		t.Errorf("too deep: %v", err)
	}
}

func TestImagesBadDescriptors(t *testing.T) {
	var s indexStore
	sub := s.put(t, []v1.Descriptor{image(1, "linux/amd64")})
	lying := sub
	lying.Size++
	huge := sub
	huge.Size = 1 << 40
	for _, tt := range []struct {
		name string
		ds   []v1.Descriptor
		says string
	}{
		{"wrong size", []v1.Descriptor{lying}, "not the"},
		{"over the cap", []v1.Descriptor{huge}, "is 1.0 TiB, over the 4.0 MiB cap"},
		{"missing", []v1.Descriptor{{MediaType: types.OCIImageIndex, Digest: image(7, "").Digest, Size: 10}}, "reading index sha256:"},
	} {
		top := s.put(t, tt.ds)
		_, err := Images(s.blobs[top.Digest], "index.json", s.fetch)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: %v, want it to say %q", tt.name, err, tt.says)
		}
	}
	noDigest := `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","size":10}]}`
	if _, err := Images([]byte(noDigest), "index.json", s.fetch); err == nil || err.Error() != "index.json: manifest 0 (application/vnd.oci.image.index.v1+json) has no digest" {
		t.Errorf("no digest: %v", err)
	}
	if _, err := Images([]byte("<html>"), "index.json", s.fetch); err == nil || !strings.HasPrefix(err.Error(), "parsing index.json: ") {
		t.Errorf("not JSON: %v", err)
	}
}
