package packages

import (
	"bytes"
	"debug/buildinfo"
	"encoding/binary"
	"io"
	"sort"
)

// What an elfKeeper keeps of an ELF file: enough for debug/buildinfo to
// read the build information of a Go executable from a sparse copy of it.
const (
	// elfHead is kept from the start: the ELF header and program headers
	// (and the section headers, which Go's linker writes right after).
	elfHead = 16 << 10
	// elfTail is kept from the end, once the magic was seen: the section
	// headers and their names, which C linkers write last.
	elfTail = 64 << 10
	// buildInfoSize is kept from each 16-byte-aligned magic: the build
	// information follows it.
	buildInfoSize = 64 << 10
	// maxMagics bounds the magics kept of one file.
	maxMagics = 8
	// maxSectionHeaders bounds the section header table kept.
	maxSectionHeaders = 1 << 20
	// buildInfoMagic starts a Go executable's build information.
	buildInfoMagic = "\xff Go buildinf:"
	buildInfoAlign = 16
)

// elfKeeper watches an executable's bytes go by. If it is an ELF file it
// keeps its head, every region that starts with the Go build-information
// magic (16-byte aligned, as the linker writes it), and, once a magic was
// seen, the section header table and the file's tail; Kept reads the build
// information from those regions through debug/buildinfo. It never holds
// the whole binary.
type elfKeeper struct {
	path   string
	size   int64
	off    int64 // bytes seen
	notELF bool
	spans  []span
	magics int
	// sections is the section header table's offset and size, once the
	// ELF header was read.
	shoff, shsize int64
	header        bool
	// carry is the end of the previous write, for a magic across writes.
	carry []byte
}

// span is a region of the file kept, from off, contiguous.
type span struct {
	off  int64
	want int64
	b    []byte
}

func newELFKeeper(path string, size int64) *elfKeeper {
	return &elfKeeper{path: path, size: size}
}

func (k *elfKeeper) Write(p []byte) (int, error) {
	start := k.off
	k.off += int64(len(p))
	if k.notELF {
		return len(p), nil
	}
	if start == 0 {
		if len(p) >= 4 && string(p[:4]) != "\x7fELF" {
			k.notELF = true // most executables: decided before anything is kept
			return len(p), nil
		}
		k.spans = append(k.spans, span{off: 0, want: min(k.size, elfHead)})
	}
	k.fill(p, start)
	if !k.header {
		if head := k.spans[0].b; len(head) >= 4 && string(head[:4]) != "\x7fELF" {
			k.notELF, k.spans = true, nil
			return len(p), nil
		}
		k.readHeader()
	}
	k.findMagics(p, start)
	if k.magics > 0 && k.off > k.size-elfTail && !k.has(max(0, k.size-elfTail)) {
		k.add(max(0, k.size-elfTail), elfTail, p, start)
	}
	return len(p), nil
}

// fill appends p, which starts at offset start, to the spans it continues.
func (k *elfKeeper) fill(p []byte, start int64) {
	end := start + int64(len(p))
	for i := range k.spans {
		s := &k.spans[i]
		at := s.off + int64(len(s.b)) // the next byte s wants
		if int64(len(s.b)) >= s.want || at < start || at >= end {
			continue
		}
		n := min(s.want-int64(len(s.b)), end-at)
		s.b = append(s.b, p[at-start:at-start+n]...)
	}
}

// add keeps want bytes from off, taking what p already holds.
func (k *elfKeeper) add(off, want int64, p []byte, start int64) {
	k.spans = append(k.spans, span{off: off, want: want})
	k.fill(p, start)
}

// has says whether a span starts at off.
func (k *elfKeeper) has(off int64) bool {
	for _, s := range k.spans {
		if s.off == off {
			return true
		}
	}
	return false
}

