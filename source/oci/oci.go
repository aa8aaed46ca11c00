package oci

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/source/internal/platforms"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

// maxJSON bounds the size of index, manifest and config blobs.
const maxJSON = 64 << 20

// maxDepth bounds how deep indexes may nest.
const maxDepth = 8

// blobs is where a layout keeps its blobs.
type blobs interface {
	index() ([]byte, error)
	open(h v1.Hash) (io.ReadCloser, error)
	// has says whether a blob is there, with an error saying why not.
	has(h v1.Hash) error
	close() error
}

// Image is an image read from an OCI layout.
type Image struct {
	config   *v1.ConfigFile
	layers   []image.Layer
	platform v1.Platform
	store    blobs
}

// Option changes how a layout is read.
type Option func(*options)

type options struct{ platform v1.Platform }

// WithPlatform picks the image for this platform from an index of several.
// The zero platform means the host's, and a lone image is taken whatever
// its platform.
func WithPlatform(p v1.Platform) Option { return func(o *options) { o.platform = p } }

// OpenDir reads the image of an OCI layout directory.
func OpenDir(dir string, opts ...Option) (*Image, error) {
	if _, err := os.Stat(filepath.Join(dir, "index.json")); err != nil {
		return nil, fmt.Errorf("a directory without index.json is not an OCI layout")
	}
	p, err := layout.FromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("not an OCI layout: %w", err)
	}
	return open(dirBlobs{p}, opts)
}

// IsArchive says whether an indexed tar looks like an oci-archive.
func IsArchive(fs *tarfs.FS) bool { return fs.Has("index.json") }

// OpenArchive reads the image of an oci-archive. The image keeps fs open
// until Close.
func OpenArchive(fs *tarfs.FS, opts ...Option) (*Image, error) {
	return open(tarBlobs{fs}, opts)
}

func open(store blobs, opts []Option) (*Image, error) {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	raw, err := store.index()
	if err != nil {
		return nil, fmt.Errorf("reading index.json: %w", err)
	}
	desc, err := resolve(store, raw, o.platform)
	if err != nil {
		return nil, err
	}
	rawMf, err := readBlob(store, desc.Digest)
	if err != nil {
		return nil, fmt.Errorf("reading manifest %s: %w", desc.Digest, err)
	}
	mf, err := v1.ParseManifest(bytes.NewReader(rawMf))
	if err != nil {
		return nil, fmt.Errorf("parsing manifest %s: %w", desc.Digest, err)
	}
	rawCfg, err := readBlob(store, mf.Config.Digest)
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", mf.Config.Digest, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return nil, fmt.Errorf("parsing config %s: %w", mf.Config.Digest, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(mf.Layers) {
		return nil, fmt.Errorf("manifest %s lists %d layers but the config has %d diff_ids", desc.Digest, len(mf.Layers), len(cfg.RootFS.DiffIDs))
	}
	img := &Image{config: cfg, store: store, platform: platformOf(desc, cfg)}
	for i, l := range mf.Layers {
		if err := store.has(l.Digest); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		img.layers = append(img.layers, image.Layer{
			Digest:    l.Digest,
			DiffID:    cfg.RootFS.DiffIDs[i],
			MediaType: l.MediaType,
			Size:      l.Size,
			Open:      func() (io.ReadCloser, error) { return store.open(l.Digest) },
		})
	}
	return img, nil
}

func platformOf(desc v1.Descriptor, cfg *v1.ConfigFile) v1.Platform {
	if desc.Platform != nil && desc.Platform.OS != "" {
		return *desc.Platform
	}
	return v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
}

