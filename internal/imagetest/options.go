package imagetest

import (
	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Option configures [Image].
type Option func(*options)

type options struct {
	platform    v1.Platform
	compression compression.Compression
	oci         bool
	config      v1.Config
}

func makeOptions(opts []Option) options {
	o := options{
		platform:    v1.Platform{OS: "linux", Architecture: "amd64"},
		compression: compression.GZip,
	}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithPlatform sets the os, architecture and variant recorded in the image
// config (default linux/amd64). Variant may be empty.
func WithPlatform(os, arch, variant string) Option {
	return func(o *options) {
		o.platform = v1.Platform{OS: os, Architecture: arch, Variant: variant}
	}
}

// WithCompression sets how layer blobs are stored: compression.GZip (the
// default), compression.ZStd or compression.None. ZStd implies OCI media
// types, since Docker manifests have no zstd layer type.
func WithCompression(c compression.Compression) Option {
	return func(o *options) {
		o.compression = c
	}
}

// WithOCIMediaTypes makes the manifest, config and layers use OCI media
// types instead of the Docker schema 2 ones used by default.
func WithOCIMediaTypes() Option {
	return func(o *options) {
		o.oci = true
	}
}

// WithConfig sets the runtime config (Env, Cmd, WorkingDir, ...) of the
// image. It does not add history; use empty [Step]s for that.
func WithConfig(c v1.Config) Option {
	return func(o *options) {
		o.config = c
	}
}
