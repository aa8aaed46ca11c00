package tarparse

import (
	"archive/tar"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
)

// Sparse files hold a logical size of which only some fragments are
// stored; the rest are holes, which read as zeros. archive/tar reads them
// that way, hole bytes and all, and keeps the map to itself: a 2^62-byte
// hole in an 11 KB layer would be hashed byte by byte forever. So once
// archive/tar has read a sparse entry's headers (and checked its map),
// the map is read again here from the header bytes archive/tar consumed,
// and the entry's data is read, hashed and written by its fragments.

// The errors archive/tar gives for a sparse entry whose stored data does
// not match its map, with its words.
var (
	errMissData  = errors.New("archive/tar: sparse file references non-existent data")
	errUnrefData = errors.New("archive/tar: sparse file contains unreferenced data")
)

// maxHeaderBytes bounds what archive/tar may read for one entry's headers
// (PAX records, GNU long names, sparse maps). archive/tar caps each of
// these at 1 MiB.
const maxHeaderBytes = 4 << 20

// fragment is a stored part of a sparse file.
type fragment struct{ off, n int64 }

func (f fragment) end() int64 { return f.off + f.n }

// sparseFile is the map of the current entry, and how far it has been read.
type sparseFile struct {
	frags   []fragment // stored parts, in order
	logical int64      // the file's size, holes included
	pos     int64      // logical position read to
	stored  int64      // bytes of stored data
}

// holes says whether the file has any hole.
func (s *sparseFile) holes() bool {
	var stored int64
	for _, f := range s.frags {
		stored += f.n
	}
	return stored != s.logical
}

// recorder keeps what is read through it while recording, up to a limit
// past which reading fails.
type recorder struct {
	r         io.Reader
	buf       []byte
	recording bool
}

var errHeaderTooLarge = errors.New("the entry's headers are larger than 4 MiB")

func (r *recorder) Read(p []byte) (int, error) {
	if !r.recording {
		return r.r.Read(p)
	}
	if len(r.buf)+len(p) > maxHeaderBytes {
		p = p[:max(0, maxHeaderBytes-len(r.buf))]
		if len(p) == 0 {
			return 0, errHeaderTooLarge
		}
	}
	n, err := r.r.Read(p)
	r.buf = append(r.buf, p[:n]...)
	return n, err
}

// sparseMap reads again the map of a sparse entry that archive/tar has
// read the headers of: raw is every byte it read for them, from the first
// header block on. It returns the map and the number of data bytes stored
// after the headers, or false when archive/tar does not read the entry as
// a sparse file (an unknown GNU sparse version).
func sparseMap(raw []byte, hdr *tar.Header) (*sparseFile, int64, bool, error) {
	// Walk the header blocks to the entry's own.
	p := 0
	for {
		if p+blockSize > len(raw) {
			return nil, 0, false, tar.ErrHeader
		}
		blk := raw[p : p+blockSize]
		p += blockSize
		switch blk[156] {
		case tar.TypeXHeader, tar.TypeXGlobalHeader, tar.TypeGNULongName, tar.TypeGNULongLink:
			size, err := numeric(blk[124:136])
			if err != nil || size < 0 || size > int64(len(raw)) {
				return nil, 0, false, tar.ErrHeader
			}
			p += int(size + (-size & (blockSize - 1)))
			continue
		}
		physical, err := numeric(blk[124:136])
		if err != nil {
			return nil, 0, false, err
		}
		if s, ok := hdr.PAXRecords["size"]; ok {
			if physical, err = strconv.ParseInt(s, 10, 64); err != nil {
				return nil, 0, false, tar.ErrHeader
			}
		}
		sf := &sparseFile{logical: hdr.Size}
		if blk[156] == tar.TypeGNUSparse {
			sf.frags, err = oldGNUMap(blk, raw[p:])
		} else {
			var is1x0, ok bool
			if is1x0, ok = paxSparseVersion(hdr.PAXRecords); !ok {
				return nil, 0, false, nil
			}
			if is1x0 {
				var used int
				sf.frags, used, err = map1x0(raw[p:])
				physical -= int64(used)
			} else {
				sf.frags, err = map0x1(hdr.PAXRecords)
			}
		}
		if err != nil {
			return nil, 0, false, err
		}
		if !validMap(sf.frags, sf.logical) || physical < 0 {
			return nil, 0, false, tar.ErrHeader
		}
		return sf, physical, true, nil
	}
}

// paxSparseVersion tells, as archive/tar does, whether PAX records make a
// sparse file, and of which version.
func paxSparseVersion(recs map[string]string) (is1x0, ok bool) {
	major, minor := recs["GNU.sparse.major"], recs["GNU.sparse.minor"]
	switch {
	case major == "0" && (minor == "0" || minor == "1"):
		return false, true
	case major == "1" && minor == "0":
		return true, true
	case major != "" || minor != "":
		return false, false
	case recs["GNU.sparse.map"] != "":
		return false, true
	}
	return false, false
}

