package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/source/internal/metadata"
)

// MaxStatement bounds an in-toto statement [ReadStatement] reads: 64 MiB.
// SBOMs are the largest (an SPDX document of a large image is a few MiB);
// a statement is parsed whole to be shown.
const MaxStatement = 64 << 20

// fetchers is how many manifests and configs Read fetches at once.
const fetchers = 8

// Read reads what store's reference names down to its manifests and
// configs: every platform, its layers' descriptors and diffIDs, and the
// attestation manifests. It reads no layer and no statement.
func Read(ctx context.Context, store Store) (*Index, error) {
	root, raw, err := store.Root(ctx)
	if err != nil {
		return nil, err
	}
	store = budgetedStore{Store: store, b: newBudget("the manifests and configs of the index")}
	idx := &Index{Root: root}
	if !root.MediaType.IsIndex() {
		if !isImageManifest(root.MediaType, raw) {
			return nil, fmt.Errorf("the reference names a %s, not an image or an index", mediaTypeOrUnknown(root.MediaType))
		}
		p, artifact, err := readImage(ctx, store, root, raw)
		if err != nil {
			return nil, err
		}
		if artifact {
			return nil, fmt.Errorf("manifest %s is not a container image: its config is %s", root.Digest, p.Config.MediaType)
		}
		idx.Platforms = []Platform{p}
		idx.Finish()
		return idx, nil
	}
	listed, err := metadata.Images(raw, "the index", func(d v1.Descriptor) ([]byte, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return store.Fetch(ctx, d, metadata.MaxManifest)
	})
	if err != nil {
		return nil, err
	}
	if err := idx.readListed(ctx, store, listed); err != nil {
		return nil, err
	}
	idx.Finish()
	return idx, nil
}

// isImageManifest says whether a root of media type mt (which a layout or
// a daemon may leave empty) is an image manifest.
func isImageManifest(mt types.MediaType, raw []byte) bool {
	if mt.IsImage() {
		return true
	}
	if mt != "" {
		return false
	}
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	return err == nil && mf.Config.Digest.Hex != ""
}

func mediaTypeOrUnknown(mt types.MediaType) string {
	if mt == "" {
		return "document of no media type"
	}
	return string(mt)
}

// listedResult is what was read of one image manifest an index lists.
type listedResult struct {
	platform    Platform
	attestation *Attestation
	artifact    bool
	err         error
}

// readListed reads the manifest (and, for an image, the config) of every
// image manifest an index lists, several at once, keeping the index's
// order.
func (idx *Index) readListed(ctx context.Context, store Store, listed []v1.Descriptor) error {
	results := make([]listedResult, len(listed))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, fetchers)
	for i, d := range listed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i].err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			results[i] = readListed(ctx, store, d)
			if results[i].err != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.err != nil && !errors.Is(r.err, context.Canceled) {
			return r.err
		}
	}
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
	}
	for i, r := range results {
		switch {
		case r.attestation != nil:
			idx.Attestations = append(idx.Attestations, *r.attestation)
		case r.artifact:
			idx.Artifacts = append(idx.Artifacts, listed[i])
		default:
			idx.Platforms = append(idx.Platforms, r.platform)
		}
	}
	return nil
}

// readListed reads one listed image manifest: an attestation, an
// artifact, or a platform.
func readListed(ctx context.Context, store Store, d v1.Descriptor) listedResult {
	what := "manifest " + d.Digest.String()
	if d.Annotations[AnnotationReferenceType] == attestationManifest {
		a, err := readAttestation(ctx, store, d)
		return listedResult{attestation: a, err: err}
	}
	// An image's descriptor may carry its config's media type as its
	// artifactType (go-containerregistry writes it so).
	artifact := d.ArtifactType != "" && !isImageConfig(types.MediaType(d.ArtifactType))
	if artifact || (d.Platform != nil && d.Platform.OS == "unknown") || isCosignTag(d.Annotations[AnnotationRefName]) {
		return listedResult{artifact: true}
	}
	raw, err := store.Fetch(ctx, d, metadata.MaxManifest)
	if errors.Is(err, ErrAbsent) {
		p := Platform{Manifest: d, UncompressedBytes: -1, CompressedBytes: -1, LayerCount: -1, Attestation: -1, Absent: err.Error()}
		if d.Platform != nil {
			p.Platform = *d.Platform
		}
		return listedResult{platform: p}
	}
	if err != nil {
		return listedResult{err: fmt.Errorf("reading %s: %w", what, err)}
	}
	p, artifact, err := readImage(ctx, store, d, raw)
	return listedResult{platform: p, artifact: artifact, err: err}
}

