package packages

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
)

// go-rpmdb trusts its input: a crafted database can make the goroutines
// it reads with panic (out-of-range page offsets), loop for ever (an
// overflow chain through a page of another type), print to stdout (a bad
// ndb slot) or allocate gigabytes (a header's index length, a bad ndb
// blob's length), none of which
// a caller can recover from. checkRPMDatabase walks a database the way
// go-rpmdb will and refuses one that would do any of that; it extracts
// nothing. Its checks follow go-rpmdb's reader at the version go.mod pins.

// errUnsafeDatabase is a database go-rpmdb must not be given.
var errUnsafeDatabase = errors.New("malformed rpm database")

// rpmHeaderMax is rpm's limit on a header blob (headerMaxbytes).
const rpmHeaderMax = 256 << 20

// checkRPMDatabase checks the database b, copied at file, before go-rpmdb
// reads it.
func checkRPMDatabase(b []byte, file string) error {
	switch {
	case bytes.HasPrefix(b, []byte("SQLite format 3\x00")):
		return checkSQLite(file)
	case isNDB(b):
		return checkNDB(b)
	}
	return checkBDB(b)
}

// checkHeader checks a package header blob as go-rpmdb will read it. The
// header starts with il and dl (4 bytes each, big-endian), then il index
// entries of 16 bytes (tag, type, offset, count), then dl bytes of data:
//   - go-rpmdb allocates il entries before it checks them, so the blob must
//     hold them;
//   - it measures a string array by looking for count NULs from the entry's
//     offset, and when there are fewer it goes on searching from the same
//     place count times: one entry of count 2^31 over 80 KB of data is
//     minutes of CPU. Nor does it check that entries do not overlap, so
//     many string entries over the same bytes are quadratic too. The
//     strings of a valid header (rpm's own reader checks it) are disjoint
//     and terminated, so they are walked here in one pass over dl bytes at
//     most, and a header whose are not is refused.
func checkHeader(blob []byte) error {
	if len(blob) < 8 {
		return nil // go-rpmdb fails on it cleanly
	}
	il, dl := int64(int32(binary.BigEndian.Uint32(blob))), int64(int32(binary.BigEndian.Uint32(blob[4:])))
	length := int64(len(blob))
	if il < 0 || dl < 0 || 8+16*il+dl > length || 8+16*il+dl > rpmHeaderMax {
		return fmt.Errorf("%w: a package header claims more than it holds", errUnsafeDatabase)
	}
	const (
		stringType, stringArrayType, i18nStringType = 6, 8, 9
		firstRegionTag, lastRegionTag               = 61, 63
	)
	dataStart, dataEnd := 8+16*il, 8+16*il+dl
	budget := dl // bytes the strings may span: each is walked once
	for i := int64(0); i < il; i++ {
		e := blob[8+16*i:]
		tag, typ := int32(binary.BigEndian.Uint32(e)), binary.BigEndian.Uint32(e[4:])
		offset, count := int64(int32(binary.BigEndian.Uint32(e[8:]))), int64(binary.BigEndian.Uint32(e[12:]))
		if i == 0 && tag >= firstRegionTag && tag <= lastRegionTag {
			continue // the region's own entry, which go-rpmdb does not measure
		}
		switch typ {
		case stringType:
			if count != 1 {
				continue // go-rpmdb refuses it without reading
			}
		case stringArrayType, i18nStringType:
		default:
			continue
		}
		at := dataStart + offset
		if offset < 0 || at >= dataEnd {
			continue // go-rpmdb refuses it without reading
		}
		for ; count > 0; count-- {
			n := int64(bytes.IndexByte(blob[at:dataEnd], 0))
			if n < 0 {
				return fmt.Errorf("%w: a header string array with fewer strings than it counts", errUnsafeDatabase)
			}
			if budget -= n + 1; budget < 0 {
				return fmt.Errorf("%w: header strings that overlap", errUnsafeDatabase)
			}
			at += n + 1
		}
	}
	return nil
}

