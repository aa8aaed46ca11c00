package registry

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/source/internal/platforms"
)

// maxDepth bounds how deep indexes may nest.
const maxDepth = 8

// candidate is an image manifest listed by an index.
type candidate struct {
	parent v1.ImageIndex
	desc   v1.Descriptor
	img    v1.Image // when its config was read to learn its platform
}

// resolve turns what the reference names into the image to read and its
// platform: the image itself, or the one of an index (and the indexes it
// nests) for the wanted platform.
func (d *describer) resolve(desc *remote.Descriptor, want v1.Platform) (v1.Image, v1.Platform, error) {
	if !desc.MediaType.IsIndex() {
		img, err := desc.Image()
		if err != nil {
			return nil, v1.Platform{}, d.describe(err, topManifest)
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			return nil, v1.Platform{}, d.describe(err, "the image config")
		}
		p := v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
		if want.OS != "" && !platforms.Matches(p, want) {
			return nil, v1.Platform{}, d.errorf(ErrPlatform, nil, "the image is for %s, not %s", platforms.Format(p), platforms.Format(want))
		}
		return img, p, nil
	}
	idx, err := desc.ImageIndex()
	if err != nil {
		return nil, v1.Platform{}, d.describe(err, topManifest)
	}
	var images []candidate
	if err := d.collect(idx, 0, &images); err != nil {
		return nil, v1.Platform{}, err
	}
	var cands []platforms.Candidate
	for i := range images {
		p, ok, err := d.platformOf(&images[i])
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
	c, err := platforms.Pick(cands, want)
	if err != nil {
		return nil, v1.Platform{}, d.errorf(ErrPlatform, err, "%s", err)
	}
	chosen := images[c.Index]
	if chosen.img == nil {
		if chosen.img, err = chosen.parent.Image(chosen.desc.Digest); err != nil {
			return nil, v1.Platform{}, d.describe(err, "manifest "+chosen.desc.Digest.String())
		}
	}
	return chosen.img, c.Platform, nil
}

// collect lists the image manifests of an index and of the indexes it
// nests, depth first.
func (d *describer) collect(idx v1.ImageIndex, depth int, out *[]candidate) error {
	if depth > maxDepth {
		return d.errorf(ErrUnsupported, nil, "indexes nest more than %d deep", maxDepth)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return d.describe(err, "the index")
	}
	for _, desc := range im.Manifests {
		switch {
		case desc.MediaType.IsIndex():
			sub, err := idx.ImageIndex(desc.Digest)
			if err != nil {
				return d.describe(err, "index "+desc.Digest.String())
			}
			if err := d.collect(sub, depth+1, out); err != nil {
				return err
			}
		case desc.MediaType.IsImage():
			*out = append(*out, candidate{parent: idx, desc: desc})
		}
	}
	return nil
}

// platformOf is an image's platform: from its descriptor or, when the
// index does not say, from its config. Manifests of platform unknown/unknown
// (build attestations) are not images to pick.
func (d *describer) platformOf(c *candidate) (v1.Platform, bool, error) {
	if p := c.desc.Platform; p != nil && p.OS != "" {
		return *p, p.OS != "unknown", nil
	}
	img, err := c.parent.Image(c.desc.Digest)
	if err != nil {
		return v1.Platform{}, false, d.describe(err, "manifest "+c.desc.Digest.String())
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return v1.Platform{}, false, d.describe(err, fmt.Sprintf("the config of manifest %s", c.desc.Digest))
	}
	c.img = img
	p := v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
	return p, p.OS != "unknown", nil
}
