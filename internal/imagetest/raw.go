package imagetest

import (
	"archive/tar"
	"bytes"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/image"
)

// RawEntry is a tar member whose name is written exactly as given, for
// tests of names no tool would write: "../x", control characters, ".wh."
// names of every kind.
type RawEntry struct {
	Name, Body string
	Type       byte // TypeReg when zero
	Link       string
}

// RawTar writes entries as a tar in the given format (FormatUnknown lets
// archive/tar choose): files 0644, directories 0755, data only for
// regular files.
func RawTar(entries []RawEntry, format tar.Format) ([]byte, error) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		th := &tar.Header{Name: e.Name, Typeflag: e.Type, Linkname: e.Link, Mode: 0o644, Size: int64(len(e.Body)), Format: format}
		if th.Typeflag == 0 {
			th.Typeflag = tar.TypeReg
		}
		if th.Typeflag == tar.TypeDir {
			th.Mode = 0o755
		}
		if th.Typeflag != tar.TypeReg {
			th.Size = 0
		}
		if err := tw.WriteHeader(th); err != nil {
			return nil, err
		}
		if th.Size > 0 {
			if _, err := tw.Write([]byte(e.Body)); err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// BytesLayer is a layer stored as the given bytes, with no digest or
// diffID declared.
func BytesLayer(data []byte) image.Layer {
	return image.Layer{Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

// LayersImage is an image of the given layers and an empty config.
type LayersImage []image.Layer

// ConfigFile returns an empty config.
func (LayersImage) ConfigFile() (*v1.ConfigFile, error) { return &v1.ConfigFile{}, nil }

// Layers returns the layers.
func (l LayersImage) Layers() ([]image.Layer, error) { return l, nil }