// checkSQLite checks the header blobs of an rpmdb.sqlite.
func checkSQLite(file string) error {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: file}).EscapedPath()+"?mode=ro&immutable=1")
	if err != nil {
		return fmt.Errorf("opening the rpm database: %w", err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT blob FROM Packages")
	if err != nil {
		return fmt.Errorf("reading the rpm database: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var blob []byte
		if err := rows.Scan(&blob); err != nil {
			return fmt.Errorf("reading the rpm database: %w", err)
		}
		if err := checkHeader(blob); err != nil {
			return err
		}
	}
	return rows.Err()
}

// isNDB says whether go-rpmdb takes b for an ndb database (Packages.db).
func isNDB(b []byte) bool {
	return len(b) >= 16 && string(b[:4]) == "RpmP" && binary.LittleEndian.Uint32(b[4:]) == 0 &&
		binary.LittleEndian.Uint32(b[12:]) != 0
}

// checkNDB checks an ndb database's slots and blobs.
func checkNDB(b []byte) error {
	const slotsStart, slotSize, perPage = 32, 16, 4096 / 16
	pages := int64(binary.LittleEndian.Uint32(b[12:]))
	if pages > 2048 {
		return nil // go-rpmdb refuses it
	}
	n := pages*perPage - 2
	if slotsStart+n*slotSize > int64(len(b)) {
		return nil // go-rpmdb fails to read the slots
	}
	read := int64(0) // blobs are disjoint: reading more is a crafted loop
	for i := int64(0); i < n; i++ {
		slot := b[slotsStart+i*slotSize:]
		if string(slot[:4]) != "Slot" {
			return fmt.Errorf("%w: a bad ndb slot", errUnsafeDatabase) // go-rpmdb would print it
		}
		pkg, blk := binary.LittleEndian.Uint32(slot[4:]), int64(binary.LittleEndian.Uint32(slot[8:]))
		if pkg == 0 {
			continue
		}
		at := blk * 16
		if at+16 > int64(len(b)) {
			return nil // go-rpmdb stops on the short read
		}
		hdr := b[at : at+16]
		if string(hdr[:4]) != "BlbS" || binary.LittleEndian.Uint32(hdr[4:]) != pkg {
			// go-rpmdb reports it but reads on: it allocates the length the
			// bad blob claims (up to 4 GiB) in a goroutine nobody drains.
			return fmt.Errorf("%w: an ndb slot pointing at a blob that is not its package's", errUnsafeDatabase)
		}
		size := int64(binary.LittleEndian.Uint32(hdr[12:]))
		if at+16+size > int64(len(b)) {
			return fmt.Errorf("%w: an ndb blob longer than the file", errUnsafeDatabase)
		}
		if read += size; read > int64(len(b)) {
			return fmt.Errorf("%w: ndb slots that share blobs", errUnsafeDatabase)
		}
		if err := checkHeader(b[at+16 : at+16+size]); err != nil {
			return err
		}
	}
	return nil
}

// checkBDB checks a Berkeley DB hash database (Packages): every page
// offset go-rpmdb slices with, every overflow chain it follows, every
// header blob it gathers.
func checkBDB(b []byte) error {
	const headerSize, offPageSize = 26, 12
	if len(b) < 512 {
		return nil // go-rpmdb refuses it
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if binary.LittleEndian.Uint32(b[12:]) == 0x61150600 {
		bo = binary.BigEndian
	}
	if bo.Uint32(b[12:]) != 0x00061561 || b[24] != 0 || b[25] != 8 {
		return nil // go-rpmdb refuses it
	}
	pageSize := bo.Uint32(b[20:])
	switch pageSize {
	case 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536:
	default:
		return nil // go-rpmdb refuses it
	}
	size := int64(pageSize)
	last := int64(bo.Uint32(b[32:]))
	pages := int64(len(b)) / size
	budget := pages // overflow pages each belong to one chain: following more is a crafted loop
	for pageNo := int64(0); pageNo <= last; pageNo++ {
		if (pageNo+1)*size > int64(len(b)) {
			return nil // go-rpmdb stops on the short read
		}
		page := b[pageNo*size : (pageNo+1)*size]
		if t := page[25]; t != 2 && t != 13 {
			continue
		}
		entries := bo.Uint16(page[20:])
		if entries%2 != 0 {
			return nil // go-rpmdb stops on the error
		}
		end := uint16(headerSize) + entries*2 // as go-rpmdb computes it, in 16 bits
		if end < headerSize || int64(end) > size {
			return fmt.Errorf("%w: a hash page's index runs past the page", errUnsafeDatabase)
		}
		index := page[headerSize:end]
		for i := 2; i+2 <= len(index); i += 4 {
			at := int64(bo.Uint16(index[i:]))
			if at >= size {
				return fmt.Errorf("%w: a hash page's entry past the page", errUnsafeDatabase)
			}
			if page[at] != 3 { // only off-page entries hold packages
				continue
			}
			if at+offPageSize > size {
				return fmt.Errorf("%w: a hash page's entry past the page", errUnsafeDatabase)
			}
			blob, err := bdbChain(b, size, &budget, bo, bo.Uint32(page[at+4:]))
			if blob == nil {
				return err // nil when go-rpmdb stops on an error first
			}
			if err := checkHeader(blob); err != nil {
				return err
			}
		}
	}
	return nil
}

// bdbChain follows an overflow chain from page first as go-rpmdb does and
// returns what it gathers (never more than b: overflow pages belong to one
// chain), spending one of budget for each page it visits; nil with a nil
// error where go-rpmdb would stop on an error, and with an error where it
// would panic or loop.
func bdbChain(b []byte, size int64, budget *int64, bo binary.ByteOrder, first uint32) ([]byte, error) {
	const headerSize = 26
	blob := []byte{}
	for cur := first; cur != 0; {
		start := int64(uint32(size) * cur) // go-rpmdb multiplies in 32 bits
		if start+size > int64(len(b)) {
			return nil, nil
		}
		page := b[start : start+size]
		if page[25] != 7 {
			return nil, fmt.Errorf("%w: an overflow chain through a page of another type", errUnsafeDatabase)
		}
		if *budget--; *budget < 0 {
			return nil, fmt.Errorf("%w: overflow chains that loop or share pages", errUnsafeDatabase)
		}
		next := bo.Uint32(page[16:])
		data := page[headerSize:]
		if next == 0 {
			end := uint16(headerSize) + bo.Uint16(page[22:]) // in 16 bits, as go-rpmdb adds
			if end < headerSize || int64(end) > size {
				return nil, fmt.Errorf("%w: an overflow page's data past the page", errUnsafeDatabase)
			}
			data = page[headerSize:end]
		}
		blob = append(blob, data...)
		cur = next
	}
	return blob, nil
}
