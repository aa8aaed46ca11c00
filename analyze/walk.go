package analyze

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/zeebo/xxh3"

	"github.com/strata-dev/strata/image"
)

const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
	metaPrefix     = ".wh..wh." // aufs metadata such as .wh..wh.plnk
)

// kind says what a tar entry means to the overlay.
type kind uint8

const (
	kindFile     kind = iota // an ordinary entry: file, dir, link, device…
	kindWhiteout             // .wh.NAME: NAME is deleted
	kindOpaque               // .wh..wh..opq: the directory hides lower layers
	kindImplied              // a parent directory the tar did not list
)

// rawEntry is a tar entry as read, before it is stacked.
type rawEntry struct {
	path string // cleaned and absolute; for whiteouts the deleted path, for opaque markers the directory
	link string
	size int64
	hash uint64
	mode uint32
	uid  uint32
	gid  uint32
	typ  byte
	kind kind
}

// ParsedLayer is one layer read from its blob: its entries, sizes and the
// digests its bytes hash to. It is produced by [ParseLayer], concurrently
// for many layers, and consumed in order by [Builder.Stack].
type ParsedLayer struct {
	Index            int
	Source           image.Layer
	entries          rawEntries
	Size             int64 // sum of the entries' sizes (dive's layer size)
	CompressedSize   int64 // bytes of the stored blob
	UncompressedSize int64 // bytes of the uncompressed tar
	Digest           v1.Hash
	DiffID           v1.Hash
	// Warnings holds digest mismatches that were passed over because the
	// caller asked to ignore errors.
	Warnings []error
}

// hiddenAtRoot are files that eStargz adds to a layer; they are not part of
// the image's filesystem.
var hiddenAtRoot = map[string]bool{
	"/stargz.index.json":     true,
	"/.prefetch.landmark":    true,
	"/.no.prefetch.landmark": true,
}

// cleanPath turns a tar name into a clean absolute path; "" for the root.
func cleanPath(name string) string {
	if isClean(name) {
		return "/" + strings.TrimSuffix(name, "/")
	}
	p := path.Clean("/" + name)
	if p == "/" {
		return ""
	}
	return p
}

// NewContentHash returns the hash of a regular file's contents that
// [Entry.Hash] holds: XXH3's 64-bit hash, fast and not cryptographic.
func NewContentHash() hash.Hash64 { return xxh3.New() }

// isClean says whether "/"+name, less one trailing slash, is already what
// path.Clean makes of it, as the names of most layers are: relative, with
// no empty, "." or ".." element.
func isClean(name string) bool {
	if name == "" || name[0] == '/' {
		return false
	}
	start := 0 // of the current element
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			continue
		}
		switch name[start:i] {
		case "", ".", "..":
			// An empty element is only allowed as the last, after a
			// trailing slash.
			if !(i == len(name) && start == i && i > 0) {
				return false
			}
		}
		start = i + 1
	}
	return true
}

// classify decides what a cleaned entry path means to the overlay and
// returns the path it applies to.
func classify(p string) (string, kind, bool) {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case strings.Contains(dir, "/"+metaPrefix):
		return "", 0, false // inside aufs metadata such as /.wh..wh.plnk/
	case base == opaqueMarker:
		return dir, kindOpaque, true
	case strings.HasPrefix(base, metaPrefix):
		return "", 0, false
	case strings.HasPrefix(base, whiteoutPrefix) && len(base) > len(whiteoutPrefix):
		name := base[len(whiteoutPrefix):]
		if name == "." || name == ".." {
			return "", 0, false // .wh.. and .wh... name no file
		}
		return dir + "/" + name, kindWhiteout, true
	}
	return p, kindFile, true
}

// walkTar reads every entry of a layer tar once, hashing regular files.
func walkTar(ctx context.Context, r io.Reader, buf []byte) (rawEntries, int64, error) {
	tr := newTarReader(r)
	var entries rawEntries
	var size int64
	var paths nameArena // the entries' paths, in shared strings
	h := NewContentHash()
	for {
		if err := ctx.Err(); err != nil {
			return rawEntries{}, 0, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return entries, size, nil
		}
		if err != nil {
			return rawEntries{}, 0, fmt.Errorf("reading tar entry %d: %w", entries.n+1, err)
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		// Most names are clean: their path is copied into the arena once,
		// and an ordinary entry keeps that copy.
		var p string
		interned := isClean(hdr.Name)
		if interned {
			p = paths.internAfter("/", strings.TrimSuffix(hdr.Name, "/"))
		} else if p = cleanPath(hdr.Name); p == "" {
			continue
		}
		if hiddenAtRoot[p] {
			continue
		}
		target, k, ok := classify(p)
		entrySize := hdr.Size
		if headerOnly(hdr.Typeflag) {
			entrySize = 0 // no data follows, whatever the header says
		}
		size += entrySize
		if !ok {
			continue
		}
		if k != kindFile || !interned {
			target = paths.intern(target)
		}
		e := rawEntry{
			path: target,
			link: hdr.Linkname,
			size: entrySize,
			mode: uint32(hdr.FileInfo().Mode()),
			uid:  uint32(hdr.Uid),
			gid:  uint32(hdr.Gid),
			typ:  hdr.Typeflag,
			kind: k,
		}
		if k != kindFile {
			e.size, e.link, e.mode = 0, "", 0
		}
		if k == kindFile && (hdr.Typeflag == tar.TypeReg || hdr.Typeflag == tar.TypeRegA) {
			e.typ = tar.TypeReg
			h.Reset()
			if _, err := io.CopyBuffer(h, tr, buf); err != nil {
				return rawEntries{}, 0, fmt.Errorf("reading %s: %w", p, err)
			}
			e.hash = h.Sum64()
		}
		entries.add(e)
	}
}

// headerOnly says whether entries of a tar type have no data: their header
// may still give any size, negative or a terabyte, which is not counted.
func headerOnly(typ byte) bool {
	switch typ {
	case tar.TypeLink, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeDir, tar.TypeFifo:
		return true
	}
	return false
}
