package tarparse

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"testing"
)

// smallFilesTar is a layer of n small files in a few hundred directories,
// the kind of layer (node_modules, site-packages) where reading headers is
// most of the work.
func smallFilesTar(b testing.TB, n int) []byte {
	b.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	body := []byte("module.exports = {};\n")
	for i := range n {
		name := fmt.Sprintf("usr/lib/node_modules/pkg-%03d/lib/file-%05d.js", i%300, i)
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}); err != nil {
			b.Fatal(err)
		}
		tw.Write(body)
	}
	tw.Close()
	return buf.Bytes()
}

// BenchmarkHeaders reads every header and every file's data of a layer of
// 50,000 small files: with the reader the parser uses, and with
// archive/tar, which it replaced for such headers. The difference is why
// reader.go exists; report both with benchstat.
func BenchmarkHeaders(b *testing.B) {
	data := smallFilesTar(b, 50_000)
	read := func(b *testing.B, next func() (*tar.Header, error), r io.Reader) {
		n := 0
		for {
			_, err := next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 50_000 {
			b.Fatalf("read %d entries", n)
		}
	}
	b.Run("strata", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			tr := newTarReader(bytes.NewReader(data))
			read(b, tr.Next, tr)
		}
	})
	b.Run("archive-tar", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			tr := tar.NewReader(bytes.NewReader(data))
			read(b, tr.Next, tr)
		}
	})
}
