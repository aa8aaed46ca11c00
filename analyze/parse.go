package analyze

import (
	"context"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
)

// ParsedLayer is one layer read from its blob: its tar's entries, its
// sizes and the digests its bytes hash to. Layers are parsed concurrently
// and stacked in order.
type ParsedLayer struct {
	Index            int
	Source           image.Layer
	Entries          *tarparse.Entries
	CompressedSize   int64 // bytes of the stored blob
	UncompressedSize int64 // bytes of the uncompressed tar
	Digest           v1.Hash
	DiffID           v1.Hash
	// Warnings holds digest mismatches that were passed over because the
	// caller asked to ignore errors.
	Warnings []error
	// Cached says the layer came from the cache, not its blob.
	Cached bool
}

// withReuse reads through buffers and a parser kept from layer to layer
// by one goroutine.
func withReuse(bufs *blob.Buffers, parser *tarparse.Parser) Option {
	return func(o *options) { o.bufs, o.parser = bufs, parser }
}

// ParseLayer reads layer index of an image once: it walks its tar, hashes
// every regular file, and checks the stored bytes against the layer's digest
// and the uncompressed bytes against its diffID. It is safe to call for many
// layers at once. Of the options, WithIgnoreErrors, WithVerify and
// WithOnRead apply.
func ParseLayer(ctx context.Context, index int, l image.Layer, opts ...Option) (*ParsedLayer, error) {
	o := newOptions(opts)
	if o.parser == nil {
		o.parser = tarparse.NewParser(tarparse.WithCapture(capture(o.observers)))
	}
	s, err := blob.Open(ctx, l, blob.WithVerify(o.verify), blob.WithOnRead(o.onRead), blob.WithBuffers(o.bufs))
	if err != nil {
		return nil, fmt.Errorf("opening layer %d: %w", index, err)
	}
	entries, err := o.parser.Parse(ctx, s.Tar())
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("reading layer %d: %w", index, err)
	}
	d, err := s.Finish()
	if err != nil {
		return nil, fmt.Errorf("reading layer %d: %w", index, err)
	}
	p := &ParsedLayer{
		Index:            index,
		Source:           l,
		Entries:          entries,
		CompressedSize:   d.Stored,
		UncompressedSize: d.Uncompressed,
		Digest:           d.Digest,
		DiffID:           d.DiffID,
	}
	var mismatches []error
	if l.Digest.Hex != "" && l.Digest != p.Digest {
		mismatches = append(mismatches, &blob.DigestError{Layer: index, What: "digest", Expected: l.Digest, Actual: p.Digest})
	}
	if l.DiffID.Hex != "" && l.DiffID != p.DiffID {
		mismatches = append(mismatches, &blob.DigestError{Layer: index, What: "diffID", Expected: l.DiffID, Actual: p.DiffID})
	}
	if len(mismatches) > 0 && !o.ignoreErrors {
		return nil, mismatches[0]
	}
	p.Warnings = mismatches
	return p, nil
}

// stackedLayer describes a parsed layer for the tree, which fills in the
// rest as it stacks it.
func (p *ParsedLayer) stackedLayer() *tree.Layer {
	return &tree.Layer{
		Index:            p.Index,
		ID:               p.Source.ID,
		Digest:           p.Digest,
		DiffID:           p.DiffID,
		MediaType:        p.Source.MediaType,
		CompressedSize:   p.CompressedSize,
		UncompressedSize: p.UncompressedSize,
		Warnings:         p.Warnings,
	}
}
