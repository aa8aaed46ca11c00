package index

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Base is an image's base: the image it was built FROM, and which of its
// layers are the base's. A user interface marks layers below Layers as
// the base's ([Base.IsBaseLayer]) and can hide them.
type Base struct {
	// Reference names the base as it was found
	// (docker.io/library/alpine:3.20), empty when only its digest is.
	Reference string
	// Digest is the base's manifest digest, or the digest of its index
	// when that is what the image names; zero when unknown.
	Digest v1.Hash
	// Layers is how many of the image's first layers are the base's, or
	// -1 when the base was named but its layers were not compared with the
	// image's (its manifest and config were not fetched).
	Layers int
	// SizeBytes is the compressed size of those layers, 0 when Layers is
	// -1.
	SizeBytes int64
	// From says where the base was found: "annotation" (the manifest's
	// org.opencontainers.image.base.*), "label" (the config's), "provenance"
	// (a SLSA provenance's materials) or "flag" (--base).
	From string
	// Verified says the base's diffIDs were read and are a prefix of the
	// image's.
	Verified bool
}

// Where a base was found.
const (
	BaseFromAnnotation = "annotation"
	BaseFromLabel      = "label"
	BaseFromProvenance = "provenance"
	BaseFromFlag       = "flag"
)

// IsBaseLayer says whether layer i (0 first) of the image is the base's.
func (b *Base) IsBaseLayer(i int) bool { return b != nil && i >= 0 && i < b.Layers }

// BaseFromMetadata finds a base named by an image manifest's annotations,
// else by its config's labels (org.opencontainers.image.base.name and
// .base.digest), and false when neither names one. Its layers are not
// known yet: see [Base.Compare].
func BaseFromMetadata(annotations, labels map[string]string) (*Base, bool) {
	for _, src := range []struct {
		m    map[string]string
		from string
	}{{annotations, BaseFromAnnotation}, {labels, BaseFromLabel}} {
		name, dg := src.m[AnnotationBaseName], src.m[AnnotationBaseDigest]
		if name == "" && dg == "" {
			continue
		}
		b := &Base{Reference: name, Layers: -1, From: src.from}
		if h, err := v1.NewHash(dg); err == nil {
			b.Digest = h
		}
		return b, true
	}
	return nil, false
}

// Compare sets how many of the image's layers are the base's: the base's
// diffIDs must be a prefix of the image's. It returns false, and leaves
// the base unverified, when they are not.
func (b *Base) Compare(baseDiffIDs []v1.Hash, image []Layer) bool {
	if len(baseDiffIDs) > len(image) {
		return false
	}
	var size int64
	for i, d := range baseDiffIDs {
		if image[i].DiffID != d {
			return false
		}
		size += image[i].Size
	}
	b.Layers, b.SizeBytes, b.Verified = len(baseDiffIDs), size, true
	return true
}

// SharedPrefix is how many first layers two images have in common, by
// diffID.
func SharedPrefix(a, b []v1.Hash) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// BaseCandidates lists the bases a provenance names: the container images
// among its materials, the BuildKit frontend's excepted. One of them is
// the final stage's base; a multi-stage build names several, and only
// comparing their diffIDs with the image's ([Base.Compare]) tells which.
func BaseCandidates(p *Provenance) []*Base {
	var out []*Base
	for _, m := range p.BaseImages {
		b := &Base{Reference: m.Image, Layers: -1, From: BaseFromProvenance}
		if h, err := v1.NewHash(m.Digest); err == nil {
			b.Digest = h
		}
		out = append(out, b)
	}
	return out
}
