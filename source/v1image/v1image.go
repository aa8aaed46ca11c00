// Package v1image adapts a ggcr v1.Image whose layers know their digests
// and sizes cheaply (remote images, layouts, images built in code) to what
// strata's analysis reads.
package v1image

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze"
)

// Image is a v1.Image seen through analyze.Image.
type Image struct {
	img    v1.Image
	layers []analyze.Layer
}

// From adapts img. It asks every layer for its digest, diffID, media type
// and size, so it suits images whose layers answer those from a manifest.
func From(img v1.Image) (*Image, error) {
	ls, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	out := &Image{img: img}
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
		out.layers = append(out.layers, analyze.Layer{Digest: d, DiffID: diffID, MediaType: mt, Size: size, Open: l.Compressed})
	}
	return out, nil
}

// ConfigFile returns the image configuration.
func (i *Image) ConfigFile() (*v1.ConfigFile, error) { return i.img.ConfigFile() }

// Layers returns the layers in manifest order.
func (i *Image) Layers() ([]analyze.Layer, error) { return i.layers, nil }
