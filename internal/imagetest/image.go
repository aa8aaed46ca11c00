package imagetest

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Step is one build instruction of an image.
type Step struct {
	// CreatedBy is the history text, e.g. "RUN apt-get update".
	CreatedBy string
	// Entries make up the step's layer, in order.
	Entries []Entry
	// Empty marks a history-only step (ENV, CMD, WORKDIR, ...) with no layer.
	Empty bool
}

// Image builds an image from steps, oldest first. Every step gets a history
// entry with its CreatedBy text and a creation time one minute after the
// previous step (the first at 2024-01-01T00:00:00Z); steps that are not
// Empty also get a layer.
func Image(steps []Step, opts ...Option) (v1.Image, error) {
	o := makeOptions(opts)
	if o.compression != compression.GZip && o.compression != compression.ZStd && o.compression != compression.None {
		return nil, fmt.Errorf("unsupported compression %q", o.compression)
	}
	oci := o.oci || o.compression == compression.ZStd

	base := empty.Image
	if oci {
		base = mutate.MediaType(base, types.OCIManifestSchema1)
		base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	}
	created := epoch().Add(time.Duration(max(len(steps)-1, 0)) * time.Minute)
	cfg := &v1.ConfigFile{
		Architecture: o.platform.Architecture,
		OS:           o.platform.OS,
		Variant:      o.platform.Variant,
		Created:      v1.Time{Time: created},
		Config:       o.config,
		RootFS:       v1.RootFS{Type: "layers"},
	}
	base, err := mutate.ConfigFile(base, cfg)
	if err != nil {
		return nil, fmt.Errorf("setting config: %w", err)
	}

	adds := make([]mutate.Addendum, 0, len(steps))
	for i, s := range steps {
		add := mutate.Addendum{History: v1.History{
			CreatedBy:  s.CreatedBy,
			Created:    v1.Time{Time: epoch().Add(time.Duration(i) * time.Minute)},
			EmptyLayer: s.Empty,
		}}
		if s.Empty {
			if len(s.Entries) > 0 {
				return nil, fmt.Errorf("step %d (%s): empty step has %d entries", i, s.CreatedBy, len(s.Entries))
			}
			adds = append(adds, add)
			continue
		}
		l, err := layer(s.Entries, o.compression, oci)
		if err != nil {
			return nil, fmt.Errorf("building layer for step %d (%s): %w", i, s.CreatedBy, err)
		}
		add.Layer = l
		adds = append(adds, add)
	}
	img, err := mutate.Append(base, adds...)
	if err != nil {
		return nil, fmt.Errorf("appending layers: %w", err)
	}
	return img, nil
}

// Layer builds a single layer from entries, honouring the [WithCompression]
// and [WithOCIMediaTypes] options.
func Layer(entries []Entry, opts ...Option) (v1.Layer, error) {
	o := makeOptions(opts)
	return layer(entries, o.compression, o.oci || o.compression == compression.ZStd)
}

func layer(entries []Entry, c compression.Compression, oci bool) (v1.Layer, error) {
	b, err := LayerTar(entries...)
	if err != nil {
		return nil, err
	}
	switch c {
	case compression.None:
		mt := types.DockerUncompressedLayer
		if oci {
			mt = types.OCIUncompressedLayer
		}
		return static.NewLayer(b, mt), nil
	case compression.GZip, compression.ZStd:
		mt := types.DockerLayer
		switch {
		case c == compression.ZStd:
			mt = types.OCILayerZStd
		case oci:
			mt = types.OCILayer
		}
		opener := func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(b)), nil
		}
		return tarball.LayerFromOpener(opener,
			tarball.WithCompression(c), tarball.WithMediaType(mt), tarball.WithCompressedCaching)
	default:
		return nil, fmt.Errorf("unsupported compression %q", c)
	}
}
