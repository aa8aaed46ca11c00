package source

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/internal/platforms"
)

// Attached is what is known of an opened image besides its layers: the
// index it was picked from, the digests it is known by, the artifacts
// that refer to it, its base and its provenance.
type Attached struct {
	// Index is the picture of the reference the image was opened from;
	// nil when its source gives none.
	Index *Index
	// Platform is the image's index in Index.Platforms, -1 when it was not
	// found there.
	Platform int
	// Subjects are the digests the image is known by: its manifest's and,
	// when it was picked from an index, the index's. A signature must sign
	// one of them.
	Subjects []v1.Hash
	// Referrers are the artifacts that refer to one of Subjects.
	Referrers []index.Referrer
	// Provenance is the SLSA provenance attested for the image, when
	// there is one.
	Provenance *index.Provenance
	// Base is the image's base, when it names one (or --base does).
	Base *index.Base
	// Warnings say what could not be read, which the caller shows and
	// goes on.
	Warnings []string
}

// Close releases the index's store.
func (a *Attached) Close() error {
	if a.Index == nil {
		return nil
	}
	return a.Index.Close()
}

// ReadAttached reads what is attached to img, opened from ref with opts:
// FindInIndex, then the referrers of the image's manifest and of its index
// (ListReferrers) and the provenance statement attested for the image
// (ReadProvenance). Failures to read referrers or provenance are
// warnings; failing to read the index is an error.
func ReadAttached(ctx context.Context, ref string, img *Image, opts ...Option) (*Attached, error) {
	a, err := FindInIndex(ctx, ref, img, opts...)
	if err != nil {
		return nil, err
	}
	a.ListReferrers(ctx)
	a.ReadProvenance(ctx)
	return a, nil
}

// FindInIndex reads the index of the reference img was opened from (its
// manifests and configs, again) and finds img in it by its diffIDs, which
// gives the digests it is known by and its manifest's annotations. For a
// daemon's or an archive's image, which has no documents to read, it
// returns an Attached with no Index.
func FindInIndex(ctx context.Context, ref string, img *Image, opts ...Option) (*Attached, error) {
	a := &Attached{Platform: -1}
	switch img.Kind {
	case Registry, OCILayout, OCIArchive, Containerd:
	default:
		return a, nil
	}
	k, path := SplitPrefix(ref)
	if k == Auto {
		k = img.Kind
	}
	if img.Kind == Registry {
		path = img.Reference
	}
	idx, err := ReadIndex(ctx, string(k)+"://"+path, append(slices.Clone(opts), WithKind(k))...)
	if err != nil {
		return nil, fmt.Errorf("reading what is attached to the image: %w", err)
	}
	a.Index = idx
	a.Platform = findImage(idx.Index, img)
	if a.Platform >= 0 {
		a.Subjects = append(a.Subjects, idx.Platforms[a.Platform].Manifest.Digest)
	}
	if idx.Root.MediaType.IsIndex() && img.Kind == Registry && idx.Root.Digest.Hex != "" {
		a.Subjects = append(a.Subjects, idx.Root.Digest)
	}
	return a, nil
}

// ListReferrers lists the referrers of each of the image's subjects, when
// its store keeps referrers; what fails is a warning.
func (a *Attached) ListReferrers(ctx context.Context) {
	if a.Index == nil {
		return
	}
	store, ok := a.Index.Store.(index.ReferrerStore)
	if !ok {
		return
	}
	for _, s := range a.Subjects {
		refs, err := index.ListReferrers(ctx, store, s)
		if err != nil {
			a.Warnings = append(a.Warnings, err.Error())
			continue
		}
		a.Referrers = append(a.Referrers, refs...)
	}
}

// ReadProvenance reads the SLSA provenance attested for the image, when
// there is one; what fails is a warning.
func (a *Attached) ReadProvenance(ctx context.Context) {
	if a.Platform < 0 {
		return
	}
	p, err := a.provenance(ctx)
	if err != nil {
		a.Warnings = append(a.Warnings, err.Error())
		return
	}
	a.Provenance = p
}

// findImage is the index of the platform whose layers are img's, by
// diffID and platform; -1 when none is.
func findImage(idx *index.Index, img *Image) int {
	layers, err := img.Layers()
	if err != nil {
		return -1
	}
	want := make([]v1.Hash, len(layers))
	for i, l := range layers {
		want[i] = l.DiffID
	}
	for i, p := range idx.Platforms {
		if p.Absent == "" && slices.Equal(p.DiffIDs(), want) && platforms.Matches(p.Platform, img.Platform) {
			return i
		}
	}
	for i, p := range idx.Platforms {
		if p.Absent == "" && slices.Equal(p.DiffIDs(), want) {
			return i
		}
	}
	return -1
}

