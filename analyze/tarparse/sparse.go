package tarparse

import (
	"encoding/binary"
	"errors"
	"io"
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
