package tarparse

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The sparse tars in testdata/sparse were written by GNU tar 1.34 from
// one file of 1 MiB holding "hello" at 100,000 and "world" at 500,000, in
// each sparse format: old GNU ('S'), and PAX 0.0, 0.1 and 1.0.
func sparseTars(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range []string{"gnu", "pax00", "pax01", "pax10"} {
		data, err := os.ReadFile(filepath.Join("testdata", "sparse", name+".tar"))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = data
	}
	return out
}

// TestSparseFilesReadAsArchiveTar: the logical bytes, headers and errors
// of each format are archive/tar's.
func TestSparseFilesReadAsArchiveTar(t *testing.T) {
	for name, data := range sparseTars(t) {
		t.Run(name, func(t *testing.T) { compareTarReaders(t, data) })
	}
}

// TestSparseFilesHashByDataAndMap: every format gives the file the same
// size, stored size and hash, without reading its holes.
func TestSparseFilesHashByDataAndMap(t *testing.T) {
	var hash uint64
	for name, data := range sparseTars(t) {
		es, err := NewParser().Parse(context.Background(), bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var files []*Entry
		for e := range es.All() {
			files = append(files, e)
		}
		if len(files) != 1 {
			t.Fatalf("%s: %d entries, want 1", name, len(files))
		}
		e := files[0]
		if es.Path(e) != "/f" || e.Type != '0' || e.Size != 1<<20 || e.Stored == 0 || e.Stored >= e.Size {
			t.Errorf("%s: %s type %q size %d stored %d; want /f, a regular file of 1 MiB with a few KB stored", name, es.Path(e), e.Type, e.Size, e.Stored)
		}
		if hash == 0 {
			hash = e.Hash
		} else if e.Hash != hash {
			t.Errorf("%s: hash %x, the other formats %x", name, e.Hash, hash)
		}
		var walked []FileEntry
		err = Walk(context.Background(), bytes.NewReader(data), func(fe FileEntry, r io.Reader) error {
			walked = append(walked, fe)
			return nil
		})
		if err != nil || len(walked) != 1 || !walked[0].Sparse || walked[0].Type != '0' {
			t.Errorf("%s: Walk saw %+v, %v; want one sparse regular file", name, walked, err)
		}
	}
}

// hugeSparse is gnu.tar with the file's logical size raised to 2^62.
func hugeSparse(t testing.TB, data []byte) []byte {
	data = bytes.Clone(data)
	field := data[483:495] // realsize, as a base-256 number
	clear(field)
	field[0] = 0x80
	binary.BigEndian.PutUint64(field[4:], 1<<62)
	sum := checksumOf(data[:blockSize])
	copy(data[148:156], []byte(octalField(sum, 8)))
	return data
}

func checksumOf(b []byte) int64 {
	var blk [blockSize]byte
	copy(blk[:], b)
	return checksum(&blk)
}

func octalField(v int64, width int) string {
	s := []byte{}
	for range width - 2 {
		s = append([]byte{byte('0' + v&7)}, s...)
		v >>= 3
	}
	return string(append(s, 0, ' '))
}

// TestHugeSparseFileCostsItsData: a file of 2^62 logical bytes with 8 KB
// stored is parsed by its data (a hash of every byte would never end).
func TestHugeSparseFileCostsItsData(t *testing.T) {
	data := hugeSparse(t, sparseTars(t)["gnu"])
	es, err := NewParser().Parse(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for e := range es.All() {
		if e.Size != 1<<62 || e.Stored == 0 || e.Stored > 1<<16 {
			t.Errorf("size %d stored %d, want 2^62 and a few KB", e.Size, e.Stored)
		}
	}
}

// TestSparseFileWrittenWithHoles: written to a file, a sparse entry keeps
// its holes: the file has its logical size and its bytes, and the
// filesystem stores little of it.
func TestSparseFileWrittenWithHoles(t *testing.T) {
	for name, data := range sparseTars(t) {
		out, err := os.Create(filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		err = Walk(context.Background(), bytes.NewReader(data), func(fe FileEntry, r io.Reader) error {
			_, err := io.Copy(out, r)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out.Close()
		got, err := os.ReadFile(out.Name())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1<<20 || string(got[100000:100005]) != "hello" || string(got[500000:500005]) != "world" ||
			bytes.Count(got, []byte{0}) != 1<<20-10 {
			t.Errorf("%s: the written file has %d bytes, not the sparse file's", name, len(got))
		}
		if blocks := allocated(t, out.Name()); blocks >= 1<<20 {
			t.Errorf("%s: %d bytes allocated for a file that stores 10: its holes were written", name, blocks)
		}
	}
}

// TestCopyFileHashesAsParse: the hash CopyFile gives a file, written to a
// file or a buffer, is the one Parse records, sparse or not.
func TestCopyFileHashesAsParse(t *testing.T) {
	inputs := sparseTars(t)
	inputs["dense"] = smallFilesTar(t, 3)
	for name, data := range inputs {
		es, err := NewParser().Parse(context.Background(), bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var want []uint64
		for e := range es.All() {
			if e.Type == '0' {
				want = append(want, e.Hash)
			}
		}
		for _, toFile := range []bool{false, true} {
			var got []uint64
			err = Walk(context.Background(), bytes.NewReader(data), func(fe FileEntry, r io.Reader) error {
				if fe.Type != '0' {
					return nil
				}
				var dst io.Writer = &bytes.Buffer{}
				if toFile {
					f, err := os.Create(filepath.Join(t.TempDir(), "out"))
					if err != nil {
						return err
					}
					defer f.Close()
					dst = f
				}
				n, h, err := CopyFile(dst, r, make([]byte, 4096))
				if n != fe.Size {
					t.Errorf("%s: CopyFile wrote %d bytes of %d", name, n, fe.Size)
				}
				got = append(got, h)
				return err
			})
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("%s (to a file %v): CopyFile hashes %x, %v; Parse %x", name, toFile, got, err, want)
			}
		}
	}
}
