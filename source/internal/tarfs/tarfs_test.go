package tarfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/source/internal/metadata"
)

type entry struct {
	name, body, link string
	typ              byte
}

func writeTar(t *testing.T, entries []entry) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o644}
		if e.typ == 0 {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "a.tar")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func read(t *testing.T, fs *FS, name string) string {
	t.Helper()
	rc, err := fs.Open(name)
	if err != nil {
		t.Fatalf("opening %s: %v", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMembersAndLinks(t *testing.T) {
	p := writeTar(t, []entry{
		{name: "./manifest.json", body: "[]"},
		{name: "abc/", typ: tar.TypeDir},
		{name: "abc/layer.tar", body: "layer bytes"},
		{name: "def/layer.tar", typ: tar.TypeSymlink, link: "../abc/layer.tar"},
		{name: "ghi/layer.tar", typ: tar.TypeLink, link: "abc/layer.tar"},
		{name: "loop", typ: tar.TypeSymlink, link: "loop"},
		{name: "big", body: strings.Repeat("x", 100)},
	})
	fs, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	if !fs.Has("manifest.json") || !fs.Has("/manifest.json") {
		t.Error("./manifest.json is not found as manifest.json")
	}
	for _, name := range []string{"abc/layer.tar", "def/layer.tar", "ghi/layer.tar", "./def/../abc/layer.tar"} {
		if got := read(t, fs, name); got != "layer bytes" {
			t.Errorf("%s = %q", name, got)
		}
		if n, err := fs.Size(name); err != nil || n != 11 {
			t.Errorf("size of %s = %d, %v", name, n, err)
		}
	}
	if _, err := fs.Open("missing"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opening a missing member: %v", err)
	}
	if _, err := fs.Open("abc"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("opening a directory: %v", err)
	}
	if _, err := fs.Open("loop"); err == nil || !strings.Contains(err.Error(), "too many links") {
		t.Errorf("opening a symlink loop: %v", err)
	}
	if _, err := fs.ReadFile("big", 10); !errors.Is(err, metadata.ErrTooLarge) || !strings.Contains(err.Error(), "big is 100 B, over the 10 B cap") {
		t.Errorf("reading past the limit: %v", err)
	}
	if b, err := fs.ReadFile("big", 100); err != nil || len(b) != 100 {
		t.Errorf("reading within the limit: %d bytes, %v", len(b), err)
	}
}

func TestNotTar(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"empty":  "",
		"zeros":  string(make([]byte, 1024)),
		"text":   strings.Repeat("hello\n", 200),
		"short":  "hi",
		"binary": "\x1f\x8b\x08\x00\x00\x00\x00\x00",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		fs, err := Open(p)
		if !errors.Is(err, ErrNotTar) {
			t.Errorf("%s: error %v, want ErrNotTar", name, err)
		}
		if err == nil {
			fs.Close()
		}
	}
}

func TestTruncated(t *testing.T) {
	p := writeTar(t, []entry{{name: "a", body: strings.Repeat("a", 2000)}, {name: "b", body: strings.Repeat("b", 2000)}})
	for _, cut := range []int64{512 + 1000, 512 + 2048 + 100, 512 + 2048 + 512 + 1999} {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		q := filepath.Join(t.TempDir(), "cut.tar")
		if err := os.WriteFile(q, raw[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		fs, err := Open(q)
		if err == nil {
			fs.Close()
			t.Errorf("cut at %d: opened", cut)
			continue
		}
		if !strings.Contains(err.Error(), "truncated") {
			t.Errorf("cut at %d: error %q does not say truncated", cut, err)
		}
	}
}
