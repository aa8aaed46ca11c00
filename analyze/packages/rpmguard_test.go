package packages

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"

	rpmdb "github.com/knqyf263/go-rpmdb/pkg"
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

// firstBlob finds, in an ndb database, the offset of the first used
// slot's blob header.
func firstBlob(t *testing.T, b []byte) int {
	t.Helper()
	for i := 32; i+16 <= len(b); i += 16 {
		if string(b[i:i+4]) == "Slot" && binary.LittleEndian.Uint32(b[i+4:]) != 0 {
			return int(binary.LittleEndian.Uint32(b[i+8:])) * 16
		}
	}
	t.Fatal("no used slot in the database")
	return 0
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
		// it would report the bad blob, then allocate the 4 GiB it claims
		// in a goroutine that is never drained: 4 GiB lost per database.
		"ndb blob with a bad magic and a 4 GiB length": mutated(ndb, func(c []byte) {
			at := firstBlob(t, c)
			copy(c[at:], "XXXX")
			binary.LittleEndian.PutUint32(c[at+12:], 0xfffffff0)
		}),
		// the same through a blob that names another package.
		"ndb blob of another package": mutated(ndb, func(c []byte) {
			at := firstBlob(t, c)
			binary.LittleEndian.PutUint32(c[at+4:], binary.LittleEndian.Uint32(c[at+4:])+1000)
			binary.LittleEndian.PutUint32(c[at+12:], 0xfffffff0)
		}),
		// it would look for 2^31 strings where there are a few, searching
		// the rest of the header again for each one: minutes of CPU.
		"string array counting 2^31 strings": mutated(ndb, func(c []byte) {
			blob := c[firstBlob(t, c)+16:]
			il := int(binary.BigEndian.Uint32(blob))
			for i := range il {
				e := blob[8+16*i:]
				if binary.BigEndian.Uint32(e[4:]) == 8 {
					binary.BigEndian.PutUint32(e[12:], 0x7fffffff)
					return
				}
			}
			t.Fatal("no string array in the first header")
		}),
		// it would allocate 32 GB for the header's index.
		"header claiming 2^31 entries": mutated(ndb, func(c []byte) {
			binary.BigEndian.PutUint32(c[firstBlob(t, c)+16:], 0x7fffffff)
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

// rpmHeader builds a package header blob of the given index entries (tag,
// type, offset, count) over data.
func rpmHeader(data []byte, entries ...[4]uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(entries)))
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	for _, e := range entries {
		for _, v := range e {
			b = binary.BigEndian.AppendUint32(b, v)
		}
	}
	return append(b, data...)
}

// TestRPMHeaderStrings refuses headers whose strings go-rpmdb would search
// for in quadratic time, and passes terminated, disjoint ones.
func TestRPMHeaderStrings(t *testing.T) {
	const stringType, stringArray, name, files = 6, 8, 1000, 1117
	data := []byte("a\x00bc\x00d\x00")
	if err := checkHeader(rpmHeader(data, [4]uint32{name, stringType, 0, 1}, [4]uint32{files, stringArray, 2, 2})); err != nil {
		t.Errorf("a valid header: %v", err)
	}
	if err := checkHeader(rpmHeader(data, [4]uint32{files, stringArray, 2, 3})); !errors.Is(err, errUnsafeDatabase) {
		t.Errorf("3 strings counted where there are 2: %v, want it refused", err)
	}
	// 2,000 names over the same 1,000 bytes: go-rpmdb would walk them 2,000
	// times.
	long := append(bytes.Repeat([]byte("x"), 999), 0)
	same := make([][4]uint32, 2000)
	for i := range same {
		same[i] = [4]uint32{name, stringType, 0, 1}
	}
	if err := checkHeader(rpmHeader(long, same...)); !errors.Is(err, errUnsafeDatabase) {
		t.Errorf("2,000 strings over the same bytes: %v, want it refused", err)
	}
}

// TestRPMFileNames refuses a package whose directory indexes and base
// names expand to far more bytes than its database holds.
func TestRPMFileNames(t *testing.T) {
	const dbSize = 100 << 10
	bomb := &rpmdb.PackageInfo{Name: "bomb", DirNames: []string{"/" + strings.Repeat("d", 40<<10)},
		BaseNames: make([]string, 40_000), DirIndexes: make([]int32, 40_000)}
	for i := range bomb.BaseNames {
		bomb.BaseNames[i] = "a"
	}
	budget := maxNameBytes(dbSize)
	if _, err := installedFiles(bomb, &budget); !errors.Is(err, errUnsafeDatabase) {
		t.Errorf("40,000 files in a 40 KB directory name: %v, want it refused", err)
	}
	real := &rpmdb.PackageInfo{Name: "real", DirNames: []string{"/usr/bin/", "/etc"},
		BaseNames: []string{"ls", "ls.conf"}, DirIndexes: []int32{0, 1}}
	budget = maxNameBytes(dbSize)
	got, err := installedFiles(real, &budget)
	if err != nil || strings.Join(got, " ") != "/usr/bin/ls /etc/ls.conf" {
		t.Errorf("got %q, %v, want [/usr/bin/ls /etc/ls.conf]", got, err)
	}
}
