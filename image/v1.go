package image

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// v1Image is a go-containerregistry v1.Image seen as an [Image].
type v1Image struct {
	img    v1.Image
	layers []Layer
}

var _ Image = (*v1Image)(nil)

// FromV1 adapts a go-containerregistry image. It asks every layer for its
// digest, diffID, media type and size, so it suits images whose layers
// answer those from a manifest and config (remote images, layouts, images
// built in code) rather than by reading their bytes.
func FromV1(img v1.Image) (Image, error) {
	ls, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	out := &v1Image{img: img}
	for i, l := range ls {
		d, err := l.Digest()
		if err != nil {
			return nil, fmt.Errorf("layer %d digest: %w", i, err)
		}
		diffID, err := l.DiffID()
		if err != nil {
			return nil, fmt.Errorf("layer %d diffID: %w", i, err)
		}
		mt, err := l.MediaType()
		if err != nil {
			return nil, fmt.Errorf("layer %d media type: %w", i, err)
		}
		size, err := l.Size()
		if err != nil {
			return nil, fmt.Errorf("layer %d size: %w", i, err)
		}
		out.layers = append(out.layers, Layer{Digest: d, DiffID: diffID, MediaType: mt, Size: size, Open: l.Compressed})
	}
	return out, nil
}

// ConfigFile returns the image configuration.
func (i *v1Image) ConfigFile() (*v1.ConfigFile, error) { return i.img.ConfigFile() }

// Layers returns the layers in manifest order.
func (i *v1Image) Layers() ([]Layer, error) { return i.layers, nil }
