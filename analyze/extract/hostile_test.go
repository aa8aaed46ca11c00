//go:build unix

package extract_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze/extract"
	"github.com/strata-dev/strata/internal/imagetest"
)

// rawLayer writes a layer tar of the given headers, each regular file with
// body as its contents.
func rawLayer(t *testing.T, body string, hs ...*tar.Header) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, h := range hs {
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(body))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write([]byte(body))
		}
	}
	tw.Close()
	return b.Bytes()
}

// TestExtractDeepPath: one file 2,000 directories deep (4,000 bytes of
// path) is written, with a cost per directory that does not grow with its
// depth; one that is longer than 4,096 bytes is refused before anything
// is written, in one line.
func TestExtractDeepPath(t *testing.T) {
	deep := strings.Repeat("d/", 2000) + "f"
	im := buildRaw(t, rawLayer(t, "bottom", &tar.Header{Name: deep, Typeflag: tar.TypeReg, Format: tar.FormatPAX}))
	dir := t.TempDir()
	start := time.Now()
	sum, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("2,000 directories deep: %s", time.Since(start))
	if sum.Dirs != 2000 || sum.Files != 1 {
		t.Errorf("summary %+v, want 2000 directories and 1 file", sum)
	}
	got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(deep)))
	if err != nil || string(got) != "bottom" {
		t.Errorf("the deep file holds %q, %v", got, err)
	}

	tooDeep := strings.Repeat("d/", 2100) + "f"
	im = buildRaw(t, rawLayer(t, "x", &tar.Header{Name: tooDeep, Typeflag: tar.TypeReg, Format: tar.FormatPAX}))
	dir = t.TempDir()
	_, err = extract.Extract(context.Background(), im.res, im.layers, 0, "/", dir)
	if err == nil || !strings.Contains(err.Error(), "longer than 4096 bytes") || strings.Contains(err.Error(), "\n") {
		t.Errorf("a path of %d bytes: %v", len(tooDeep), err)
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("something was written before the refusal: %v", names)
	}
}

// TestExtractLongSymlinkTarget: a symlink target longer than 4,095 bytes
// is refused in one line.
func TestExtractLongSymlinkTarget(t *testing.T) {
	im := buildRaw(t, rawLayer(t, "", &tar.Header{Name: "l", Typeflag: tar.TypeSymlink,
		Linkname: strings.Repeat("a/", 3000), Format: tar.FormatPAX}))
	_, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "its target is 6000 bytes long") {
		t.Errorf("a symlink target of 6,000 bytes: %v", err)
	}
}

// TestExtractManyHardLinks: 3,000 hard links to one file are written as
// links, with no more files open at once than a low limit allows.
func TestExtractManyHardLinks(t *testing.T) {
	hs := []*tar.Header{{Name: "f", Typeflag: tar.TypeReg}}
	for i := range 3000 {
		hs = append(hs, &tar.Header{Name: fmt.Sprintf("l%04d", i), Typeflag: tar.TypeLink, Linkname: "f"})
	}
	im := buildRaw(t, rawLayer(t, "shared", hs...))
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	low := lim
	low.Cur = 256
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	dir := t.TempDir()
	sum, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/", dir)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 3001 || sum.Links != 3000 || sum.Bytes != 6 {
		t.Errorf("summary %+v, want 3001 files of which 3000 links, 6 bytes", sum)
	}
	st, err := os.Stat(filepath.Join(dir, "f"))
	if err != nil || st.Sys().(*syscall.Stat_t).Nlink != 3001 {
		t.Errorf("f has %v links, want 3001", st.Sys().(*syscall.Stat_t).Nlink)
	}
}

// TestExtractHardLinkKeepsTheOldContent: a hard link to a file, then a
// rewrite of that file in the same layer: the link keeps the contents the
// file had when the link was written, as tar and overlay do.
func TestExtractHardLinkKeepsTheOldContent(t *testing.T) {
	im := build(t, imagetest.Step{CreatedBy: "RUN ln a b && echo new > a", Entries: []imagetest.Entry{
		imagetest.Reg("a", "old\n"),
		imagetest.Hardlink("b", "a"),
		imagetest.Reg("a", "new\n"),
	}})
	dir := t.TempDir()
	if _, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/", dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": "new\n", "b": "old\n"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s holds %q, %v; want %q", name, got, err, want)
		}
	}
}

// sparseLayer is GNU tar's sparse file of testdata (1 MiB logical, 10 bytes
// of data), its logical size set to size.
func sparseLayer(t *testing.T, size int64) []byte {
	t.Helper()
	data, err := os.ReadFile("../tarparse/testdata/sparse/gnu.tar")
	if err != nil {
		t.Fatal(err)
	}
	field := data[483:495] // realsize, base-256
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

// TestExtractSparseFile: a sparse file of 4 GiB is written with its holes;
// one of 16 GiB is refused unless forced, and then written with its holes
// too.
func TestExtractSparseFile(t *testing.T) {
	for _, size := range []int64{4 << 30, 16 << 30} {
		im := buildRaw(t, sparseLayer(t, size))
		dir := t.TempDir()
		_, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/f", dir)
		if size > extract.MaxFileSize {
			if !errors.Is(err, extract.ErrTooLarge) || !strings.Contains(err.Error(), "a sparse file") {
				t.Fatalf("%d bytes without force: %v", size, err)
			}
			_, err = extract.Extract(context.Background(), im.res, im.layers, 0, "/f", dir, extract.WithForce(true))
		}
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(dir, "f"))
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() != size || st.Sys().(*syscall.Stat_t).Blocks*512 > 1<<20 {
			t.Errorf("the file has size %d and %d bytes allocated; want %d and little", st.Size(), st.Sys().(*syscall.Stat_t).Blocks*512, size)
		}
	}
}

// TestExtractNoLayers: an image with no layer says so.
func TestExtractNoLayers(t *testing.T) {
	im := buildRaw(t)
	_, err := extract.Extract(context.Background(), im.res, im.layers, -1, "/", t.TempDir())
	if err == nil || err.Error() != "the image has no layers: there is nothing to extract" {
		t.Errorf("extracting from no layers: %v", err)
	}
}
