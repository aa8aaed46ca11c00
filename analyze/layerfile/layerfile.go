package layerfile

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/image"
)

var (
	// ErrNotInLayer says that a layer's tar holds no entry for a path.
	ErrNotInLayer = errors.New("not in the layer")
	// ErrNotRegular says that the entry a layer holds for a path is not a
	// regular file.
	ErrNotRegular = errors.New("not a regular file")
)

// Content is the beginning, or all, of one regular file of a layer.
type Content struct {
	Path string // clean absolute path
	Data []byte // at most the limit asked for
	Size int64  // full size, from the tar header
	// Truncated says that Data holds less than Size bytes.
	Truncated bool
}

// Walk streams a layer once, decompressing it as the analysis does, and
// calls fn with every entry the analysis stacks as a version of a path;
// see [tarparse.Walk]. The layer's digests are not checked again: the
// analysis did that.
func Walk(ctx context.Context, l image.Layer, fn func(e tarparse.FileEntry, data io.Reader) error) error {
	s, err := blob.Open(ctx, l, blob.WithVerify(false))
	if err != nil {
		return fmt.Errorf("opening layer: %w", err)
	}
	defer s.Close()
	return tarparse.Walk(ctx, s.Tar(), fn)
}

// Read reads at most limit bytes (all of it when limit is negative) of
// the regular file a layer holds at path. When the layer's tar names the
// path more than once, the last entry is the one read, as in the analysis;
// the whole layer is read to find out.
//
// It fails with [ErrNotInLayer] when the layer does not hold the path and
// with [ErrNotRegular] when it holds something else there.
func Read(ctx context.Context, l image.Layer, path string, limit int64) (Content, error) {
	p := tarparse.CleanPath(path)
	if p == "" {
		return Content{}, fmt.Errorf("/: %w", ErrNotRegular)
	}
	var (
		found bool
		last  tarparse.FileEntry
		data  []byte
	)
	err := Walk(ctx, l, func(e tarparse.FileEntry, r io.Reader) error {
		if e.Path != p {
			return nil
		}
		found, last, data = true, e, nil
		if e.Type != tar.TypeReg {
			return nil
		}
		n := e.Size
		if limit >= 0 {
			n = min(n, limit)
		}
		// ReadAll grows the buffer as bytes come, so a header that lies
		// about a huge size costs nothing up front.
		b, err := io.ReadAll(io.LimitReader(r, n))
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		data = b
		return nil
	})
	switch {
	case err != nil:
		return Content{}, err
	case !found:
		return Content{}, fmt.Errorf("%s: %w", p, ErrNotInLayer)
	case last.Type != tar.TypeReg:
		return Content{}, fmt.Errorf("%s: %w (%s)", p, ErrNotRegular, tarparse.TypeName(last.Type))
	}
	return Content{Path: p, Data: data, Size: last.Size, Truncated: int64(len(data)) < last.Size}, nil
}
