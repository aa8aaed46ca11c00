package analyze

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/strata-dev/strata/image"
)

var (
	// ErrNotInLayer says that a layer's tar holds no entry for a path.
	ErrNotInLayer = errors.New("not in the layer")
	// ErrNotRegular says that the entry a layer holds for a path is not a
	// regular file.
	ErrNotRegular = errors.New("not a regular file")
)

// FileContent is the beginning, or all, of one regular file of a layer.
type FileContent struct {
	Path string // clean absolute path
	Data []byte // at most the limit asked for
	Size int64  // full size, from the tar header
	// Truncated says that Data holds less than Size bytes.
	Truncated bool
}

// LayerEntry is an entry of a layer's tar that the analysis stacks as a
// version of a path.
type LayerEntry struct {
	Path string // clean absolute path, as the Tree names it
	Type byte   // tar typeflag; TypeRegA reads as TypeReg
	Size int64  // size from the tar header
	Link string // target of symlinks and hard links, as the tar has it
	Mode fs.FileMode
}

// WalkLayer streams a layer once, decompressing it as the analysis does,
// and calls fn with every entry the analysis stacks as a version of a path
// — not whiteouts, opaque markers, aufs metadata or eStargz's own files —
// in tar order. For a regular file r reads its contents; for anything else
// it reads nothing. r is only valid during the call. When fn returns
// fs.SkipAll the walk ends early without error; other errors end it and
// are returned as they are.
//
// The n-th entry fn sees for a path is the n-th version of that path the
// layer holds in the Tree, so a caller can tell which one the stack keeps
// (see [Entry.Superseded]). Digests are not checked again.
func WalkLayer(ctx context.Context, l image.Layer, fn func(e LayerEntry, r io.Reader) error) error {
	s, err := openLayer(l, nil, false) // the digests were checked by the analysis
	if err != nil {
		return fmt.Errorf("opening layer: %w", err)
	}
	defer s.close()
	tr := tar.NewReader(s.plain)
	for i := 1; ; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading tar entry %d: %w", i, err)
		}
		// The same filter as walkTar, so that both see the same entries.
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		p := cleanPath(hdr.Name)
		if p == "" || hiddenAtRoot[p] {
			continue
		}
		if _, k, ok := classify(p); !ok || k != kindFile {
			continue
		}
		e := LayerEntry{Path: p, Type: hdr.Typeflag, Size: hdr.Size, Link: hdr.Linkname, Mode: hdr.FileInfo().Mode()}
		var r io.Reader = tr
		if e.Type == tar.TypeRegA {
			e.Type = tar.TypeReg
		}
		if e.Type != tar.TypeReg {
			r = eofReader{}
		}
		if err := fn(e, r); err != nil {
			if errors.Is(err, fs.SkipAll) {
				return nil
			}
			return err
		}
	}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// ReadFile reads at most limit bytes (all of it when limit is negative) of
// the regular file a layer holds at path. When the layer's tar names the
// path more than once, the last entry is the one read, as in the analysis;
// the whole layer is read to find out.
//
// It fails with [ErrNotInLayer] when the layer does not hold the path and
// with [ErrNotRegular] when it holds something else there.
func ReadFile(ctx context.Context, l image.Layer, path string, limit int64) (FileContent, error) {
	p := cleanPath(path)
	if p == "" {
		return FileContent{}, fmt.Errorf("/: %w", ErrNotRegular)
	}
	var (
		found bool
		last  LayerEntry
		data  []byte
	)
	err := WalkLayer(ctx, l, func(e LayerEntry, r io.Reader) error {
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
		return FileContent{}, err
	case !found:
		return FileContent{}, fmt.Errorf("%s: %w", p, ErrNotInLayer)
	case last.Type != tar.TypeReg:
		return FileContent{}, fmt.Errorf("%s: %w (%s)", p, ErrNotRegular, TypeName(last.Type))
	}
	return FileContent{Path: p, Data: data, Size: last.Size, Truncated: int64(len(data)) < last.Size}, nil
}

// TypeName names a tar typeflag in words: "directory", "symlink"…
func TypeName(typ byte) string {
	switch typ {
	case tar.TypeReg, tar.TypeRegA:
		return "regular file"
	case tar.TypeDir:
		return "directory"
	case tar.TypeSymlink:
		return "symlink"
	case tar.TypeLink:
		return "hard link"
	case tar.TypeChar:
		return "character device"
	case tar.TypeBlock:
		return "block device"
	case tar.TypeFifo:
		return "fifo"
	}
	return fmt.Sprintf("tar type %q", typ)
}
