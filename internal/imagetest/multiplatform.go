package imagetest

import (
	"encoding/json"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// PlatformImages builds one image a platform ("linux/amd64",
// "linux/arm/v7"), each of the given number of layers of layerBytes
// pseudo-random bytes each. The first shared layers are the same blobs in
// every image (as a multi-platform build's COPY layers are); the others
// differ by platform.
func PlatformImages(platforms []string, layers, shared int, layerBytes int64, opts ...Option) ([]v1.Image, error) {
	var out []v1.Image
	for _, p := range platforms {
		parts := strings.Split(p, "/")
		if len(parts) < 2 {
			return nil, fmt.Errorf("platform %q is not os/arch[/variant]", p)
		}
		variant := ""
		if len(parts) > 2 {
			variant = parts[2]
		}
		var steps []Step
		for i := range layers {
			seed := fmt.Sprintf("layer %d", i)
			if i >= shared {
				seed += " of " + p
			}
			steps = append(steps, Step{
				CreatedBy: fmt.Sprintf("COPY layer-%d /", i),
				Entries:   []Entry{{Path: fmt.Sprintf("/layer-%d/data.bin", i), Content: PseudoRandom(seed, layerBytes)}},
			})
		}
		img, err := Image(steps, append(append([]Option{}, opts...), WithPlatform(parts[0], parts[1], variant))...)
		if err != nil {
			return nil, fmt.Errorf("building the %s image: %w", p, err)
		}
		out = append(out, img)
	}
	return out, nil
}

// Statement is an in-toto statement for [AttestedIndex] to attach.
type Statement struct {
	PredicateType string
	Predicate     any
}

// AttestedIndex is an index of imgs followed, as buildx writes one, by an
// attestation manifest for each image that statements gives any for
// (platform unknown/unknown, annotated vnd.docker.reference.type:
// attestation-manifest and the image's digest), holding one in-toto
// statement a layer with the image as its subject.
func AttestedIndex(imgs []v1.Image, statements func(i int) []Statement) (v1.ImageIndex, error) {
	idx, err := Index(imgs...)
	if err != nil {
		return nil, err
	}
	idx = mutate.IndexMediaType(idx, types.OCIImageIndex)
	for i, img := range imgs {
		sts := statements(i)
		if len(sts) == 0 {
			continue
		}
		att, err := attestation(img, sts)
		if err != nil {
			return nil, fmt.Errorf("attesting image %d: %w", i, err)
		}
		d, err := img.Digest()
		if err != nil {
			return nil, err
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: att, Descriptor: v1.Descriptor{
			Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{
				"vnd.docker.reference.type":   "attestation-manifest",
				"vnd.docker.reference.digest": d.String(),
			},
		}})
	}
	return idx, nil
}

// attestation is a buildx attestation manifest of statements about img.
func attestation(img v1.Image, sts []Statement) (v1.Image, error) {
	d, err := img.Digest()
	if err != nil {
		return nil, err
	}
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	base, err = mutate.ConfigFile(base, &v1.ConfigFile{OS: "unknown", Architecture: "unknown", RootFS: v1.RootFS{Type: "layers"}})
	if err != nil {
		return nil, err
	}
	var adds []mutate.Addendum
	for _, s := range sts {
		body, err := json.Marshal(map[string]any{
			"_type":         "https://in-toto.io/Statement/v0.1",
			"predicateType": s.PredicateType,
			"subject":       []any{map[string]any{"name": "pkg:docker/strata-test@latest", "digest": map[string]string{"sha256": d.Hex}}},
			"predicate":     s.Predicate,
		})
		if err != nil {
			return nil, err
		}
		adds = append(adds, mutate.Addendum{
			Layer:       static.NewLayer(body, "application/vnd.in-toto+json"),
			Annotations: map[string]string{"in-toto.io/predicate-type": s.PredicateType},
		})
	}
	return mutate.Append(base, adds...)
}