// readImage reads the config of the image manifest raw, which d
// describes. An artifact (a manifest with a subject or a config that is no
// image config) is not read further.
func readImage(ctx context.Context, store Store, d v1.Descriptor, raw []byte) (Platform, bool, error) {
	what := "manifest " + d.Digest.String()
	p := Platform{Manifest: d, UncompressedBytes: -1, Attestation: -1}
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return p, false, fmt.Errorf("parsing %s: %w", what, err)
	}
	p.Annotations = mf.Annotations
	p.Config = mf.Config
	if mf.Subject != nil || !isImageConfig(mf.Config.MediaType) {
		return p, true, nil
	}
	if mf.Config.Digest.Hex == "" {
		return p, false, fmt.Errorf("%s names no config (its config has no digest)", what)
	}
	if mf.Config.Size > metadata.MaxConfig {
		return p, false, metadata.TooLarge("the config of "+what, mf.Config.Size, metadata.MaxConfig)
	}
	rawCfg, err := store.Fetch(ctx, mf.Config, metadata.MaxConfig)
	if errors.Is(err, ErrAbsent) {
		p.Absent, p.CompressedBytes, p.LayerCount = err.Error(), -1, -1
		if d.Platform != nil {
			p.Platform = *d.Platform
		}
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("reading config %s: %w", mf.Config.Digest, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return p, false, fmt.Errorf("parsing config %s: %w", mf.Config.Digest, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(mf.Layers) {
		return p, false, fmt.Errorf("%s lists %d layers but the config has %d diff_ids", what, len(mf.Layers), len(cfg.RootFS.DiffIDs))
	}
	p.Platform = v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant, OSVersion: cfg.OSVersion}
	if d.Platform != nil && d.Platform.OS != "" {
		p.Platform = *d.Platform
	}
	p.Labels = cfg.Config.Labels
	p.Layers = make([]Layer, len(mf.Layers))
	for i, l := range mf.Layers {
		p.Layers[i] = Layer{Digest: l.Digest, DiffID: cfg.RootFS.DiffIDs[i], MediaType: l.MediaType, Size: l.Size, Uncompressed: -1}
		if uncompressedType(l.MediaType) {
			p.Layers[i].Uncompressed = l.Size
		}
	}
	return p, false, nil
}

// isImageConfig says whether a config media type is a container image's.
// An empty one is taken for an image's (old tools wrote none).
func isImageConfig(mt types.MediaType) bool {
	switch mt {
	case types.DockerConfigJSON, types.OCIConfigJSON, "":
		return true
	}
	return false
}

// uncompressedType says whether a layer of media type mt is stored as a
// plain tar, so that its size is its uncompressed size.
func uncompressedType(mt types.MediaType) bool {
	switch mt {
	case types.OCIUncompressedLayer, types.DockerUncompressedLayer, types.OCIUncompressedRestrictedLayer:
		return true
	}
	return false
}

// readAttestation reads an attestation manifest's list of statements.
func readAttestation(ctx context.Context, store Store, d v1.Descriptor) (*Attestation, error) {
	a := &Attestation{Manifest: d, Platform: -1}
	if h, err := v1.NewHash(d.Annotations[AnnotationReferenceDigest]); err == nil {
		a.For = h
	}
	raw, err := store.Fetch(ctx, d, metadata.MaxManifest)
	if errors.Is(err, ErrAbsent) {
		a.Absent = err.Error()
		return a, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading attestation manifest %s: %w", d.Digest, err)
	}
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing attestation manifest %s: %w", d.Digest, err)
	}
	for _, l := range mf.Layers {
		a.Statements = append(a.Statements, StatementRef{Blob: l, PredicateType: l.Annotations[AnnotationPredicateType]})
	}
	return a, nil
}

// Finish ties attestations to the platforms they describe and computes
// each platform's sizes and the bytes it shares with the others. Read
// calls it; a source that builds an Index itself (the Docker daemon's
// summary) calls it once the platforms are in.
func (idx *Index) Finish() {
	for i := range idx.Attestations {
		a := &idx.Attestations[i]
		for j := range idx.Platforms {
			if idx.Platforms[j].Manifest.Digest == a.For && a.For.Hex != "" {
				a.Platform = j
				if idx.Platforms[j].Attestation < 0 {
					idx.Platforms[j].Attestation = i
				}
				break
			}
		}
	}
	idx.computeSizes()
}

// ReadStatement reads an in-toto statement an attestation holds, checked
// against its descriptor and at most [MaxStatement] bytes.
func ReadStatement(ctx context.Context, store Store, s StatementRef) ([]byte, error) {
	if s.Blob.Size > MaxStatement {
		return nil, metadata.TooLarge("statement "+s.Blob.Digest.String(), s.Blob.Size, MaxStatement)
	}
	b, err := store.Fetch(ctx, s.Blob, MaxStatement)
	if err != nil {
		return nil, fmt.Errorf("reading statement %s: %w", s.Blob.Digest, err)
	}
	return b, nil
}
