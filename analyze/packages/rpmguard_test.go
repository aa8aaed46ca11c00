package packages

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

// firstOverflow finds, in a little-endian Berkeley DB hash database, the
// first off-page entry's offset in its page and the first page of its
// overflow chain.
func firstOverflow(t *testing.T, b []byte) (entry int, chain uint32) {
	t.Helper()
	size := int(binary.LittleEndian.Uint32(b[20:]))
	for off := 0; off+size <= len(b); off += size {
		page := b[off : off+size]
		if page[25] != 13 && page[25] != 2 {
			continue
		}
		n := int(binary.LittleEndian.Uint16(page[20:]))
		for i := 2; i+2 <= n*2; i += 4 {
			at := int(binary.LittleEndian.Uint16(page[26+i:]))
			if page[at] == 3 {
				return off + at, binary.LittleEndian.Uint32(page[at+4:])
			}
		}
	}
	t.Fatal("no off-page entry in the database")
	return 0, 0
}

// TestRPMGuard refuses the databases go-rpmdb would crash, loop or blow
// its memory on, and reads the others.
func TestRPMGuard(t *testing.T) {
	bdb, err := os.ReadFile("testdata/rpm/bdb/Packages")
	if err != nil {
		t.Fatal(err)
	}
	ndb, err := os.ReadFile("testdata/rpm/ndb/Packages.db")
	if err != nil {
		t.Fatal(err)
	}
	size := binary.LittleEndian.Uint32(bdb[20:])
	entry, chain := firstOverflow(t, bdb)
	mutated := func(b []byte, f func([]byte)) []byte {
		c := append([]byte(nil), b...)
		f(c)
		return c
	}
	for name, b := range map[string][]byte{
		// go-rpmdb would follow the chain for ever without moving on.
		"chain through a hash page": mutated(bdb, func(c []byte) { c[int(chain)*int(size)+25] = 13 }),
		// and round it for ever.
		"chain that loops": mutated(bdb, func(c []byte) {
			binary.LittleEndian.PutUint32(c[int(chain)*int(size)+16:], chain)
		}),
		// it would index past the page.
		"entry past the page": mutated(bdb, func(c []byte) {
			page := entry / int(size) * int(size)
			binary.LittleEndian.PutUint16(c[page+20:], 0x7ffe)
		}),
		// it would print the bad magic to stdout.
		"bad ndb slot": mutated(ndb, func(c []byte) { copy(c[32:], "Bad!") }),
		// it would allocate 32 GB for the header's index.
		"header claiming 2^31 entries": mutated(ndb, func(c []byte) {
			for i := 32; i+16 <= len(c); i += 16 {
				if string(c[i:i+4]) == "Slot" && binary.LittleEndian.Uint32(c[i+4:]) != 0 {
					at := int(binary.LittleEndian.Uint32(c[i+8:])) * 16
					binary.BigEndian.PutUint32(c[at+16:], 0x7fffffff)
					return
				}
			}
		}),
	} {
		if _, err := parseRPMDatabase("/var/lib/rpm/Packages", b, t.TempDir()); !errors.Is(err, errUnsafeDatabase) {
			t.Errorf("%s: %v, want the database refused", name, err)
		}
	}
	for name, b := range map[string][]byte{"bdb": bdb, "ndb": ndb} {
		if records, err := parseRPMDatabase("/var/lib/rpm/Packages", b, t.TempDir()); err != nil || len(records) == 0 {
			t.Errorf("%s: %d packages, %v", name, len(records), err)
		}
	}
}
