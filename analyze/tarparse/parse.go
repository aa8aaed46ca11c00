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
	UID  uint32
	GID  uint32
	Type byte // tar typeflag; TypeRegA reads as TypeReg
	Kind Kind
}

// Entries are a layer's entries in tar order, with the sum of the sizes
// of all its tar entries (dive's layer size). Their paths and link
// targets are kept in shared chunks rather than one string each.
type Entries struct {
	list  arena.Paged[Entry]
	names arena.Strings
	size  int64
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

// NewContentHash returns the hash of a regular file's contents that
// [Entry.Hash] holds: XXH3's 64-bit hash, fast and not cryptographic.
func NewContentHash() hash.Hash64 { return xxh3.New() }

// Parser reads layer tars. It keeps its buffers from one layer to the
// next; use one Parser per goroutine.
type Parser struct {
	buf  []byte // what file contents are hashed through when they cannot be hashed in place
	hash hash.Hash64
}

// NewParser returns a parser.
func NewParser() *Parser {
	return &Parser{buf: make([]byte, 256<<10), hash: NewContentHash()}
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
		e := Entry{path: ref, Kind: k, Mode: uint32(hdr.FileInfo().Mode()), UID: uint32(hdr.Uid), GID: uint32(hdr.Gid)}
		if k == Ordinary {
			e.link = es.names.Add(hdr.Linkname)
			e.Size = size
			e.Type = hdr.Typeflag
			if hdr.Typeflag == tar.TypeReg || hdr.Typeflag == tar.TypeRegA {
				e.Type = tar.TypeReg
				h := ps.hash
				h.Reset()
				if _, err := io.CopyBuffer(h, tr, ps.buf); err != nil {
					return nil, fmt.Errorf("reading %s: %w", target, err)
				}
				e.Hash = h.Sum64()
			}
		}
		es.list.Add(e)
	}
}
