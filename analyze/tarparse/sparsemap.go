package tarparse

import (
	"archive/tar"
	"math"
	"strconv"
	"strings"
)

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
