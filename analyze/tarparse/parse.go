package tarparse

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"iter"
	"strings"

	"github.com/zeebo/xxh3"

	"github.com/strata-dev/strata/internal/arena"
)

// Entry is one entry of a layer's tar that matters to the overlay, as
// read, before it is stacked.
type Entry struct {
	path, link arena.Ref // see [Entries.Path] and [Entries.Link]
	// Size is the size of the entry's data; 0 for entries that have none
	// whatever their header says, and for whiteouts and opaque markers.
	Size int64
	// Hash is the XXH3 hash of a regular file's contents; see
	// [NewContentHash].
	Hash uint64
	Mode uint32 // fs.FileMode bits, as archive/tar's FileInfo gives them
	UID  int64
	GID  int64
	// Stored is, for a sparse file with holes, the bytes of data its tar
	// stores (Size is its logical size); 0 for every other entry.
	Stored int64
	Type   byte // tar typeflag; TypeRegA and sparse files read as TypeReg
	Kind   Kind
}

// Entries are a layer's entries in tar order, with the sum of the sizes
// of all its tar entries (dive's layer size). Their paths and link
// targets are kept in shared chunks rather than one string each.
type Entries struct {
	list  arena.Paged[Entry]
	names arena.Strings
	size  int64
	// Captured are the contents kept of the files the parser was asked
	// to keep, in tar order.
	Captured []CapturedFile
}

// CapturedFile is the contents of a regular file that the parser kept
// while it hashed it, for analyses that read files (package databases,
// secrets) without a second pass over the layer.
type CapturedFile struct {
	Path  string // clean absolute path
	Entry int    // the file's index in the layer's entries
	Data  []byte // the first bytes, at most the limit asked for
	// Truncated says Data holds less than the whole file.
	Truncated bool
}

// Len is the number of entries.
func (es *Entries) Len() int { return es.list.Len() }

// Size is the sum of the sizes of the layer's tar entries, as dive counts
// it.
func (es *Entries) Size() int64 { return es.size }

// All yields the entries in tar order.
func (es *Entries) All() iter.Seq[*Entry] { return es.list.All() }

// Path is the clean absolute path an entry applies to: for whiteouts the
// path deleted, for opaque markers the directory ("" for the root).
func (es *Entries) Path(e *Entry) string { return es.names.Get(e.path) }

// Link is the target of a symlink or hard link, as the tar has it.
func (es *Entries) Link(e *Entry) string { return es.names.Get(e.link) }

// regular says whether entries of a tar type are regular files: the old
// GNU sparse type is one, stored in fragments.
func regular(typ byte) bool {
	return typ == tar.TypeReg || typ == tar.TypeRegA || typ == tar.TypeGNUSparse
}

// NewContentHash returns the hash of a regular file's contents that
// [Entry.Hash] holds: XXH3's 64-bit hash, fast and not cryptographic.
func NewContentHash() hash.Hash64 { return xxh3.New() }

// Parser reads layer tars. It keeps its buffers from one layer to the
// next; use one Parser per goroutine.
type Parser struct {
	buf     []byte // what file contents are hashed through when they cannot be hashed in place
	hash    hash.Hash64
	capture func(path string, size int64) int64
}

// ParserOption changes what a Parser keeps.
type ParserOption func(*Parser)

// WithCapture keeps the contents of regular files while they are hashed:
// f says, for a file's path and size, how many of its first bytes to keep
// (0 for none). It is called for every regular file, so it must be cheap.
// Sparse files with holes are not kept.
func WithCapture(f func(path string, size int64) int64) ParserOption {
	return func(p *Parser) { p.capture = f }
}

// NewParser returns a parser.
func NewParser(opts ...ParserOption) *Parser {
	p := &Parser{buf: make([]byte, 256<<10), hash: NewContentHash()}
	for _, opt := range opts {
		opt(p)
	}
	return p
}

// Parse reads every entry of a layer tar once, hashing regular files. A
// reader with a Slice method (the read-ahead reader of package blob) has
// file contents hashed in place, without a copy.
func (ps *Parser) Parse(ctx context.Context, r io.Reader) (*Entries, error) {
	tr := newTarReader(r)
	es := &Entries{}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return es, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading tar entry %d: %w", es.Len()+1, err)
		}
		// Most names are clean: their path is copied into the arena once,
		// with its leading slash, and an ordinary entry keeps that copy.
		var p string
		var ref arena.Ref
		interned := isClean(hdr.Name)
		if interned {
			ref = es.names.AddJoined("/", strings.TrimSuffix(hdr.Name, "/"))
			p = es.names.Get(ref)
		} else {
			p = cleanPath(hdr.Name)
		}
		target, k, counted, stacked := accept(hdr.Typeflag, p)
		if !counted {
			continue
		}
		size := hdr.Size
		if headerOnly(hdr.Typeflag) {
			size = 0 // no data follows, whatever the header says
		}
		es.size += size
		if !stacked {
			continue
		}
		if k != Ordinary || !interned {
			ref = es.names.Add(target)
		}
		e := Entry{path: ref, Kind: k}
		if k == Ordinary {
			e.link = es.names.Add(hdr.Linkname)
			e.Size = size
			e.Mode = uint32(hdr.FileInfo().Mode())
			e.UID, e.GID = int64(hdr.Uid), int64(hdr.Gid)
			e.Type = hdr.Typeflag
			if regular(hdr.Typeflag) {
				e.Type = tar.TypeReg
				h := ps.hash
				h.Reset()
				var err error
				if tr.sparse != nil {
					holes := tr.sparse.holes()
					var stored int64
					stored, err = tr.hashSparse(h)
					if holes {
						e.Stored = stored
					}
				} else if limit := ps.keep(target, size); limit > 0 {
					err = ps.hashKeeping(es, h, tr, target, limit, size)
				} else {
					_, err = io.CopyBuffer(h, tr, ps.buf)
				}
				if err != nil {
					return nil, fmt.Errorf("reading %s: %w", target, err)
				}
				e.Hash = h.Sum64()
			}
		}
		es.list.Add(e)
	}
}

// keep is how many bytes of a file to keep.
func (ps *Parser) keep(path string, size int64) int64 {
	if ps.capture == nil {
		return 0
	}
	return min(ps.capture(path, size), size)
}

// hashKeeping hashes a file and keeps its first limit bytes.
func (ps *Parser) hashKeeping(es *Entries, h hash.Hash64, r io.Reader, path string, limit, size int64) error {
	data := make([]byte, 0, limit)
	kept := &keeper{b: data}
	if _, err := io.CopyBuffer(io.MultiWriter(h, kept), r, ps.buf); err != nil {
		return err
	}
	es.Captured = append(es.Captured, CapturedFile{Path: path, Entry: es.Len(), Data: kept.b, Truncated: int64(len(kept.b)) < size})
	return nil
}

// keeper keeps what is written to it up to its capacity.
type keeper struct{ b []byte }

func (k *keeper) Write(p []byte) (int, error) {
	if room := cap(k.b) - len(k.b); room > 0 {
		k.b = append(k.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
