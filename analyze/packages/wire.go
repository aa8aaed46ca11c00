package packages

import (
	"encoding/binary"
	"errors"
	"math"
)

// A keeper parses its file on the goroutine that reads the layer, and
// hands what it made to Stacked as bytes (tarparse.Keeper's Kept), so
// that the layer cache keeps it with the layer: this is that form.
//
// It is a plain binary one, not JSON: a cached run of an image with a
// Debian base decodes every dpkg file list again, and encoding/json took
// a fifth of such a run (BenchmarkWire). It also keeps the exact bytes of
// every name and path, as the tree does, where JSON turned bytes that
// are not UTF-8 into U+FFFD and a file list's path then found no file.
//
// The form, after its version byte: the kind, the error, the distro, the
// files, the records; a string is its length (uvarint) and its bytes, a
// list its length and its elements, an optional value a 0 or 1 byte and
// then the value.

// wireVersion is the first byte of the form; a change of the form
// changes it and the analyzer's CacheKey.
const wireVersion = 2

// maxReplaceDepth bounds the chain of replaced modules decoded: Go's
// build information replaces a module once.
const maxReplaceDepth = 4

// encode writes what a keeper made of a file.
func (p *parsed) encode() []byte {
	var w wireWriter
	w.b = append(w.b, wireVersion, byte(p.kind))
	if p.err != nil {
		w.bool(true)
		w.string(p.err.Error())
	} else {
		w.bool(false)
	}
	w.bool(p.distro != nil)
	if d := p.distro; d != nil {
		w.string(d.ID)
		w.string(d.VersionID)
		w.string(d.PrettyName)
	}
	w.strings(p.files)
	w.uvarint(uint64(len(p.records)))
	for i := range p.records {
		r := &p.records[i]
		w.string(string(r.eco))
		w.string(r.name)
		w.string(r.version)
		w.string(r.arch)
		w.string(r.source)
		w.bool(r.epoch != nil)
		if r.epoch != nil {
			w.varint(int64(*r.epoch))
		}
		w.strings(r.files)
		w.string(r.dir)
		w.bool(r.multiArch)
		w.string(r.goVersion)
		w.uvarint(uint64(len(r.modules)))
		for j := range r.modules {
			w.module(&r.modules[j])
		}
	}
	return w.b
}

// decodeParsed reads what encode wrote. It returns false for anything
// else: bytes of another version, cut short or with bytes left over.
func decodeParsed(b []byte) (*parsed, bool) {
	if len(b) < 2 || b[0] != wireVersion {
		return nil, false
	}
	// The strings share one copy of the bytes.
	r := wireReader{b: b, s: string(b), off: 2}
	p := &parsed{kind: kind(b[1])}
	if r.bool() {
		p.err = errors.New(r.string())
	}
	if r.bool() {
		p.distro = &Distro{ID: r.string(), VersionID: r.string(), PrettyName: r.string()}
	}
	p.files = r.strings()
	if n := r.count(); n > 0 {
		p.records = make([]record, n)
		for i := range p.records {
			rec := &p.records[i]
			rec.eco = Ecosystem(r.string())
			rec.name = r.string()
			rec.version = r.string()
			rec.arch = r.string()
			rec.source = r.string()
			if r.bool() {
				e := r.varint()
				if e < math.MinInt32 || e > math.MaxInt32 {
					r.bad = true
				}
				epoch := int(e)
				rec.epoch = &epoch
			}
			rec.files = r.strings()
			rec.dir = r.string()
			rec.multiArch = r.bool()
			rec.goVersion = r.string()
			if n := r.count(); n > 0 {
				rec.modules = make([]Module, n)
				for j := range rec.modules {
					rec.modules[j] = r.module(0)
				}
			}
			if r.bad {
				break
			}
		}
	}
	if r.bad || r.off != len(r.s) {
		return nil, false
	}
	return p, true
}

type wireWriter struct{ b []byte }

func (w *wireWriter) uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *wireWriter) varint(v int64)   { w.b = binary.AppendVarint(w.b, v) }

func (w *wireWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *wireWriter) string(s string) {
	w.uvarint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *wireWriter) strings(ss []string) {
	w.uvarint(uint64(len(ss)))
	for _, s := range ss {
		w.string(s)
	}
}

func (w *wireWriter) module(m *Module) {
	w.string(m.Path)
	w.string(m.Version)
	w.bool(m.Replace != nil)
	if m.Replace != nil {
		w.module(m.Replace)
	}
}

// wireReader reads the form; once a read fails it sets bad and every
// later read returns a zero value.
type wireReader struct {
	b   []byte // the form, for encoding/binary's varints
	s   string // the same bytes, which the strings read share
	off int
	bad bool
}

func (r *wireReader) uvarint() uint64 {
	if r.bad {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.off += n
	return v
}

func (r *wireReader) varint() int64 {
	if r.bad {
		return 0
	}
	v, n := binary.Varint(r.b[r.off:])
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.off += n
	return v
}

func (r *wireReader) bool() bool {
	if r.bad || r.off >= len(r.s) || r.s[r.off] > 1 {
		r.bad = true
		return false
	}
	r.off++
	return r.s[r.off-1] == 1
}

func (r *wireReader) string() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.s)-r.off) {
		r.bad = true
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

// count reads a list's length, which cannot be more than the bytes left:
// every element takes one at least.
func (r *wireReader) count() int {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.s)-r.off) {
		r.bad = true
		return 0
	}
	return int(n)
}

func (r *wireReader) strings() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = r.string()
		if r.bad {
			return nil
		}
	}
	return ss
}

func (r *wireReader) module(depth int) Module {
	m := Module{Path: r.string(), Version: r.string()}
	if r.bool() {
		if depth >= maxReplaceDepth {
			r.bad = true
			return m
		}
		rep := r.module(depth + 1)
		m.Replace = &rep
	}
	return m
}
