package tarparse

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// FileEntry is an entry of a layer's tar that the analysis stacks as a
// version of a path.
type FileEntry struct {
	Path string // clean absolute path, as the tree names it
	Type byte   // tar typeflag; TypeRegA and sparse files read as TypeReg
	Size int64  // size from the tar header; a sparse file's logical size
	// Sparse says the file has holes: its data holds fewer bytes than
	// Size, and writing it to an io.WriteSeeker leaves the holes as holes.
	Sparse bool
	Link   string // target of symlinks and hard links, as the tar has it
	Mode   fs.FileMode
	UID    int64
	GID    int64
}

// Walk reads a layer's tar once and calls fn with every entry the
// analysis stacks as a version of a path — not whiteouts, opaque markers,
// aufs metadata or eStargz's own files — in tar order, through the same
// reader and filter as [Parser.Parse]. For a regular file data reads its
// contents; for anything else it reads nothing. data is only valid during
// the call. When fn returns fs.SkipAll the walk ends early without error;
// other errors end it and are returned as they are.
//
// The n-th entry fn sees for a path is the n-th version of that path the
// layer holds in the analysis's tree, so a caller can tell which one the
// stack keeps.
func Walk(ctx context.Context, r io.Reader, fn func(e FileEntry, data io.Reader) error) error {
	tr := newTarReader(r)
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
		p := cleanPath(hdr.Name)
		if _, k, _, stacked := accept(hdr.Typeflag, p); !stacked || k != Ordinary {
			continue
		}
		e := FileEntry{Path: p, Type: hdr.Typeflag, Size: hdr.Size, Link: hdr.Linkname, Mode: hdr.FileInfo().Mode(),
			UID: int64(hdr.Uid), GID: int64(hdr.Gid)}
		var data io.Reader = tr
		if regular(e.Type) {
			e.Type = tar.TypeReg
			e.Sparse = tr.sparse != nil && tr.sparse.holes()
		}
		if e.Type != tar.TypeReg {
			data = eofReader{}
		}
		if err := fn(e, data); err != nil {
			if errors.Is(err, fs.SkipAll) {
				return nil
			}
			return err
		}
	}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

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