// provenance reads the first SLSA provenance attested for the image.
func (a *Attached) provenance(ctx context.Context) (*index.Provenance, error) {
	p := a.Index.Platforms[a.Platform]
	if p.Attestation < 0 || a.Index.Store == nil {
		return nil, nil
	}
	for _, s := range a.Index.Attestations[p.Attestation].Statements {
		if s.Kind() != "provenance" {
			continue
		}
		raw, err := index.ReadStatement(ctx, a.Index.Store, s)
		if err != nil {
			return nil, err
		}
		st, err := index.ParseStatement(raw)
		if err != nil {
			return nil, fmt.Errorf("statement %s: %w", s.Blob.Digest, err)
		}
		return index.ParseProvenance(st)
	}
	return nil, nil
}

// ErrNotBase says the image named as the base is not one: its layers are
// not the first layers of the image.
var ErrNotBase = errors.New("not the image's base")

// FindBase finds img's base: from baseRef when it is given (its manifest
// and config are read, on the image's platform, and its diffIDs must be a
// prefix of the image's), else from what the image names — its manifest's
// annotations, its config's labels, or the provenance attached. With
// baseRef "auto", the base the image names is read likewise, from its
// registry, to count its layers. It returns nil when no base is known.
func FindBase(ctx context.Context, img *Image, att *Attached, baseRef string, opts ...Option) (*index.Base, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, err
	}
	own := make([]index.Layer, len(layers))
	for i, l := range layers {
		own[i] = index.Layer{Digest: l.Digest, DiffID: l.DiffID, Size: l.Size}
	}
	if baseRef != "" && baseRef != "auto" {
		b := &index.Base{Reference: baseRef, Layers: -1, From: index.BaseFromFlag}
		return b, compareBase(ctx, b, baseRef, img, own, opts)
	}
	var cands []*index.Base
	var annotations, labels map[string]string
	if att != nil && att.Platform >= 0 {
		annotations = att.Index.Platforms[att.Platform].Annotations
	}
	if cfg, err := img.ConfigFile(); err == nil && cfg != nil {
		labels = cfg.Config.Labels
	}
	if b, ok := index.BaseFromMetadata(annotations, labels); ok {
		cands = append(cands, b)
	}
	if att != nil && att.Provenance != nil {
		cands = append(cands, index.BaseCandidates(att.Provenance)...)
	}
	if len(cands) == 0 {
		return nil, nil
	}
	if baseRef != "auto" {
		if len(cands) > 1 && cands[0].From == index.BaseFromProvenance {
			return nil, nil // several images built it: which is the base needs comparing (--base auto)
		}
		return cands[0], nil
	}
	var last error
	for _, c := range cands {
		ref := c.Reference
		if c.Digest.Hex != "" && ref != "" {
			ref = repository(ref) + "@" + c.Digest.String()
		}
		if ref == "" {
			continue
		}
		if k, _ := SplitPrefix(ref); k == Auto && img.Kind == Registry {
			ref = string(Registry) + "://" + ref // where the image is, its base is likeliest
		}
		err := compareBase(ctx, c, ref, img, own, opts)
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}

// compareBase reads the base ref names on img's platform and compares
// its diffIDs with the image's layers.
func compareBase(ctx context.Context, b *index.Base, ref string, img *Image, own []index.Layer, opts []Option) error {
	base, err := OpenContext(ctx, ref, append(slices.Clone(opts), WithPlatform(img.Platform))...)
	if err != nil {
		return fmt.Errorf("reading the base %s: %w", ref, err)
	}
	defer base.Close()
	ls, err := base.Layers()
	if err != nil {
		return fmt.Errorf("reading the base %s: %w", ref, err)
	}
	diffIDs := make([]v1.Hash, len(ls))
	for i, l := range ls {
		diffIDs[i] = l.DiffID
	}
	if d, ok := base.Image.(interface{ Digest() v1.Hash }); ok && b.Digest.Hex == "" {
		b.Digest = d.Digest()
	}
	if !b.Compare(diffIDs, own) {
		n := index.SharedPrefix(diffIDs, diffIDsOf(own))
		return fmt.Errorf("%s is %w: its %d layers are not the first of the image's %d (they share %d)", ref, ErrNotBase, len(diffIDs), len(own), n)
	}
	return nil
}

func diffIDsOf(ls []index.Layer) []v1.Hash {
	out := make([]v1.Hash, len(ls))
	for i, l := range ls {
		out[i] = l.DiffID
	}
	return out
}

// repository is a reference without its tag or digest.
func repository(ref string) string {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	return ref
}
