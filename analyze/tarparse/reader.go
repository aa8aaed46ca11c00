package tarparse

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"io"
	"path/filepath"
	"runtime"
	"strings"
)

// tarReader reads a layer's tar entry by entry, as archive/tar's Reader
// does: the same headers, data, errors and end. The headers almost every
// layer is made of — USTAR and GNU headers of the ordinary entry types with
// octal numbers — it decodes itself, without allocating a Header each or
// checking every byte for UTF-8 the way archive/tar does, which made
// header parsing most of the cost of a layer of small files. Any other
// header (PAX and GNU extensions, sparse files, V7, base-256 numbers, a
// bad checksum, a name archive/tar might refuse) it hands to archive/tar,
// and then either resumes after that entry or, for sparse files, leaves
// the rest of the layer to archive/tar.
type tarReader struct {
	r      io.Reader
	blk    [blockSize]byte
	hdr    tar.Header // the current header; valid until the next call to Next
	remain int64      // unread data bytes of the current entry
	pad    int64      // padding after them
	rest   *tar.Reader
	err    error
	slowly int // headers read through archive/tar
	// sparse is the map of the current entry when it is a sparse file.
	sparse *sparseFile
}

const blockSize = 512

func newTarReader(r io.Reader) *tarReader { return &tarReader{r: r} }

// Next advances to the next entry; see tar.Reader.Next. The header is
// overwritten by the next call.
func (t *tarReader) Next() (*tar.Header, error) {
	if t.rest != nil {
		return t.rest.Next()
	}
	if t.err != nil {
		return nil, t.err
	}
	hdr, err := t.next()
	t.err = err
	return hdr, err
}

func (t *tarReader) next() (*tar.Header, error) {
	t.sparse = nil
	// As archive/tar does: the rest of the entry, its padding, the header.
	if t.remain > 0 {
		n, err := io.CopyN(io.Discard, t.r, t.remain)
		if err == io.EOF && n < t.remain {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		t.remain = 0
	}
	if _, err := tryReadFull(t.r, t.blk[:t.pad]); err != nil {
		return nil, err
	}
	t.pad = 0
	if _, err := io.ReadFull(t.r, t.blk[:]); err != nil {
		return nil, err
	}
	if t.blk == [blockSize]byte{} {
		if _, err := io.ReadFull(t.r, t.blk[:]); err != nil {
			return nil, err
		}
		if t.blk == [blockSize]byte{} {
			return nil, io.EOF
		}
		return nil, tar.ErrHeader
	}
	if t.decode() {
		return &t.hdr, nil
	}
	return t.slow()
}

// decode decodes the header block when it is one of the common kind, and
// says whether it was.
func (t *tarReader) decode() bool {
	b := &t.blk
	if sum, ok := octal(b[148:156]); !ok || sum != checksum(b) {
		return false // or a signed checksum, which archive/tar accepts
	}
	magic, version := string(b[257:263]), string(b[263:265])
	gnu := magic == "ustar " && version == " \x00"
	if !gnu && (magic != "ustar\x00" || string(b[508:512]) == "tar\x00") {
		return false // V7 or STAR
	}
	if gnu && (b[345] != 0 || b[357] != 0) {
		return false // access or change times, which decide how the name is read
	}
	typ := b[156]
	switch typ {
	case tar.TypeReg, tar.TypeRegA, tar.TypeLink, tar.TypeSymlink, tar.TypeChar,
		tar.TypeBlock, tar.TypeDir, tar.TypeFifo, tar.TypeCont:
	default:
		return false // extensions, sparse files, vendor types
	}
	mode, ok1 := octal(b[100:108])
	uid, ok2 := octal(b[108:116])
	gid, ok3 := octal(b[116:124])
	size, ok4 := octal(b[124:136])
	_, ok5 := octal(b[136:148]) // mtime, devmajor and devminor: only
	_, ok6 := octal(b[329:337]) // whether they parse matters
	_, ok7 := octal(b[337:345])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) {
		return false
	}
	name := cString(b[0:100])
	if !gnu {
		if prefix := cString(b[345:500]); len(prefix) > 0 {
			name = append(append(prefix[:len(prefix):len(prefix)], '/'), name...)
		}
	}
	if typ == tar.TypeRegA {
		typ = tar.TypeReg
		if bytes.HasSuffix(name, []byte("/")) {
			typ = tar.TypeDir
		}
	}
	h := &t.hdr
	*h = tar.Header{Typeflag: typ, Name: string(name), Mode: mode, Uid: int(uid), Gid: int(gid), Size: size}
	if l := cString(b[157:257]); len(l) > 0 {
		h.Linkname = string(l)
	}
	// archive/tar may refuse a name that is not local, as GODEBUG says. A
	// clean relative name, as most are, is local: filepath.IsLocal, which
	// took a tenth of the header's decoding, is asked only about the rest
	// (and on Windows, where it also refuses reserved names).
	if !(runtime.GOOS != "windows" && isClean(h.Name)) && !filepath.IsLocal(h.Name) {
		return false
	}
	if headerOnly(typ) {
		size = 0
	}
	t.remain, t.pad = size, -size&(blockSize-1)
	return true
}

