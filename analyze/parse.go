package analyze

import (
	"context"
	"fmt"

	"github.com/strata-dev/strata/image"
)

// ParseOption changes how [ParseLayer] reads a layer.
type ParseOption func(*parseOptions)

type parseOptions struct {
	ignoreErrors bool
	skipVerify   bool
	onRead       func(int64)
}

// IgnoreDigestErrors turns a layer whose bytes do not match its digest or
// diffID into a warning on the parsed layer instead of an error.
func IgnoreDigestErrors(ignore bool) ParseOption {
	return func(o *parseOptions) { o.ignoreErrors = ignore }
}

// VerifyDigests says whether the layer's bytes are hashed with sha256 and
// checked against the digest and diffID the image declares (the default).
// Without it those are taken as declared and nothing is hashed but what
// the image does not declare; on a layer stored uncompressed that is most
// of the work saved.
func VerifyDigests(verify bool) ParseOption {
	return func(o *parseOptions) { o.skipVerify = !verify }
}

// OnRead is called with the number of stored bytes each time some are
// read, for progress bars. It is called from the reading goroutine.
func OnRead(f func(n int64)) ParseOption {
	return func(o *parseOptions) { o.onRead = f }
}

// ParseLayer reads layer index of an image once: it walks its tar, hashes
// every regular file, and checks the stored bytes against the layer's digest
// and the uncompressed bytes against its diffID. It is safe to call for many
// layers at once.
func ParseLayer(ctx context.Context, index int, l image.Layer, opts ...ParseOption) (*ParsedLayer, error) {
	o := parseOptions{}
	for _, opt := range opts {
		opt(&o)
	}
	s, err := openLayer(l, o.onRead, !o.skipVerify)
	if err != nil {
		return nil, fmt.Errorf("opening layer %d: %w", index, err)
	}
	entries, size, err := walkTar(ctx, s.readAhead(), s.bufs.copy)
	if err != nil {
		s.close()
		return nil, fmt.Errorf("reading layer %d: %w", index, err)
	}
	digest, diffID, err := s.finish()
	if err != nil {
		return nil, fmt.Errorf("reading layer %d: %w", index, err)
	}
	p := &ParsedLayer{
		Index:            index,
		Source:           l,
		entries:          entries,
		Size:             size,
		CompressedSize:   s.stored.n,
		UncompressedSize: s.plain.n,
		Digest:           digest,
		DiffID:           diffID,
	}
	var mismatches []error
	if l.Digest.Hex != "" && l.Digest != p.Digest {
		mismatches = append(mismatches, &DigestError{Layer: index, What: "digest", Expected: l.Digest, Actual: p.Digest})
	}
	if l.DiffID.Hex != "" && l.DiffID != p.DiffID {
		mismatches = append(mismatches, &DigestError{Layer: index, What: "diffID", Expected: l.DiffID, Actual: p.DiffID})
	}
	if len(mismatches) > 0 && !o.ignoreErrors {
		return nil, mismatches[0]
	}
	p.Warnings = mismatches
	return p, nil
}