// oldGNUMap reads the map of an old GNU sparse header: four entries in
// the header block, more in the extension blocks after it.
func oldGNUMap(blk, rest []byte) ([]fragment, error) {
	var frags []fragment
	entries, extended := blk[386:482], blk[482]
	for {
		for i := 0; i+24 <= len(entries); i += 24 {
			if entries[i] == 0 {
				break
			}
			off, err1 := numeric(entries[i : i+12])
			n, err2 := numeric(entries[i+12 : i+24])
			if err1 != nil || err2 != nil {
				return nil, tar.ErrHeader
			}
			frags = append(frags, fragment{off, n})
		}
		if extended == 0 {
			return frags, nil
		}
		if len(rest) < blockSize {
			return nil, tar.ErrHeader
		}
		entries, extended, rest = rest[:21*24], rest[504], rest[blockSize:]
	}
}

// map0x1 reads the map of GNU's PAX sparse format 0.0 and 0.1, which
// archive/tar has put in the GNU.sparse.map record.
func map0x1(recs map[string]string) ([]fragment, error) {
	fields := strings.Split(recs["GNU.sparse.map"], ",")
	if len(fields) == 1 && fields[0] == "" {
		fields = nil
	}
	if len(fields)%2 != 0 {
		return nil, tar.ErrHeader
	}
	frags := make([]fragment, 0, len(fields)/2)
	for i := 0; i < len(fields); i += 2 {
		off, err1 := strconv.ParseInt(fields[i], 10, 64)
		n, err2 := strconv.ParseInt(fields[i+1], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, tar.ErrHeader
		}
		frags = append(frags, fragment{off, n})
	}
	return frags, nil
}

// map1x0 reads the map of GNU's PAX sparse format 1.0 from the start of
// the entry's data: newline-terminated decimal numbers, the count first,
// filling whole blocks. It returns the map and the bytes it took.
func map1x0(data []byte) ([]fragment, int, error) {
	var tokens []string
	rest := string(data)
	next := func() (int64, bool) {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			return 0, false
		}
		tok := rest[:i]
		rest = rest[i+1:]
		tokens = append(tokens, tok)
		n, err := strconv.ParseInt(tok, 10, 64)
		return n, err == nil
	}
	count, ok := next()
	if !ok || count < 0 || count > int64(len(data)) {
		return nil, 0, tar.ErrHeader
	}
	frags := make([]fragment, 0, count)
	for range count {
		off, ok1 := next()
		n, ok2 := next()
		if !ok1 || !ok2 {
			return nil, 0, tar.ErrHeader
		}
		frags = append(frags, fragment{off, n})
	}
	used := len(data) - len(rest)
	used += -used & (blockSize - 1)
	return frags, used, nil
}

// validMap checks a map as archive/tar does: fragments in order, not
// overlapping, within the file.
func validMap(frags []fragment, size int64) bool {
	if size < 0 {
		return false
	}
	var pre fragment
	for _, f := range frags {
		switch {
		case f.off < 0 || f.n < 0, f.off > math.MaxInt64-f.n, f.end() > size, pre.end() > f.off:
			return false
		}
		pre = f
	}
	return true
}

// numeric parses a numeric header field, octal or base-256, as archive/tar
// does.
func numeric(b []byte) (int64, error) {
	if len(b) > 0 && b[0]&0x80 != 0 {
		var inv byte
		if b[0]&0x40 != 0 {
			inv = 0xff
		}
		var x uint64
		for i, c := range b {
			c ^= inv
			if i == 0 {
				c &= 0x7f
			}
			if x>>56 > 0 {
				return 0, tar.ErrHeader
			}
			x = x<<8 | uint64(c)
		}
		if x>>63 > 0 {
			return 0, tar.ErrHeader
		}
		if inv == 0xff {
			return ^int64(x), nil
		}
		return int64(x), nil
	}
	if v, ok := octal(b); ok {
		return v, nil
	}
	// archive/tar also accepts what octal refuses only when it is spaces
	// and NULs around a valid number, which octal handles.
	return 0, tar.ErrHeader
}

// readSparse reads the logical bytes of the current sparse entry: stored
// fragments from the data, zeros for holes; the same bytes and errors as
// archive/tar's reader.
func (t *tarReader) readSparse(b []byte) (int, error) {
	s := t.sparse
	left := s.logical - s.pos
	finished := int64(len(b)) >= left
	if finished {
		b = b[:left]
	}
	n := 0
	var err error
	for n < len(b) && err == nil {
		f, in := s.at(s.pos)
		var m int
		if in { // in a stored fragment
			chunk := b[n:min(int64(len(b)), int64(n)+f.end()-s.pos)]
			m, err = tryReadFull(readerFunc(t.readStored), chunk)
		} else { // in a hole, up to the next fragment or the end
			end := s.logical
			if f.n >= 0 && f.off > s.pos {
				end = f.off
			}
			chunk := b[n:min(int64(len(b)), int64(n)+end-s.pos)]
			clear(chunk)
			m = len(chunk)
		}
		n += m
		s.pos += int64(m)
	}
	switch {
	case err == io.EOF:
		return n, errMissData
	case err != nil:
		return n, err
	case s.pos == s.logical && t.remain > 0:
		return n, errUnrefData
	case finished:
		return n, io.EOF
	}
	return n, nil
}