// slow reads the entry whose header block is in blk with archive/tar.
func (t *tarReader) slow() (*tar.Header, error) {
	t.slowly++
	first := t.blk[156]
	rec := &recorder{r: io.MultiReader(bytes.NewReader(t.blk[:]), t.r), recording: true}
	tr := tar.NewReader(rec)
	hdr, err := tr.Next()
	rec.recording = false
	if err != nil {
		return hdr, err
	}
	sparse := hdr.Typeflag == tar.TypeGNUSparse
	for k := range hdr.PAXRecords {
		sparse = sparse || strings.HasPrefix(k, "GNU.sparse.")
	}
	if sparse {
		// The map is read again here, and the data read by fragments.
		sf, physical, isSparse, err := sparseMap(rec.buf, hdr)
		switch {
		case err == nil && isSparse:
			t.sparse = sf
			t.remain, t.pad = physical, -physical&(blockSize-1)
			return hdr, nil
		case err == nil:
			sparse = false // archive/tar reads it as an ordinary file
		}
	}
	switch {
	case sparse || hdr.Typeflag == tar.TypeXGlobalHeader && first != tar.TypeXGlobalHeader:
		// archive/tar alone knows where this entry ends: it reads the rest.
		t.rest = tr
	case hdr.Typeflag == tar.TypeXGlobalHeader:
		// Its records are read; the padding after them is not.
		size, ok := octal(t.blk[124:136])
		if !ok {
			t.rest = tr
			break
		}
		t.pad = -size & (blockSize - 1)
	default:
		// archive/tar has read the headers; the data is read here.
		size := hdr.Size
		if headerOnly(hdr.Typeflag) {
			size = 0
		}
		t.remain, t.pad = size, -size&(blockSize-1)
	}
	return hdr, nil
}

// Read reads the current entry's data; see tar.Reader.Read. A sparse
// file reads as its logical bytes, holes as zeros.
func (t *tarReader) Read(b []byte) (int, error) {
	if t.rest != nil {
		return t.rest.Read(b)
	}
	if t.err != nil {
		return 0, t.err
	}
	if t.sparse != nil {
		return t.readSparse(b)
	}
	return t.readStored(b)
}

// readStored reads the current entry's stored data.
func (t *tarReader) readStored(b []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	if int64(len(b)) > t.remain {
		b = b[:t.remain]
	}
	var n int
	var err error
	if len(b) > 0 {
		n, err = t.r.Read(b)
		t.remain -= int64(n)
	}
	switch {
	case err == io.EOF && t.remain > 0:
		err = io.ErrUnexpectedEOF
	case err == nil && t.remain == 0:
		err = io.EOF
	}
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

// slicer is a reader that can hand out its next bytes in place, as the
// read-ahead reader of a layer blob can: up to max of them, valid until
// the next call, and an error only with no bytes.
type slicer interface {
	io.Reader
	Slice(max int) ([]byte, error)
}

// WriteTo writes the rest of the current entry's data to w: what reading
// it to the end would return, straight from the read-ahead buffers when
// it can.
func (t *tarReader) WriteTo(w io.Writer) (int64, error) {
	if t.sparse != nil && t.rest == nil && t.err == nil {
		return t.writeSparse(w, nil)
	}
	a, ok := t.r.(slicer)
	if t.rest != nil || t.err != nil || !ok {
		return io.Copy(w, struct{ io.Reader }{t})
	}
	var written int64
	for t.remain > 0 {
		b, err := a.Slice(int(min(t.remain, 1<<30)))
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			t.err = err
			return written, err
		}
		t.remain -= int64(len(b))
		n, err := w.Write(b)
		written += int64(n)
		if err == nil && n < len(b) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// checksum is the unsigned sum of the block's bytes with the checksum
// field counted as spaces.
func checksum(b *[blockSize]byte) int64 {
	// Eight bytes at a time, summed in four 16-bit lanes: 64 words add at
	// most 64 × 2 × 255 to a lane, which fits.
	const lanes = 0x00ff00ff00ff00ff
	var acc uint64
	for i := 0; i < blockSize; i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		acc += w&lanes + w>>8&lanes
	}
	s := int64(acc&0xffff + acc>>16&0xffff + acc>>32&0xffff + acc>>48)
	for _, c := range b[148:156] {
		s += ' ' - int64(c)
	}
	return s
}

// octal parses a numeric field as archive/tar parses an octal one:
// leading and trailing spaces and NULs trimmed, cut at a NUL, empty is 0.
// It says false for anything archive/tar would parse otherwise or refuse.
func octal(f []byte) (int64, bool) {
	if len(f) > 0 && f[0]&0x80 != 0 {
		return 0, false // base-256
	}
	for len(f) > 0 && (f[0] == ' ' || f[0] == 0) {
		f = f[1:]
	}
	for len(f) > 0 && (f[len(f)-1] == ' ' || f[len(f)-1] == 0) {
		f = f[:len(f)-1]
	}
	if i := bytes.IndexByte(f, 0); i >= 0 {
		f = f[:i]
	}
	if len(f) == 0 {
		return 0, true
	}
	var x int64
	for _, c := range f {
		if c < '0' || c > '7' {
			return 0, false
		}
		x = x<<3 | int64(c-'0')
	}
	return x, true
}

// cString is a field up to its first NUL.
func cString(f []byte) []byte {
	if i := bytes.IndexByte(f, 0); i >= 0 {
		return f[:i]
	}
	return f
}

// tryReadFull is archive/tar's: it reads len(b) bytes unless the stream
// ends first, and an end exactly at len(b) is no error.
func tryReadFull(r io.Reader, b []byte) (n int, err error) {
	for len(b) > n && err == nil {
		var nn int
		nn, err = r.Read(b[n:])
		n += nn
	}
	if len(b) == n && err == io.EOF {
		err = nil
	}
	return n, err
}
