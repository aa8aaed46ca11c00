package index

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/image"
)

// FromImage describes an opened image as an index of one platform: for
// sources that hold one image and give no documents by digest (a docker
// save tarball, podman, a container).
func FromImage(img image.Image, platform v1.Platform) (*Index, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the layers: %w", err)
	}
	p := Platform{Platform: platform, UncompressedBytes: -1, Attestation: -1}
	if cfg != nil {
		p.Labels = cfg.Config.Labels
	}
	for _, l := range layers {
		il := Layer{Digest: l.Digest, DiffID: l.DiffID, MediaType: l.MediaType, Size: l.Size, Uncompressed: -1}
		if uncompressedType(l.MediaType) {
			il.Uncompressed = l.Size
		}
		p.Layers = append(p.Layers, il)
	}
	idx := &Index{Platforms: []Platform{p}}
	idx.Finish()
	return idx, nil
}
