package packages

import (
	"os"
	"testing"
)

// FuzzParse gives every parser of package metadata arbitrary bytes: none
// may panic, whatever an image holds.
func FuzzParse(f *testing.F) {
	f.Add(uint8(dpkgStatus), []byte("Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\n"))
	f.Add(uint8(dpkgList), []byte("/.\n/usr\n/usr/bin/a\n"))
	f.Add(uint8(dpkgMd5sums), []byte("0123  usr/bin/a\n"))
	f.Add(uint8(apkInstalled), []byte("P:musl\nV:1.2.5-r0\nF:lib\nR:ld-musl.so.1\n\n"))
	f.Add(uint8(pyMetadata), []byte("Metadata-Version: 2.1\nName: a\nVersion: 1.0\n\nbody\n"))
	f.Add(uint8(pyRecord), []byte("a/__init__.py,sha256=x,1\n\"b,c\",,\n"))
	f.Add(uint8(npmManifest), []byte(`{"name":"a","version":"1.0.0","x":[1,{"y":2}]}`))
	f.Add(uint8(osRelease), []byte("ID=debian\nVERSION_ID=\"12\"\n"))
	f.Fuzz(func(t *testing.T, k uint8, b []byte) {
		switch kind(k) {
		case dpkgStatus, dpkgStatusD, dpkgMd5sums, dpkgList, apkInstalled, pyMetadata, pyRecord, npmManifest, osRelease:
		default:
			return
		}
		p := newParsing(kind(k), "/usr/lib/python3/dist-packages/a.dist-info/METADATA", int64(len(b)), int64(len(b)))
		p.Write(b)
		if _, ok := decodeParsed(p.Kept()); !ok {
			t.Fatal("what Kept returned does not decode")
		}
	})
}

// FuzzRPMDatabase reads arbitrary bytes as an rpm database: go-rpmdb must
// never be given one that makes it panic, loop or allocate without bound
// (see checkRPMDatabase). A panic in go-rpmdb's goroutines ends the run.
func FuzzRPMDatabase(f *testing.F) {
	// SQLite is fuzzed by its authors; the seeds are the formats go-rpmdb
	// itself walks.
	for _, p := range []string{"testdata/rpm/bdb/Packages"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	ndb, err := os.ReadFile("testdata/rpm/ndb/Packages.db")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ndb[:64<<10]) // the slots, and the first blobs
	f.Add([]byte("RpmP\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		parseRPMDatabase("/var/lib/rpm/Packages", b, dir)
	})
}