// resolve walks an index, and the indexes it nests, down to the image
// manifest for the wanted platform. The images of every nested index are
// candidates together, so an index of per-platform indexes resolves too.
func resolve(store blobs, raw []byte, want v1.Platform) (v1.Descriptor, error) {
	images, err := collect(store, raw, "index.json", 0)
	if err != nil {
		return v1.Descriptor{}, err
	}
	if len(images) == 0 {
		return v1.Descriptor{}, fmt.Errorf("index.json lists no image manifest")
	}
	var cands []platforms.Candidate
	for i, d := range images {
		p, ok := descPlatform(store, d)
		if !ok {
			continue // attestations and other non-runnable manifests
		}
		cands = append(cands, platforms.Candidate{Platform: p, Index: i})
	}
	c, err := platforms.Pick(cands, want)
	if err != nil {
		return v1.Descriptor{}, err
	}
	d := images[c.Index]
	d.Platform = &c.Platform
	return d, nil
}

// collect lists the image manifests of an index and of the indexes it
// nests, depth first.
func collect(store blobs, raw []byte, name string, depth int) ([]v1.Descriptor, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("indexes nest more than %d deep", maxDepth)
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", name, err)
	}
	var images []v1.Descriptor
	for _, d := range idx.Manifests {
		switch {
		case d.MediaType.IsIndex():
			rawSub, err := readBlob(store, d.Digest)
			if err != nil {
				return nil, fmt.Errorf("reading index %s: %w", d.Digest, err)
			}
			sub, err := collect(store, rawSub, "index "+d.Digest.String(), depth+1)
			if err != nil {
				return nil, err
			}
			images = append(images, sub...)
		case d.MediaType.IsImage():
			images = append(images, d)
		}
	}
	return images, nil
}

// descPlatform is a manifest's platform: from its descriptor or, when the
// index does not say, from its config. Manifests of platform unknown/unknown
// (build attestations) are not images to pick.
func descPlatform(store blobs, d v1.Descriptor) (v1.Platform, bool) {
	if d.Platform != nil && d.Platform.OS != "" {
		return *d.Platform, d.Platform.OS != "unknown"
	}
	raw, err := readBlob(store, d.Digest)
	if err != nil {
		return v1.Platform{}, true // let reading the manifest report it
	}
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return v1.Platform{}, true
	}
	rawCfg, err := readBlob(store, mf.Config.Digest)
	if err != nil {
		return v1.Platform{}, true
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return v1.Platform{}, true
	}
	return v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}, cfg.OS != "unknown"
}

func readBlob(store blobs, h v1.Hash) ([]byte, error) {
	rc, err := store.open(h)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxJSON+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxJSON {
		return nil, fmt.Errorf("blob %s is larger than %d bytes", h, maxJSON)
	}
	return b, nil
}

// ConfigFile returns the image configuration.
func (i *Image) ConfigFile() (*v1.ConfigFile, error) { return i.config, nil }

// Layers returns the layers in manifest order.
func (i *Image) Layers() ([]image.Layer, error) { return i.layers, nil }

// Platform is the platform of the image that was picked.
func (i *Image) Platform() v1.Platform { return i.platform }

// Close releases the layout.
func (i *Image) Close() error { return i.store.close() }

type dirBlobs struct{ p layout.Path }

func (d dirBlobs) index() ([]byte, error) {
	return os.ReadFile(filepath.Join(string(d.p), "index.json"))
}
func (d dirBlobs) open(h v1.Hash) (io.ReadCloser, error) { return d.p.Blob(h) }
func (d dirBlobs) close() error                          { return nil }
func (d dirBlobs) has(h v1.Hash) error {
	name := blobName(h)
	st, err := os.Stat(filepath.Join(string(d.p), filepath.FromSlash(name)))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: %w", name, os.ErrNotExist)
	case err != nil:
		return err
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s: not a regular file", name)
	}
	return nil
}

type tarBlobs struct{ fs *tarfs.FS }

func (t tarBlobs) index() ([]byte, error)                { return t.fs.ReadFile("index.json", maxJSON) }
func (t tarBlobs) open(h v1.Hash) (io.ReadCloser, error) { return t.fs.Open(blobName(h)) }
func (t tarBlobs) close() error                          { return t.fs.Close() }
func (t tarBlobs) has(h v1.Hash) error {
	_, err := t.fs.Size(blobName(h))
	return err
}

// blobName is where a layout keeps a blob.
func blobName(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }
