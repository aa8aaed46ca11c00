package tarparse

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
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
	UID  int64
	GID  int64
	// Stored is, for a sparse file with holes, the bytes of data its tar
	// stores (Size is its logical size); 0 for every other entry.
	Stored int64
	Mode   uint32 // fs.FileMode bits, as archive/tar's FileInfo gives them
	Type   byte   // tar typeflag; TypeRegA and sparse files read as TypeReg
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

// CapturedFile is what a [Keeper] kept of a regular file while the parser
// hashed it, for analyses that read files (package databases, secrets,
// build information) without a second pass over the layer.
type CapturedFile struct {
	Path  string // clean absolute path
	Entry int    // the file's index in the layer's entries
	Size  int64  // the file's size
	Kept  []byte // what the Keeper kept: see Keeper.Kept
}

// A Keeper is given a regular file's contents, in order, while the parser
// hashes them, and keeps what it needs of them.
type Keeper interface {
	// Write takes the next bytes; it must not fail or keep p.
	io.Writer
	// Kept returns what was kept, once the whole file has been written:
	// bytes, in a form of the keeper's choosing, so that what was kept of
	// a layer can be cached with it.
	Kept() []byte
}

// Prefix keeps a file's first bytes: its Kept is at most the limit it was
// made with.
type Prefix struct{ b []byte }

// NewPrefix returns a Prefix that keeps up to limit bytes.
func NewPrefix(limit int64) *Prefix { return &Prefix{b: make([]byte, 0, limit)} }

// Write keeps what fits.
func (k *Prefix) Write(p []byte) (int, error) {
	if room := cap(k.b) - len(k.b); room > 0 {
		k.b = append(k.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Kept returns the bytes kept.
func (k *Prefix) Kept() []byte { return k.b }

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

// At returns entry i, in tar order.
func (es *Entries) At(i int) *Entry { return es.list.At(i) }

// AppendListPath appends the path a layer's file list shows for e, as dive
// and the JSON report list it: relative to the root, a whiteout as its
// directory and [WhiteoutPrefix] and its name, an opaque marker as its
// directory and [OpaqueMarker].
func (es *Entries) AppendListPath(b []byte, e *Entry) []byte {
	p := es.Path(e)
	switch e.Kind {
	case Whiteout:
		i := strings.LastIndexByte(p, '/')
		if i > 0 {
			b = append(append(b, p[1:i]...), '/')
		}
		return append(append(b, WhiteoutPrefix...), p[i+1:]...)
	case Opaque:
		if p != "" {
			b = append(append(b, p[1:]...), '/')
		}
		return append(b, OpaqueMarker...)
	}
	if p != "" {
		b = append(b, p[1:]...)
	}
	return b
}

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
	capture func(path string, size int64, mode fs.FileMode) Keeper
}

// ParserOption changes what a Parser keeps.
type ParserOption func(*Parser)

// WithCapture keeps what analyses need of regular files while they are
// hashed: f returns, for a file's path, size and mode, a Keeper to give
// its contents to, or nil. It is called for every regular file, so it
// must be cheap. Sparse files with holes are not given to keepers.
func WithCapture(f func(path string, size int64, mode fs.FileMode) Keeper) ParserOption {
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
		// Whiteouts and opaque markers keep their header's mode and owner
		// too: the JSON report lists them as the tar does.
		e := Entry{path: ref, Kind: k, Mode: uint32(hdr.FileInfo().Mode()), UID: int64(hdr.Uid), GID: int64(hdr.Gid)}
		if k == Ordinary {
			e.link = es.names.Add(hdr.Linkname)
			e.Size = size
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
				} else if k := ps.keeper(target, size, fs.FileMode(e.Mode)); k != nil {
					err = ps.hashKeeping(es, h, tr, target, size, k)
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

// keeper is the keeper of a file, if any.
func (ps *Parser) keeper(path string, size int64, mode fs.FileMode) Keeper {
	if ps.capture == nil {
		return nil
	}
	return ps.capture(path, size, mode)
}

// hashKeeping hashes a file and gives its contents to a keeper.
func (ps *Parser) hashKeeping(es *Entries, h hash.Hash64, r io.Reader, path string, size int64, k Keeper) error {
	if _, err := io.CopyBuffer(io.MultiWriter(h, k), r, ps.buf); err != nil {
		return err
	}
	es.Captured = append(es.Captured, CapturedFile{Path: path, Entry: es.Len(), Size: size, Kept: k.Kept()})
	return nil
}
