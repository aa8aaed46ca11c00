package tarparse

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/zeebo/xxh3"
)

// The encoding of Entries: a header, each entry with its path front-coded
// against the one before (tar order shares most of it), what was captured,
// and an XXH3 checksum of all of it. Version 1.
const (
	encodingMagic   = "strata-entries\n"
	encodingVersion = 1
)

// MarshalBinary encodes the entries, and what was kept of their files,
// for a cache or a saved analysis.
func (es *Entries) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 64+es.Len()*24)
	b = append(b, encodingMagic...)
	b = append(b, encodingVersion)
	b = binary.AppendUvarint(b, uint64(es.Len()))
	b = binary.AppendVarint(b, es.size)
	prev := ""
	for e := range es.All() {
		p := es.Path(e)
		shared := 0
		for shared < len(p) && shared < len(prev) && p[shared] == prev[shared] {
			shared++
		}
		b = binary.AppendUvarint(b, uint64(shared))
		b = appendString(b, p[shared:])
		b = appendString(b, es.Link(e))
		b = binary.AppendVarint(b, e.Size)
		b = binary.LittleEndian.AppendUint64(b, e.Hash)
		b = binary.AppendUvarint(b, uint64(e.Mode))
		b = binary.AppendVarint(b, e.UID)
		b = binary.AppendVarint(b, e.GID)
		b = binary.AppendVarint(b, e.Stored)
		b = append(b, e.Type, byte(e.Kind))
		prev = p
	}
	b = binary.AppendUvarint(b, uint64(len(es.Captured)))
	for _, f := range es.Captured {
		b = appendString(b, f.Path)
		b = binary.AppendUvarint(b, uint64(f.Entry))
		b = binary.AppendVarint(b, f.Size)
		b = appendString(b, string(f.Kept))
	}
	return binary.LittleEndian.AppendUint64(b, xxh3.Hash(b)), nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// UnmarshalEntries decodes what MarshalBinary wrote. Any change to the
// bytes, a truncation or another version is an error, never a panic.
func UnmarshalEntries(data []byte) (*Entries, error) {
	if len(data) < len(encodingMagic)+1+8 {
		return nil, errors.New("decoding entries: too short")
	}
	body, sum := data[:len(data)-8], binary.LittleEndian.Uint64(data[len(data)-8:])
	if xxh3.Hash(body) != sum {
		return nil, errors.New("decoding entries: the checksum does not match (the data is damaged)")
	}
	if string(body[:len(encodingMagic)]) != encodingMagic {
		return nil, errors.New("decoding entries: not encoded entries")
	}
	if v := body[len(encodingMagic)]; v != encodingVersion {
		return nil, fmt.Errorf("decoding entries: version %d, this strata reads %d", v, encodingVersion)
	}
	d := decoder{b: body[len(encodingMagic)+1:]}
	es := &Entries{}
	n := d.count()
	es.list.Reserve(n)
	es.size = d.varint()
	var prev string
	for i := 0; i < n && d.err == nil; i++ {
		shared := int(d.uvarint())
		if shared > len(prev) {
			d.fail()
			break
		}
		// The path and the link are copied once, into the names arena,
		// from views of data; prev is the path as the arena holds it.
		e := Entry{path: es.names.AddJoined(prev[:shared], d.view())}
		e.link = es.names.Add(d.view())
		e.Size = d.varint()
		e.Hash = d.uint64()
		mode := d.uvarint()
		if mode > math.MaxUint32 {
			d.fail()
		}
		e.Mode = uint32(mode)
		e.UID, e.GID, e.Stored = d.varint(), d.varint(), d.varint()
		e.Type, e.Kind = d.byte(), Kind(d.byte())
		if e.Kind > Opaque {
			d.fail()
		}
		es.list.Add(e)
		prev = es.names.Get(e.path)
	}
	m := d.count()
	for i := 0; i < m && d.err == nil; i++ {
		f := CapturedFile{Path: d.string()}
		f.Entry = int(d.uvarint())
		f.Size = d.varint()
		f.Kept = []byte(d.string())
		if f.Entry >= es.Len() {
			d.fail()
		}
		es.Captured = append(es.Captured, f)
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		return nil, d.err
	}
	return es, nil
}

// decoder reads the encoding, keeping the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errors.New("decoding entries: malformed")
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a number of items, no more than the bytes left could hold.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// view is string's bytes without copying them, valid while data is: for
// the callers that copy it at once.
func (d *decoder) view() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[0], n)
	d.b = d.b[n:]
	return s
}

func (d *decoder) uint64() uint64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}
