package tarparse

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// tarTrace is what reading a tar shows: every header's fields, the data
// read, and the error that ended it.
func tarTrace(next func() (*tar.Header, error), r io.Reader, partial bool) []string {
	var out []string
	for i := 0; i < 10_000; i++ {
		h, err := next()
		if err != nil {
			return append(out, "error: "+err.Error())
		}
		line := fmt.Sprintf("%q %q %c size=%d mode=%o uid=%d gid=%d", h.Name, h.Linkname, h.Typeflag, h.Size, h.Mode, h.Uid, h.Gid)
		if regular(h.Typeflag) {
			// At most traceData bytes of each file are compared: a sparse
			// file may be as large as its header says, all holes.
			var data []byte
			var err error
			switch {
			case partial && i%2 == 1:
				data = make([]byte, min(h.Size, 3))
				_, err = io.ReadFull(r, data)
			case i%2 == 1:
				b := &cappedBuffer{}
				_, err = io.Copy(b, r) // through WriteTo when r has it
				data = b.Bytes()
			case h.Size > 4096:
				data, err = io.ReadAll(io.LimitReader(r, traceData))
			default:
				data, err = io.ReadAll(iotest.OneByteReader(io.LimitReader(r, traceData)))
			}
			line += fmt.Sprintf(" data=%q err=%v", data, err)
		}
		out = append(out, line)
	}
	return append(out, "too many entries")
}

// traceData is how much of each file tarTrace reads.
const traceData = 1 << 20

// cappedBuffer is a buffer that fails once it would hold more than
// traceData bytes.
type cappedBuffer struct{ bytes.Buffer }

var errCapped = errors.New("more than traceData bytes")

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.Len()+len(p) > traceData {
		return 0, errCapped
	}
	return c.Buffer.Write(p)
}

// chunkSlicer hands out a stream's bytes in place, a chunk at a time, as
// a layer blob's read-ahead reader does.
type chunkSlicer struct {
	r   io.Reader
	buf []byte
	cur []byte
	err error
}

func (c *chunkSlicer) Slice(max int) ([]byte, error) {
	for len(c.cur) == 0 {
		if c.err != nil {
			return nil, c.err
		}
		var n int
		n, c.err = io.ReadFull(c.r, c.buf)
		if c.err == io.ErrUnexpectedEOF {
			c.err = io.EOF
		}
		c.cur = c.buf[:n]
	}
	b := c.cur[:min(max, len(c.cur))]
	c.cur = c.cur[len(b):]
	return b, nil
}

func (c *chunkSlicer) Read(p []byte) (int, error) {
	b, err := c.Slice(len(p))
	return copy(p, b), err
}

func compareTarReaders(t *testing.T, data []byte) {
	t.Helper()
	for _, partial := range []bool{false, true} {
		std := tar.NewReader(bytes.NewReader(data))
		want := tarTrace(std.Next, std, partial)
		for _, ahead := range []bool{false, true} {
			var r io.Reader = iotest.HalfReader(bytes.NewReader(data))
			if ahead {
				r = &chunkSlicer{r: r, buf: make([]byte, 1000)}
			}
			ours := newTarReader(r)
			got := tarTrace(ours.Next, ours, partial)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("reading %q (partial %v, read ahead %v):\ngot:\n  %s\narchive/tar:\n  %s", data, partial, ahead,
					strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		}
	}
}

// tarOf writes headers (with their sizes' worth of data) in a format.
func tarOf(t testing.TB, format tar.Format, hs ...tar.Header) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, h := range hs {
		h.Format = format
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(bytes.Repeat([]byte{'a' + byte(len(h.Name)%26)}, int(h.Size)))
		}
	}
	tw.Close()
	return b.Bytes()
}

