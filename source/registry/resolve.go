package registry

import (
	"errors"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/internal/platforms"
)

// candidate is an image manifest listed by an index.
type candidate struct {
	desc v1.Descriptor
	img  v1.Image // when its config was read to learn its platform
}

// children fetches the manifests an index lists, by digest, and checks
// each against the descriptor that listed it: ggcr checks the digest of
// what it fetches by digest, this the size too.
type children struct {
	repo name.Repository
	opts []remote.Option
	d    *describer
}

// get fetches the manifest or index desc names.
func (c children) get(desc v1.Descriptor, what string) (*remote.Descriptor, error) {
	if desc.Size > metadata.MaxManifest {
		return nil, c.d.errorf(ErrUnsupported, nil, "%s", metadata.TooLarge(what, desc.Size, metadata.MaxManifest))
	}
	got, err := remote.Get(c.repo.Digest(desc.Digest.String()), c.opts...)
	if err != nil {
		return nil, c.d.describe(err, what)
	}
	if err := metadata.Verify(desc, got.Manifest); err != nil {
		return nil, c.d.errorf(ErrRegistry, err, "%s: %s", what, err)
	}
	return got, nil
}

// resolve turns what the reference names into the image to read and its
// platform: the image itself, or the one of an index (and the indexes it
// nests) for the wanted platform.
func (d *describer) resolve(desc *remote.Descriptor, want v1.Platform, c children) (v1.Image, v1.Platform, error) {
	if !desc.MediaType.IsIndex() {
		img, err := desc.Image()
		if err != nil {
			return nil, v1.Platform{}, d.describe(err, topManifest)
		}
		cfg, err := d.config(img, topManifest)
		if err != nil {
			return nil, v1.Platform{}, err
		}
		p := v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
		if want.OS != "" && !platforms.Matches(p, want) {
			return nil, v1.Platform{}, d.errorf(ErrPlatform, nil, "the image is for %s, not %s", platforms.Describe(p), platforms.Format(want))
		}
		return img, p, nil
	}
	listed, err := metadata.Images(desc.Manifest, "the index", func(sub v1.Descriptor) ([]byte, error) {
		got, err := c.get(sub, "index "+sub.Digest.String())
		if err != nil {
			return nil, err
		}
		return got.Manifest, nil
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, v1.Platform{}, e
		}
		return nil, v1.Platform{}, d.errorf(ErrUnsupported, err, "%s", err)
	}
	images := make([]candidate, len(listed))
	for i, l := range listed {
		images[i] = candidate{desc: l}
	}
	var cands []platforms.Candidate
	for i := range images {
		p, ok, err := d.platformOf(&images[i], c)
		if err != nil {
			return nil, v1.Platform{}, err
		}
		if ok {
			cands = append(cands, platforms.Candidate{Platform: p, Index: i})
		}
	}
	if len(cands) == 0 {
		return nil, v1.Platform{}, d.errorf(ErrPlatform, nil, "the index lists no image")
	}
	pick, err := platforms.Pick(cands, want)
	if err != nil {
		return nil, v1.Platform{}, d.errorf(ErrPlatform, err, "%s", err)
	}
	chosen := images[pick.Index]
	if chosen.img == nil {
		if chosen.img, err = c.image(chosen.desc); err != nil {
			return nil, v1.Platform{}, err
		}
	}
	return chosen.img, pick.Platform, nil
}

// image fetches the image manifest desc names.
func (c children) image(desc v1.Descriptor) (v1.Image, error) {
	what := "manifest " + desc.Digest.String()
	got, err := c.get(desc, what)
	if err != nil {
		return nil, err
	}
	img, err := got.Image()
	if err != nil {
		return nil, c.d.describe(err, what)
	}
	return img, nil
}

// platformOf is an image's platform: from its descriptor or, when the
// index does not say, from its config. Manifests of platform unknown/unknown
// (build attestations) are not images to pick. Each manifest comes here
// once (metadata.Images lists it once).
func (d *describer) platformOf(cand *candidate, c children) (v1.Platform, bool, error) {
	if p := cand.desc.Platform; p != nil && p.OS != "" {
		return *p, p.OS != "unknown", nil
	}
	img, err := c.image(cand.desc)
	if err != nil {
		return v1.Platform{}, false, err
	}
	cfg, err := d.config(img, "manifest "+cand.desc.Digest.String())
	if err != nil {
		return v1.Platform{}, false, err
	}
	cand.img = img
	p := v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
	return p, p.OS != "unknown", nil
}

// config reads the config of img, whose manifest is called what, after
// checking that its descriptor gives a size within the cap: ggcr reads a
// config of unknown size (-1) to its end, however long.
func (d *describer) config(img v1.Image, what string) (*v1.ConfigFile, error) {
	mf, err := img.Manifest()
	if err != nil {
		return nil, d.describe(err, what)
	}
	cd := mf.Config
	switch {
	case cd.Digest.Hex == "":
		return nil, d.errorf(ErrUnsupported, nil, "%s names no config (its config has no digest)", what)
	case cd.Size <= 0:
		return nil, d.errorf(ErrUnsupported, nil, "%s gives its config no size", what)
	case cd.Size > metadata.MaxConfig:
		return nil, d.errorf(ErrUnsupported, nil, "%s", metadata.TooLarge("the config of "+what, cd.Size, metadata.MaxConfig))
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, d.describe(err, fmt.Sprintf("config %s", cd.Digest))
	}
	return cfg, nil
}
