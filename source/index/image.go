package index

import (
	"context"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/image"
)

// FromImage describes an opened image as an index of one platform: for
// sources that hold one image and give no documents by digest (a docker
// save tarball, podman, a container). Their layers are on this machine:
// each is opened to learn its uncompressed size (a plain tar's is its
// size; a compressed one is decompressed).
func FromImage(ctx context.Context, img image.Image, platform v1.Platform) (*Index, error) {
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
	for i, l := range layers {
		il := Layer{Digest: l.Digest, DiffID: l.DiffID, MediaType: l.MediaType, Size: l.Size, Uncompressed: -1}
		if uncompressedType(l.MediaType) {
			il.Uncompressed = l.Size
		} else if l.Open != nil {
			n, err := measureLayer(ctx, l.Open, il)
			if err != nil {
				return nil, fmt.Errorf("measuring layer %d: %w", i, err)
			}
			il.Uncompressed = n
		}
		p.Layers = append(p.Layers, il)
	}
	idx := &Index{Platforms: []Platform{p}}
	idx.Finish()
	return idx, nil
}

func measureLayer(ctx context.Context, open func() (io.ReadCloser, error), l Layer) (int64, error) {
	rc, err := open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return tarSize(ctx, rc, l)
}