// at returns the fragment the logical position is in, and true, or the
// next fragment after it (n < 0 when there is none), and false.
func (s *sparseFile) at(pos int64) (fragment, bool) {
	for len(s.frags) > 0 && s.frags[0].end() <= pos && !(s.frags[0].n == 0 && s.frags[0].off == pos) {
		s.frags = s.frags[1:]
	}
	if len(s.frags) == 0 {
		return fragment{off: -1, n: -1}, false
	}
	f := s.frags[0]
	return f, pos >= f.off && pos < f.end()
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(b []byte) (int, error) { return f(b) }

// hashSparse writes the current sparse entry's content to h as its data
// and map: for each stored fragment its offset and length, then its
// bytes, and at the end the logical size. Holes are not content, so
// a file of 2^62 bytes with 11 KB stored costs 11 KB. It returns the bytes
// of stored data it read.
//
// A map with no hole hashes as the same bytes stored densely would.
func (t *tarReader) hashSparse(h io.Writer) (int64, error) {
	s := t.sparse
	dense := !s.holes()
	var word [16]byte
	var stored int64
	for _, f := range s.frags {
		if !dense {
			binary.LittleEndian.PutUint64(word[:8], uint64(f.off))
			binary.LittleEndian.PutUint64(word[8:], uint64(f.n))
			h.Write(word[:])
		}
		n, err := io.CopyN(h, readerFunc(t.readStored), f.n)
		stored += n
		if err == io.EOF {
			return stored, errMissData
		}
		if err != nil {
			return stored, err
		}
	}
	if t.remain > 0 {
		return stored, errUnrefData
	}
	if !dense {
		binary.LittleEndian.PutUint64(word[:8], uint64(s.logical))
		h.Write(word[:8])
	}
	s.frags, s.pos = nil, s.logical
	return stored, nil
}

// writeSparse writes the current sparse entry to w: through Seek over the
// holes when w can seek (so that a file written keeps its holes), else as
// its logical bytes. When h is set, the entry's content is hashed into it
// as hashSparse does.
func (t *tarReader) writeSparse(w io.Writer, h io.Writer) (int64, error) {
	ws, seeks := w.(io.WriteSeeker)
	if seeks {
		if _, err := ws.Seek(0, io.SeekCurrent); err != nil {
			seeks = false
		}
	}
	s := t.sparse
	dense := !s.holes()
	var word [16]byte
	data := io.Writer(w)
	if h != nil {
		data = io.MultiWriter(w, h)
	}
	start := s.pos
	// hole skips, or writes as zeros, the logical bytes up to end; the
	// last byte of the file is written, so that it has its size.
	hole := func(end int64) error {
		if !seeks {
			_, err := io.CopyN(w, zeros{}, end-s.pos)
			s.pos = end
			return err
		}
		last := end == s.logical
		if last {
			end--
		}
		if _, err := ws.Seek(end-s.pos, io.SeekCurrent); err != nil {
			return err
		}
		s.pos = end
		if last {
			if _, err := ws.Write([]byte{0}); err != nil {
				return err
			}
			s.pos++
		}
		return nil
	}
	for s.pos < s.logical || len(s.frags) > 0 {
		if len(s.frags) == 0 {
			if err := hole(s.logical); err != nil {
				return s.pos - start, err
			}
			break
		}
		f := s.frags[0]
		if f.off > s.pos {
			if err := hole(f.off); err != nil {
				return s.pos - start, err
			}
		}
		if h != nil && !dense {
			binary.LittleEndian.PutUint64(word[:8], uint64(f.off))
			binary.LittleEndian.PutUint64(word[8:], uint64(f.n))
			h.Write(word[:])
		}
		n, err := io.CopyN(data, readerFunc(t.readStored), f.end()-s.pos)
		s.pos += n
		if err == io.EOF {
			return s.pos - start, errMissData
		}
		if err != nil {
			return s.pos - start, err
		}
		s.frags = s.frags[1:]
	}
	if t.remain > 0 {
		return s.pos - start, errUnrefData
	}
	if h != nil && !dense {
		binary.LittleEndian.PutUint64(word[:8], uint64(s.logical))
		h.Write(word[:8])
	}
	return s.pos - start, nil
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// CopyFile copies a regular file's data, as [Walk] hands it, to dst, and
// returns the bytes it stands for (a sparse file's logical size) and its
// content hash as [Entry.Hash] holds it. A sparse file's holes are skipped
// with Seek when dst is an io.WriteSeeker, such as a file.
func CopyFile(dst io.Writer, data io.Reader, buf []byte) (int64, uint64, error) {
	h := NewContentHash()
	if t, ok := data.(*tarReader); ok && t.sparse != nil && t.rest == nil && t.err == nil {
		n, err := t.writeSparse(dst, h)
		return n, h.Sum64(), err
	}
	n, err := io.CopyBuffer(io.MultiWriter(dst, h), data, buf)
	return n, h.Sum64(), err
}
