package imagetest

import (
	"archive/tar"
	"bytes"
	"io"
	"testing"
	"time"
)

func readTar(t *testing.T, b []byte) ([]*tar.Header, map[string][]byte) {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(b))
	var hdrs []*tar.Header
	bodies := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return hdrs, bodies
		}
		if err != nil {
			t.Fatalf("reading tar: %v", err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("reading %s: %v", h.Name, err)
		}
		hdrs = append(hdrs, h)
		bodies[h.Name] = body
	}
}

func TestLayerTar(t *testing.T) {
	b, err := LayerTar(
		Dir("/etc"),
		Reg("/etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
		Reg("/app/run.sh", "#!/bin/sh\n").WithMode(0o755).WithOwner(1000, 1001),
		Dir("/var/cache/").WithMode(0o700),
		Symlink("/bin/sh", "busybox"),
		Hardlink("/bin/ls", "/bin/busybox"),
		Whiteout("/var/lib/apt/lists/partial"),
		Whiteout("/old-dir/"),
		Opaque("/usr/share/doc/"),
		Entry{Path: "/blob", Size: 1000},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name     string
		typ      byte
		mode     int64
		uid, gid int
		size     int64
		link     string
	}{
		{"etc/", tar.TypeDir, 0o755, 0, 0, 0, ""},
		{"etc/passwd", tar.TypeReg, 0o644, 0, 0, 26, ""},
		{"app/run.sh", tar.TypeReg, 0o755, 1000, 1001, 10, ""},
		{"var/cache/", tar.TypeDir, 0o700, 0, 0, 0, ""},
		{"bin/sh", tar.TypeSymlink, 0o777, 0, 0, 0, "busybox"},
		{"bin/ls", tar.TypeLink, 0o644, 0, 0, 0, "bin/busybox"},
		{"var/lib/apt/lists/.wh.partial", tar.TypeReg, 0o644, 0, 0, 0, ""},
		{".wh.old-dir", tar.TypeReg, 0o644, 0, 0, 0, ""},
		{"usr/share/doc/.wh..wh..opq", tar.TypeReg, 0o644, 0, 0, 0, ""},
		{"blob", tar.TypeReg, 0o644, 0, 0, 1000, ""},
	}
	hdrs, bodies := readTar(t, b)
	if len(hdrs) != len(want) {
		t.Fatalf("got %d entries, want %d", len(hdrs), len(want))
	}
	for i, w := range want {
		h := hdrs[i]
		if h.Name != w.name || h.Typeflag != w.typ || h.Mode != w.mode || h.Uid != w.uid ||
			h.Gid != w.gid || h.Size != w.size || h.Linkname != w.link {
			t.Errorf("entry %d = {%q %q %o %d:%d size %d link %q}, want %+v",
				i, h.Name, h.Typeflag, h.Mode, h.Uid, h.Gid, h.Size, h.Linkname, w)
		}
		if !h.ModTime.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("entry %s has mtime %v", h.Name, h.ModTime)
		}
	}
	if got := string(bodies["etc/passwd"]); got != "root:x:0:0::/root:/bin/sh\n" {
		t.Errorf("etc/passwd = %q", got)
	}
	if !bytes.Equal(bodies["blob"], PseudoRandom("/blob", 1000)) {
		t.Error("sized entry does not hold PseudoRandom content")
	}
}

func TestLayerTarDeterministic(t *testing.T) {
	entries := []Entry{Dir("a/"), Reg("a/b", "x"), {Path: "a/c", Size: 4096}}
	b1, err := LayerTar(entries...)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := LayerTar(entries...)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1, b2) {
		t.Error("same entries gave different tars")
	}
}

func TestLayerTarEmptyPath(t *testing.T) {
	if _, err := LayerTar(Reg("/", "x")); err == nil {
		t.Error("want error for an entry with an empty name")
	}
}

func TestPseudoRandom(t *testing.T) {
	a, b := PseudoRandom("x", 64), PseudoRandom("y", 64)
	if bytes.Equal(a, b) {
		t.Error("different seeds gave the same bytes")
	}
	if !bytes.Equal(a, PseudoRandom("x", 64)) {
		t.Error("same seed gave different bytes")
	}
	if bytes.Equal(a, make([]byte, 64)) {
		t.Error("content is all zeros")
	}
}
