package analyze_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// hdr is a raw tar member: names are written exactly as given.
type hdr struct {
	name, body string
	typ        byte
	link       string
}

func rawTar(t testing.TB, hs []hdr) []byte {
	t.Helper()
	data, err := imagetest.RawTar(rawEntries(hs), tar.FormatUnknown)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func rawEntries(hs []hdr) []imagetest.RawEntry {
	es := make([]imagetest.RawEntry, len(hs))
	for i, h := range hs {
		es[i] = imagetest.RawEntry{Name: h.name, Body: h.body, Type: h.typ, Link: h.link}
	}
	return es
}

// stackRaw parses and stacks raw layer tars without an image around them.
func stackRaw(t *testing.T, layers ...[]hdr) *analyze.Result {
	t.Helper()
	b := analyze.NewStack(nil, len(layers))
	for i, hs := range layers {
		p, err := analyze.ParseLayer(context.Background(), i, imagetest.BytesLayer(rawTar(t, hs)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Push(p); err != nil {
			t.Fatal(err)
		}
	}
	return b.Result()
}

func TestOverlayEdgeCases(t *testing.T) {
	dir := byte(tar.TypeDir)
	for _, tc := range []struct {
		name   string
		layers [][]hdr
		top    []string // the view of the top layer
	}{
		{
			name:   "a bare .wh. is an ordinary file",
			layers: [][]hdr{{{name: "a/x", body: "1"}}, {{name: "a/.wh.", body: "2"}}},
			top:    []string{"M /a", "A /a/.wh.", "  /a/x"},
		},
		{
			name:   "a whiteout only deletes from lower layers",
			layers: [][]hdr{{{name: "x", body: "1"}}, {{name: "y", body: "2"}, {name: ".wh.y"}}},
			top:    []string{"  /x", "A /y"},
		},
		{
			name:   "a whiteout and a new version in one layer replace the file",
			layers: [][]hdr{{{name: "x", body: "1"}}, {{name: "x", body: "2"}, {name: ".wh.x"}}},
			top:    []string{"M /x"},
		},
		{
			name:   "a whiteout of a missing path removes nothing",
			layers: [][]hdr{{{name: "x", body: "1"}}, {{name: ".wh.nothing"}}},
			top:    []string{"  /x"},
		},
		{
			name: "a directory replaced by a file loses its children, and they stay gone",
			layers: [][]hdr{
				{{name: "d/", typ: dir}, {name: "d/f", body: "1"}},
				{{name: "d", body: "now a file"}},
				{{name: "d/", typ: dir}, {name: "d/g", body: "2"}},
			},
			top: []string{"M /d", "A /d/g"},
		},
		{
			name: "a file under a path that was a file turns it into a directory",
			layers: [][]hdr{
				{{name: "d", body: "file"}},
				{{name: "d/g", body: "2"}},
			},
			top: []string{"M /d", "A /d/g"},
		},
		{
			name: "an opaque marker at the root hides every lower layer",
			layers: [][]hdr{
				{{name: "a/", typ: dir}, {name: "a/1", body: "1"}, {name: "b", body: "b"}},
				{{name: ".wh..wh..opq"}, {name: "c", body: "c"}},
			},
			top: []string{"R /a", "R /a/1", "R /b", "A /c"},
		},
		{
			name: "an opaque directory keeps what its own layer puts in it",
			layers: [][]hdr{
				{{name: "a/", typ: dir}, {name: "a/old", body: "1"}},
				{{name: "a/new", body: "2"}, {name: "a/.wh..wh..opq"}},
			},
			top: []string{"M /a", "A /a/new", "R /a/old"},
		},
		{
			name:   "aufs metadata is not part of the filesystem",
			layers: [][]hdr{{{name: "x", body: "1"}, {name: ".wh..wh.plnk/", typ: dir}, {name: ".wh..wh.plnk/123.456", body: "z"}}},
			top:    []string{"A /x"},
		},
		{
			name:   "eStargz bookkeeping files are hidden",
			layers: [][]hdr{{{name: "stargz.index.json", body: "{}"}, {name: ".prefetch.landmark", body: "x"}, {name: "app", body: "1"}, {name: "sub/stargz.index.json", body: "kept"}}},
			top:    []string{"A /app", "A /sub", "A /sub/stargz.index.json"},
		},
		{
			name:   "names are cleaned and cannot climb above the root",
			layers: [][]hdr{{{name: "./a/../b", body: "1"}, {name: "../../etc/x", body: "2"}, {name: "/abs", body: "3"}, {name: "./", typ: dir}}},
			top:    []string{"A /abs", "A /b", "A /etc", "A /etc/x"},
		},
		{
			name:   "the last of two entries for one path wins",
			layers: [][]hdr{{{name: "x", body: "first"}, {name: "x", body: "second!"}}},
			top:    []string{"A /x"},
		},
		{
			name:   "symlinks and hard links keep their targets",
			layers: [][]hdr{{{name: "t", body: "1"}, {name: "s", typ: tar.TypeSymlink, link: "t"}, {name: "h", typ: tar.TypeLink, link: "t"}}},
			top:    []string{"A /h -> t", "A /s -> t", "A /t"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := stackRaw(t, tc.layers...)
			diffLines(t, "top layer", render(res, len(tc.layers)-1, tree.CompareLayer), tc.top)
		})
	}
}

func TestDuplicateEntryCountsOnce(t *testing.T) {
	res := stackRaw(t, []hdr{{name: "x", body: "first"}, {name: "x", body: "second!"}})
	n, ok := res.Tree.Lookup("/x")
	if !ok {
		t.Fatal("no /x")
	}
	id, ok := res.Tree.VersionAt(n, 0)
	if !ok || res.Tree.Entry(id).Size != 7 {
		t.Fatalf("visible /x = %v, want the 7-byte second entry", ok)
	}
	// dive's layer size counts both entries; its efficiency one leaf.
	if res.Layers[0].Size != 12 || res.Metrics.WastedBytes != 0 || res.Metrics.ReclaimableBytes != 5 {
		t.Errorf("size %d wasted %d reclaimable %d, want 12 0 5", res.Layers[0].Size, res.Metrics.WastedBytes, res.Metrics.ReclaimableBytes)
	}
}

func TestEmptyImage(t *testing.T) {
	res := stackRaw(t)
	m := res.Metrics
	if m.Efficiency != 1 || m.UserWastedPercent != 0 || m.WastedBytes != 0 {
		t.Errorf("empty image metrics = %+v, want efficiency 1 and no waste", m)
	}
}

// TestOwnersWiderThan32Bits: a PAX uid of 2^32 is 2^32, not 0 (root).
func TestOwnersWiderThan32Bits(t *testing.T) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, h := range []*tar.Header{
		{Name: "wide", Typeflag: tar.TypeReg, Mode: 0o644, Uid: 1 << 32, Gid: 1<<32 + 7, Format: tar.FormatPAX},
		{Name: "root", Typeflag: tar.TypeReg, Mode: 0o644},
	} {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	p, err := analyze.ParseLayer(context.Background(), 0, imagetest.BytesLayer(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	st := analyze.NewStack(nil, 1)
	if _, err := st.Push(p); err != nil {
		t.Fatal(err)
	}
	res := st.Result()
	for path, want := range map[string][2]int64{"/wide": {1 << 32, 1<<32 + 7}, "/root": {0, 0}} {
		n, ok := res.Tree.Lookup(path)
		id, _ := res.Tree.VersionAt(n, 0)
		if !ok || id == tree.NoEntry {
			t.Fatalf("%s is not in the tree", path)
		}
		if uid, gid := res.Tree.Owner(res.Tree.Entry(id)); uid != want[0] || gid != want[1] {
			t.Errorf("%s: owner %d:%d, want %d:%d", path, uid, gid, want[0], want[1])
		}
	}
}

// keepEtc is an observer that keeps the first 4 bytes of files in /etc.
type keepEtc struct{ kept []string }

func (k *keepEtc) Capture(path string, size int64, _ fs.FileMode) tarparse.Keeper {
	if strings.HasPrefix(path, "/etc/") {
		return tarparse.NewPrefix(min(size, 4))
	}
	return nil
}
func (k *keepEtc) Died(*tree.Tree, tree.Death) {}
func (k *keepEtc) Stacked(t *tree.Tree, l *tree.Layer, files []tarparse.CapturedFile) {
	for _, f := range files {
		data := f.Kept
		k.kept = append(k.kept, fmt.Sprintf("%d %s %q %v", l.Index, f.Path, data, int64(len(data)) < f.Size))
	}
}

// TestObserverKeepsFilesInTheSamePass: the contents an observer asks for
// reach it with the layer that holds them.
func TestObserverKeepsFilesInTheSamePass(t *testing.T) {
	img, err := imagetest.Image([]imagetest.Step{
		{CreatedBy: "base", Entries: []imagetest.Entry{imagetest.Reg("etc/passwd", "root:x:0:0"), imagetest.Reg("bin/sh", "ELF")}},
		{CreatedBy: "edit", Entries: []imagetest.Entry{imagetest.Reg("etc/os", "ab")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	k := &keepEtc{}
	if _, err := analyze.Analyze(context.Background(), src, analyze.WithObserver(k)); err != nil {
		t.Fatal(err)
	}
	diffLines(t, "kept", k.kept, []string{`0 /etc/passwd "root" true`, `1 /etc/os "ab" false`})
}
