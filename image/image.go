package image

import (
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Image is what the analysis reads: the image configuration and its layers
// in manifest order.
type Image interface {
	// ConfigFile returns the parsed image configuration.
	ConfigFile() (*v1.ConfigFile, error)
	// Layers returns the layers, bottom first, in manifest order.
	Layers() ([]Layer, error)
}

// Layer is one layer blob as the source stores it.
type Layer struct {
	// ID names the layer the way its source does (a classic docker-save
	// directory name); empty means the digest's hex.
	ID string
	// Digest is the expected digest of the stored blob; the zero value means
	// the source does not know it and the analysis computes it.
	Digest v1.Hash
	// DiffID is the expected digest of the uncompressed tar, from the config.
	DiffID v1.Hash
	// MediaType is the blob's media type as the source declares it.
	MediaType types.MediaType
	// Size is the stored (compressed) size, or -1 when unknown.
	Size int64
	// Open returns the stored bytes, compressed or not. It may be called
	// from any goroutine.
	Open func() (io.ReadCloser, error)
}
