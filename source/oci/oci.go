package oci

import (
	"bytes"
	"context"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

// Image is an image read from an OCI layout.
type Image struct {
	config   *v1.ConfigFile
	layers   []image.Layer
	platform v1.Platform
	store    blobs
}

// Option changes how a layout is read.
type Option func(*options)

type options struct {
	platform v1.Platform
	ctx      context.Context
}

// WithPlatform picks the image for this platform from an index of several.
// The zero platform means the host's, and a lone image is taken whatever
// its platform.
func WithPlatform(p v1.Platform) Option { return func(o *options) { o.platform = p } }

// WithContext stops resolving an index, between the documents it reads,
// once ctx is done. The default is a context that never is.
func WithContext(ctx context.Context) Option { return func(o *options) { o.ctx = ctx } }

// IsArchive says whether an indexed tar looks like an oci-archive.
func IsArchive(fs *tarfs.FS) bool { return fs.Has("index.json") }

// OpenArchive reads the image of an oci-archive. The image keeps fs open
// until Close.
func OpenArchive(fs *tarfs.FS, opts ...Option) (*Image, error) {
	return open(tarBlobs{fs}, opts)
}

func open(store blobs, opts []Option) (*Image, error) {
	o := options{ctx: context.Background()}
	for _, opt := range opts {
		opt(&o)
	}
	docs := &cache{blobs: store, ctx: o.ctx} // for the documents; dropped once open
	raw, err := docs.read("index.json", metadata.MaxManifest)
	if err != nil {
		return nil, err
	}
	desc, err := resolve(docs, raw, o.platform)
	if err != nil {
		return nil, err
	}
	mf, cfg, err := readImage(docs, desc)
	if err != nil {
		return nil, err
	}
	img := &Image{config: cfg, store: store, platform: platformOf(desc, cfg)}
	for i, l := range mf.Layers {
		if l.Digest.Hex == "" {
			return nil, fmt.Errorf("manifest %s: layer %d has no digest", desc.Digest, i)
		}
		name := blobName(l.Digest)
		if err := store.has(name); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		img.layers = append(img.layers, image.Layer{
			Digest:    l.Digest,
			DiffID:    cfg.RootFS.DiffIDs[i],
			MediaType: l.MediaType,
			Size:      l.Size,
			Open:      func() (io.ReadCloser, error) { return store.open(name) },
		})
	}
	return img, nil
}

// readImage reads and checks the manifest a descriptor names and its
// config.
func readImage(store blobs, desc v1.Descriptor) (*v1.Manifest, *v1.ConfigFile, error) {
	what := "manifest " + desc.Digest.String()
	raw, err := readBlob(store, desc, what, metadata.MaxManifest)
	if err != nil {
		return nil, nil, err
	}
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, fmt.Errorf("parsing %s: %w", what, err)
	}
	if mf.Config.Digest.Hex == "" {
		return nil, nil, fmt.Errorf("%s names no config (its config has no digest)", what)
	}
	rawCfg, err := readBlob(store, mf.Config, "config "+mf.Config.Digest.String(), metadata.MaxConfig)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return nil, nil, fmt.Errorf("parsing config %s: %w", mf.Config.Digest, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(mf.Layers) {
		return nil, nil, fmt.Errorf("%s lists %d layers but the config has %d diff_ids", what, len(mf.Layers), len(cfg.RootFS.DiffIDs))
	}
	return mf, cfg, nil
}

// readBlob reads the blob a descriptor names, what in messages, of at
// most limit bytes, and checks it against the descriptor.
func readBlob(store blobs, d v1.Descriptor, what string, limit int64) ([]byte, error) {
	if d.Size > limit {
		return nil, metadata.TooLarge(what, d.Size, limit)
	}
	b, err := store.read(blobName(d.Digest), limit)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	if err := metadata.Verify(d, b); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return b, nil
}

func platformOf(desc v1.Descriptor, cfg *v1.ConfigFile) v1.Platform {
	if desc.Platform != nil && desc.Platform.OS != "" {
		return *desc.Platform
	}
	return v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
}

// ConfigFile returns the image configuration.
func (i *Image) ConfigFile() (*v1.ConfigFile, error) { return i.config, nil }

// Layers returns the layers in manifest order.
func (i *Image) Layers() ([]image.Layer, error) { return i.layers, nil }

// Platform is the platform of the image that was picked.
func (i *Image) Platform() v1.Platform { return i.platform }

// Close releases the layout.
func (i *Image) Close() error { return i.store.close() }
