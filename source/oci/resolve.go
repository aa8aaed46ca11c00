package oci

import (
	"bytes"
	"errors"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/internal/platforms"
)

// resolve walks an index, and the indexes it nests, down to the image
// manifest for the wanted platform. The images of every nested index are
// candidates together, so an index of per-platform indexes resolves too.
func resolve(store blobs, raw []byte, want v1.Platform) (v1.Descriptor, error) {
	images, err := metadata.Images(raw, "index.json", func(d v1.Descriptor) ([]byte, error) {
		return readBlob(store, d, "index "+d.Digest.String(), metadata.MaxManifest)
	})
	if err != nil {
		return v1.Descriptor{}, err
	}
	if len(images) == 0 {
		return v1.Descriptor{}, errors.New("index.json lists no image manifest")
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

// descPlatform is a manifest's platform: from its descriptor or, when the
// index does not say, from its config. Manifests of platform unknown/unknown
// (build attestations) are not images to pick. Each manifest comes here
// once ([metadata.Images] lists it once).
func descPlatform(store blobs, d v1.Descriptor) (v1.Platform, bool) {
	if d.Platform != nil && d.Platform.OS != "" {
		return *d.Platform, d.Platform.OS != "unknown"
	}
	raw, err := readBlob(store, d, "manifest "+d.Digest.String(), metadata.MaxManifest)
	if err != nil {
		return v1.Platform{}, true // let reading the manifest report it
	}
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil || mf.Config.Digest.Hex == "" {
		return v1.Platform{}, true
	}
	rawCfg, err := readBlob(store, mf.Config, "config "+mf.Config.Digest.String(), metadata.MaxConfig)
	if err != nil {
		return v1.Platform{}, true
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return v1.Platform{}, true
	}
	return v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}, cfg.OS != "unknown"
}