// readHeader reads, once the head holds it, the ELF header's section
// header table offset and size.
func (k *elfKeeper) readHeader() {
	h := k.spans[0].b
	if len(h) < 64 && int64(len(h)) < k.spans[0].want {
		return
	}
	k.header = true
	if len(h) < 52 {
		return
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if h[5] == 2 {
		bo = binary.BigEndian
	}
	switch h[4] {
	case 1: // 32-bit
		k.shoff = int64(bo.Uint32(h[32:]))
		k.shsize = int64(bo.Uint16(h[46:])) * int64(bo.Uint16(h[48:]))
	case 2:
		if len(h) < 64 {
			return
		}
		k.shoff = int64(bo.Uint64(h[40:]))
		k.shsize = int64(bo.Uint16(h[58:])) * int64(bo.Uint16(h[60:]))
	}
	if k.shoff < 0 || k.shsize > maxSectionHeaders || k.shoff > k.size {
		k.shoff, k.shsize = 0, 0
	}
}

// findMagics looks for the magic in p and across the end of the write
// before, and keeps the region from each aligned one — with the section
// header table, once a magic was seen.
func (k *elfKeeper) findMagics(p []byte, start int64) {
	const overlap = len(buildInfoMagic) - 1
	if len(k.carry) > 0 { // a magic that begins in the carry
		edge := append(k.carry, p[:min(len(p), overlap)]...)
		if j := bytes.Index(edge, []byte(buildInfoMagic)); j >= 0 && j < len(k.carry) {
			k.magic(start-int64(len(k.carry)-j), k.carry[j:], p, start)
		}
	}
	for i := 0; k.magics < maxMagics; {
		j := bytes.Index(p[i:], []byte(buildInfoMagic))
		if j < 0 {
			break
		}
		k.magic(start+int64(i+j), nil, p, start)
		i += j + 1
	}
	if len(p) >= overlap {
		k.carry = append(k.carry[:0], p[len(p)-overlap:]...)
	} else {
		k.carry = append(k.carry, p...)
		k.carry = k.carry[max(0, len(k.carry)-overlap):]
	}
}

// magic keeps the region from a magic found at offset at, whose bytes
// before p (which starts at start) are prefix.
func (k *elfKeeper) magic(at int64, prefix, p []byte, start int64) {
	if at%buildInfoAlign != 0 || k.magics >= maxMagics || k.has(at) {
		return
	}
	k.magics++
	k.spans = append(k.spans, span{off: at, want: min(buildInfoSize, k.size-at), b: append([]byte(nil), prefix...)})
	k.fill(p, start)
	if k.shsize > 0 && !k.has(k.shoff) {
		k.add(k.shoff, k.shsize, p, start)
	}
}

// Kept reads the build information from the regions kept; nil when the
// file is not a Go executable.
func (k *elfKeeper) Kept() []byte {
	if p := k.parse(); p != nil {
		return p.encode()
	}
	return nil
}

func (k *elfKeeper) parse() *parsed {
	if k.notELF || k.magics == 0 {
		return nil
	}
	bi, err := buildinfo.Read(&sparseFile{size: k.size, spans: k.sorted()})
	if err != nil {
		return nil
	}
	r := record{eco: Go, name: bi.Main.Path, version: bi.Main.Version, goVersion: bi.GoVersion}
	if r.name == "" {
		r.name = bi.Path
	}
	for _, d := range bi.Deps {
		m := Module{Path: d.Path, Version: d.Version}
		if d.Replace != nil {
			m.Replace = &Module{Path: d.Replace.Path, Version: d.Replace.Version}
		}
		r.modules = append(r.modules, m)
	}
	return &parsed{kind: executable, records: []record{r}}
}

func (k *elfKeeper) sorted() []span {
	sort.Slice(k.spans, func(i, j int) bool { return k.spans[i].off < k.spans[j].off })
	return k.spans
}

// sparseFile is a file of which only some regions are known: reads see
// zeros elsewhere.
type sparseFile struct {
	size  int64
	spans []span // by offset
}

func (f *sparseFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if off >= f.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), f.size-off))
	clear(p[:n])
	end := off + int64(n)
	for _, s := range f.spans {
		sEnd := s.off + int64(len(s.b))
		if sEnd <= off || s.off >= end {
			continue
		}
		from, to := max(off, s.off), min(end, sEnd)
		copy(p[from-off:to-off], s.b[from-s.off:to-s.off])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