// rehead sets a byte of the first header block and fixes its checksum.
func rehead(data []byte, at int, c byte) []byte {
	data = bytes.Clone(data)
	data[at] = c
	copy(data[148:156], "        ")
	var sum int64
	for _, c := range data[:512] {
		sum += int64(c)
	}
	copy(data[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return data
}

func tarSeeds(t testing.TB) [][]byte {
	long := strings.Repeat("d/", 70) + "file"
	files := []tar.Header{
		{Name: "etc/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "etc/passwd", Typeflag: tar.TypeReg, Mode: 0o644, Size: 700},
		{Name: "bin/sh", Typeflag: tar.TypeSymlink, Linkname: "busybox", Mode: 0o777},
		{Name: "bin/ln", Typeflag: tar.TypeLink, Linkname: "bin/busybox"},
		{Name: "dev/null", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3},
		{Name: "empty", Typeflag: tar.TypeReg},
		{Name: "var/lib/apt/lists/.wh.x", Typeflag: tar.TypeReg, Size: 0},
		{Name: long, Typeflag: tar.TypeReg, Size: 3},
	}
	var seeds [][]byte
	for _, f := range []tar.Format{tar.FormatUSTAR, tar.FormatGNU, tar.FormatPAX} {
		seeds = append(seeds, tarOf(t, f, files...))
	}
	pax := tarOf(t, tar.FormatPAX,
		tar.Header{Name: "naïve/" + strings.Repeat("x", 200), Typeflag: tar.TypeReg, Size: 5, Uid: 1 << 30,
			PAXRecords: map[string]string{"SCHILY.xattr.security.capability": "\x01\x02"}},
		tar.Header{Name: "after", Typeflag: tar.TypeReg, Size: 1})
	gnu := tarOf(t, tar.FormatGNU,
		tar.Header{Name: strings.Repeat("n", 150), Linkname: strings.Repeat("l", 150), Typeflag: tar.TypeSymlink},
		tar.Header{Name: "big-uid", Typeflag: tar.TypeReg, Size: 2, Uid: 1 << 40},
		tar.Header{Name: "after", Typeflag: tar.TypeReg, Size: 1})
	global := tarOf(t, tar.FormatPAX,
		tar.Header{Name: "g", Typeflag: tar.TypeXGlobalHeader, PAXRecords: map[string]string{"comment": "hi"}},
		tar.Header{Name: "after", Typeflag: tar.TypeReg, Size: 600})
	rega := rehead(tarOf(t, tar.FormatUSTAR, tar.Header{Name: "olddir/", Typeflag: tar.TypeDir}), 156, 0)
	seeds = append(seeds, pax, gnu, global, rega,
		rehead(seeds[0], 156, 'S'),                 // old GNU sparse, made up
		rehead(seeds[0], 508, 't'),                 // STAR's trailer
		rehead(seeds[0], 257, 0),                   // V7
		rehead(seeds[0], 124, 0x80),                // base-256 size
		rehead(seeds[0], 0, '/'),                   // an absolute name
		rehead(seeds[1], 345, '1'),                 // a GNU access time
		rehead(seeds[0], 138, 'x'),                 // a bad modification time
		append(bytes.Clone(seeds[0][:1024]), 1),    // truncated
		bytes.Clone(seeds[0][:len(seeds[0])-1024]), // no end blocks
		append(make([]byte, 512), 'x'),             // a zero block, then not
		[]byte{},
	)
	seeds = append(seeds, tarOf(t, tar.FormatUSTAR, // across chunks of the slicer
		tar.Header{Name: "big", Typeflag: tar.TypeReg, Size: 3 * 1000 / 2},
		tar.Header{Name: "small", Typeflag: tar.TypeReg, Size: 10}))
	bad := bytes.Clone(seeds[0])
	bad[0] ^= 1 // the checksum no longer matches
	return append(seeds, bad)
}

func TestTarReaderIsArchiveTar(t *testing.T) {
	for i, s := range tarSeeds(t) {
		t.Run(fmt.Sprint(i), func(t *testing.T) { compareTarReaders(t, s) })
		for cut := 0; cut < len(s); cut += max(97, len(s)/64) {
			compareTarReaders(t, s[:cut])
		}
	}
}

func TestTarReaderDecodesCommonHeaders(t *testing.T) {
	for _, f := range []tar.Format{tar.FormatUSTAR, tar.FormatGNU} {
		data := tarSeeds(t)[map[tar.Format]int{tar.FormatUSTAR: 0, tar.FormatGNU: 1}[f]]
		r := newTarReader(bytes.NewReader(data))
		n := 0
		for {
			if _, err := r.Next(); err != nil {
				break
			}
			n++
		}
		// GNU writes the long name as an extension header.
		if want := map[tar.Format]int{tar.FormatUSTAR: 0, tar.FormatGNU: 1}[f]; n != 8 || r.slowly != want {
			t.Errorf("%s: %d entries, %d through archive/tar; want 8 and %d", f, n, r.slowly, want)
		}
	}
}

func FuzzTarReader(f *testing.F) {
	for _, s := range tarSeeds(f) {
		f.Add(s)
	}
	for _, name := range []string{"gnu", "pax00", "pax01", "pax10"} {
		data, err := os.ReadFile(filepath.Join("testdata", "sparse", name+".tar"))
		if err != nil {
			f.Fatal(err)
		}
		// Cut to the headers and a little data, so that the fuzzer can
		// afford to change them.
		f.Add(data[:min(len(data), 3*blockSize)])
		f.Add(data)
	}
	f.Fuzz(compareTarReaders)
}
