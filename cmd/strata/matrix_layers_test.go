package main

import (
	"archive/tar"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The matrix rows of the second hostile-input round that the analysis of
// the layers answers: sparse files (class 3), extraction in depth (class
// 5), tar semantics (class 8), a --timeout inside one entry (class 2) and
// an unsupported compression (class 11).

// mSparseTar is GNU tar's sparse file of analyze/tarparse/testdata (1 MiB,
// "hello" and "world" stored), its logical size set to size.
func mSparseTar(t *testing.T, size int64) []byte {
	t.Helper()
	data, err := os.ReadFile("../../analyze/tarparse/testdata/sparse/gnu.tar")
	if err != nil {
		t.Fatal(err)
	}
	field := data[483:495]
	clear(field)
	field[0] = 0x80
	binary.BigEndian.PutUint64(field[4:], uint64(size))
	copy(data[148:156], "        ")
	var sum int64
	for _, c := range data[:512] {
		sum += int64(c)
	}
	copy(data[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return data
}

func layerMatrixRows() []matrixRow {
	const heap = 64 << 20
	timeout := []string{"--timeout", "3s"}
	one := func(name string, layer func(t *testing.T) []byte) func(t *testing.T, dir string) (string, []string) {
		return func(t *testing.T, dir string) (string, []string) {
			return mWriteDocker(t, filepath.Join(dir, name+".tar"), mPlain(layer(t))), nil
		}
	}
	return []matrixRow{
		// Class 3 and class 2: a sparse file of 2^62 bytes in an 11 KB
		// image is hashed by its data, well within --timeout.
		{name: "a sparse file of 2^62 bytes", code: exitOK, flags: timeout, maxHeap: heap, maxTime: 5 * time.Second,
			build: one("sparse", func(t *testing.T) []byte { return mSparseTar(t, 1<<62) }),
			check: func(t *testing.T, rep *matrixReport) {
				f := rep.Layer[0].FileList[0]
				if f.Path != "f" || f.Size != 1<<62 || f.StoredSize == 0 || f.StoredSize > 1<<16 {
					t.Errorf("the sparse file is reported as %+v, want f of 2^62 bytes with a few KB stored", f)
				}
			}},
		// Class 5: a path 2,000 directories deep extracts; extraction
		// checks it stays inside its directory.
		{name: "a file 2,000 directories deep", code: exitOK, extract: true, maxTime: 30 * time.Second,
			build: one("deep", func(t *testing.T) []byte {
				return mLayerTar(t, mEntry{Header: tar.Header{Name: strings.Repeat("d/", 2000) + "f", Typeflag: tar.TypeReg, Mode: 0o644, Format: tar.FormatPAX}, body: "bottom"})
			})},
		// Class 8: a PAX uid of 2^32 is not root.
		{name: "a PAX uid of 2^32", code: exitOK,
			build: one("uid", func(t *testing.T) []byte {
				return mLayerTar(t, mEntry{Header: tar.Header{Name: "f", Typeflag: tar.TypeReg, Mode: 0o644, Uid: 1 << 32, Format: tar.FormatPAX}, body: "x"})
			}),
			check: func(t *testing.T, rep *matrixReport) {
				if uid := rep.Layer[0].FileList[0].UID; uid != 1<<32 {
					t.Errorf("uid %d, want 2^32", uid)
				}
			}},
		// Class 11: a layer compressed with bzip2.
		{name: "a bzip2 layer", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mPlain(mLayerTar(t, mFile("f", "x")))
				img.layers[0].stored = append([]byte("BZh91AY&SY"), make([]byte, 64)...)
				return mWriteDocker(t, filepath.Join(dir, "bzip2.tar"), img), []string{"layer 0", "compressed with bzip2", "not supported"}
			}},
	}
}
