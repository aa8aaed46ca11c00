package dockerarchive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

// Image is an image read from a docker-save archive.
type Image struct {
	config *v1.ConfigFile
	layers []image.Layer
	tags   []string
	fs     *tarfs.FS
}

// Option changes how an archive is opened.
type Option func(*options)

type options struct{ tag string }

// WithTag picks the image carrying this tag when the archive holds several;
// by default the first image of manifest.json is read.
func WithTag(tag string) Option { return func(o *options) { o.tag = tag } }

// IsArchive says whether an indexed tar looks like a docker-save archive.
func IsArchive(fs *tarfs.FS) bool { return fs.Has("manifest.json") }

// Open reads the image of a docker-save archive. The image keeps fs open
// until Close.
func Open(fs *tarfs.FS, opts ...Option) (*Image, error) {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	raw, err := fs.ReadFile("manifest.json", metadata.MaxArchiveManifest)
	if err != nil {
		return nil, err // names manifest.json
	}
	var mf tarball.Manifest
	if err := json.Unmarshal(raw, &mf); err != nil {
		return nil, fmt.Errorf("parsing manifest.json: %w", err)
	}
	n, desc, err := pick(mf, o.tag)
	if err != nil {
		return nil, err
	}
	if desc.Config == "" {
		return nil, fmt.Errorf("manifest.json: image %d names no config (its \"Config\" is empty, missing or the entry is null)", n)
	}
	cfgName := textsafe.Line(desc.Config)
	rawCfg, err := fs.ReadFile(desc.Config, metadata.MaxConfig)
	switch {
	case errors.Is(err, iofs.ErrNotExist):
		return nil, fmt.Errorf("manifest.json names the config %s, which the archive does not hold: %w", cfgName, iofs.ErrNotExist)
	case err != nil:
		return nil, fmt.Errorf("reading the config: %w", err)
	}
	if d, ok := configDigest(desc.Config); ok {
		if err := metadata.VerifyDigest(d, rawCfg); err != nil {
			return nil, fmt.Errorf("config %s: %w", cfgName, err)
		}
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return nil, fmt.Errorf("parsing config %s: %w", cfgName, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(desc.Layers) {
		return nil, fmt.Errorf("manifest.json lists %d layers but the config has %d diff_ids", len(desc.Layers), len(cfg.RootFS.DiffIDs))
	}
	img := &Image{config: cfg, tags: desc.RepoTags, fs: fs}
	for i, name := range desc.Layers {
		if name == "" {
			return nil, fmt.Errorf("manifest.json: layer %d of image %d has no name", i, n)
		}
		size, err := fs.Size(name)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		l := image.Layer{
			ID:        layerID(name),
			DiffID:    cfg.RootFS.DiffIDs[i],
			MediaType: types.DockerLayer,
			Size:      size,
			Open:      func() (io.ReadCloser, error) { return fs.Open(name) },
		}
		if d, ok := blobDigest(name); ok {
			l.Digest = d
		}
		if src, ok := desc.LayerSources[l.DiffID]; ok {
			l.MediaType = src.MediaType
			if src.Digest.Hex != "" {
				l.Digest = src.Digest
			}
		}
		img.layers = append(img.layers, l)
	}
	return img, nil
}

// pick finds the image of manifest.json tagged tag (the first without a
// tag) and says which it is, counting from 1.
func pick(mf tarball.Manifest, tag string) (int, tarball.Descriptor, error) {
	if len(mf) == 0 {
		return 0, tarball.Descriptor{}, fmt.Errorf("manifest.json lists no image")
	}
	if tag == "" {
		return 1, mf[0], nil
	}
	var all []string
	for i, d := range mf {
		for _, t := range d.RepoTags {
			if t == tag {
				return i + 1, d, nil
			}
			all = append(all, textsafe.Line(t))
		}
	}
	return 0, tarball.Descriptor{}, fmt.Errorf("no image tagged %s in the archive; it has %s", textsafe.Line(tag), strings.Join(all, ", "))
}

// configDigest is the digest a config's name gives: <hex>.json in a
// classic archive, blobs/<alg>/<hex> in one docker writes since 25.0.
func configDigest(name string) (v1.Hash, bool) {
	if d, ok := blobDigest(name); ok {
		return d, true
	}
	hex, ok := strings.CutSuffix(path.Clean(name), ".json")
	if !ok || strings.Contains(hex, "/") {
		return v1.Hash{}, false
	}
	h, err := v1.NewHash("sha256:" + hex)
	return h, err == nil
}

// layerID is the name an archive gives a layer, as dive reports it: the
// first part of its member's path, which is its directory in a classic
// archive (<id>/layer.tar) and its file name where layers lie at the top
// (<hex>.tar, <digest>.tar.gz as ggcr and kaniko write them). For the
// blobs/ALG/HEX of Docker 25+, where dive says "blobs" for every layer, it
// is the digest's hex.
func layerID(name string) string {
	if d, ok := blobDigest(name); ok {
		return d.Hex
	}
	first, _, _ := strings.Cut(path.Clean(name), "/")
	return first
}

// blobDigest reads the digest out of a blobs/ALG/HEX member name.
func blobDigest(name string) (v1.Hash, bool) {
	parts := strings.Split(path.Clean(name), "/")
	if len(parts) != 3 || parts[0] != "blobs" {
		return v1.Hash{}, false
	}
	h, err := v1.NewHash(parts[1] + ":" + parts[2])
	return h, err == nil
}

// ConfigFile returns the image configuration.
func (i *Image) ConfigFile() (*v1.ConfigFile, error) { return i.config, nil }

// Layers returns the layers in manifest order.
func (i *Image) Layers() ([]image.Layer, error) { return i.layers, nil }

// Tags are the tags manifest.json gives the image.
func (i *Image) Tags() []string { return i.tags }

// Close closes the archive.
func (i *Image) Close() error { return i.fs.Close() }
