package analyze_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// FuzzParseLayer feeds arbitrary bytes to the layer-tar walker as the
// stored blob of a layer (plain, gzip or zstd: ggcr detects it), stacks the
// layer twice on a fixed base, so that its whiteouts and opaque markers
// meet both the base's paths and its own, and checks the tree, every view
// and the metrics.
func FuzzParseLayer(f *testing.F) {
	dir, sym, link := byte(tar.TypeDir), byte(tar.TypeSymlink), byte(tar.TypeLink)
	for _, hs := range [][]hdr{
		{{name: "a/x", body: "1"}},
		{{name: ".wh.a"}, {name: "b/.wh..wh..opq"}, {name: "b/new", body: "n"}},
		{{name: "a", body: "a file now"}, {name: "a/", typ: dir}},
		{{name: "s", typ: sym, link: "s"}, {name: "h", typ: link, link: "missing"}},
		{{name: "../x", body: "1"}, {name: "/abs", body: "2"}, {name: "a/../../b", body: "3"}, {name: "."}, {name: ""}},
		{{name: ".wh..wh..opq"}, {name: ".wh..wh.plnk/1", body: "z"}, {name: "a/.wh."}, {name: ".wh.."}},
		{{name: "stargz.index.json", body: "{}"}, {name: "\xff\xfe/x", body: "utf8"}},
	} {
		f.Add(rawTarBytes(hs))
	}
	f.Add([]byte{})
	f.Add([]byte("not a tar"))
	base := rawTarBytes([]hdr{
		{name: "a/", typ: dir}, {name: "a/x", body: "base x"}, {name: "a/y/", typ: dir}, {name: "a/y/z", body: "zz"},
		{name: "b/", typ: dir}, {name: "b/old", body: "old"}, {name: "c", body: "c"},
		{name: "l", typ: sym, link: "a/x"},
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		p0, err := analyze.ParseLayer(ctx, 0, bytesLayer(base))
		if err != nil {
			t.Fatal(err)
		}
		p1, err := analyze.ParseLayer(ctx, 1, bytesLayer(data))
		if err != nil {
			return // not a layer: an error is the right answer
		}
		p2, err := analyze.ParseLayer(ctx, 2, bytesLayer(data))
		if err != nil {
			t.Fatalf("the same bytes parsed once and failed the second time: %v", err)
		}
		if p1.DiffID != p2.DiffID || p1.Digest != p2.Digest || p1.Entries.Size() != p2.Entries.Size() {
			t.Fatalf("the same bytes parsed twice differ: %v %v %d, %v %v %d", p1.Digest, p1.DiffID, p1.Entries.Size(), p2.Digest, p2.DiffID, p2.Entries.Size())
		}
		b := analyze.NewStack(nil, 3)
		for _, p := range []*analyze.ParsedLayer{p0, p1, p2} {
			if _, err := b.Push(p); err != nil {
				t.Fatal(err)
			}
		}
		checkResult(t, b.Result())
	})
}

// bytesLayer is a layer whose stored blob is data.
func bytesLayer(data []byte) image.Layer { return imagetest.BytesLayer(data) }

// rawTarBytes is rawTar for fuzz seeds, which have no *testing.T.
func rawTarBytes(hs []hdr) []byte {
	data, err := imagetest.RawTar(rawEntries(hs), tar.FormatPAX)
	if err != nil {
		panic(err)
	}
	return data
}

// checkResult checks what must hold of any analysis, whatever the layers:
// the stacked filesystem is a tree of directories at every layer, node
// names are clean, every view is consistent, the metrics are in range and
// the report can be written.
func checkResult(t *testing.T, res *analyze.Result) {
	t.Helper()
	tr := res.Tree
	for n := tree.NodeID(1); int(n) < tr.Len(); n++ {
		name := tr.Name(n)
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
			t.Fatalf("node %d has the name %q (path %q)", n, name, tr.Path(n))
		}
		if got, ok := tr.Lookup(tr.Path(n)); !ok || got != n {
			t.Fatalf("Lookup(%q) = %d, %v; want node %d", tr.Path(n), got, ok, n)
		}
	}
	var sizes, occurrences uint64 // upper bounds of what the metrics add up
	for id := range tr.Entries() {
		e := tr.Entry(tree.EntryID(id))
		if e.Size < 0 || e.RemovedSize < 0 {
			t.Fatalf("entry %d of %s has size %d, removed size %d", id, tr.Path(e.Node), e.Size, e.RemovedSize)
		}
		if e.Death < e.Layer {
			t.Fatalf("entry %d of %s is visible in layers [%d, %d)", id, tr.Path(e.Node), e.Layer, e.Death)
		}
		switch e.Kind {
		case tree.File:
			sizes += uint64(e.Size)
			occurrences += uint64(e.Size)
		case tree.Whiteout:
			occurrences += uint64(e.RemovedSize)
		}
	}
	var layerSizes uint64
	for k, l := range res.Layers {
		if l.Index != k || l.Size < 0 {
			t.Fatalf("layer %d has index %d and size %d", k, l.Index, l.Size)
		}
		layerSizes += uint64(l.Size)
		for _, mode := range []tree.CompareMode{tree.CompareLayer, tree.CompareAggregated} {
			checkView(t, res, k, mode)
		}
	}
	m := res.Metrics
	if math.IsNaN(m.Efficiency) || m.Efficiency < 0 || m.Efficiency > 1 {
		t.Fatalf("efficiency %v is not in [0, 1]", m.Efficiency)
	}
	if m.SizeBytes != layerSizes || m.UserSizeBytes > m.SizeBytes {
		t.Fatalf("size %d, user size %d; the layers add up to %d", m.SizeBytes, m.UserSizeBytes, layerSizes)
	}
	if m.WastedBytes > occurrences {
		t.Fatalf("wasted %d > %d bytes of occurrences", m.WastedBytes, occurrences)
	}
	if m.ReclaimableBytes > sizes {
		t.Fatalf("reclaimable %d > %d bytes of files", m.ReclaimableBytes, sizes)
	}
	if math.IsNaN(m.UserWastedPercent) || m.UserWastedPercent < 0 {
		t.Fatalf("user wasted percent %v", m.UserWastedPercent)
	}
	var wasted uint64
	for i, in := range m.Inefficient {
		if in.Count < 2 || in.SizeBytes < 0 || in.Path != tr.Path(in.Node) {
			t.Fatalf("inefficient file %+v", in)
		}
		if i > 0 && in.SizeBytes > m.Inefficient[i-1].SizeBytes {
			t.Fatalf("inefficient files are not largest first: %+v after %+v", in, m.Inefficient[i-1])
		}
		wasted += uint64(in.SizeBytes)
	}
	if wasted != m.WastedBytes {
		t.Fatalf("wasted %d, but the inefficient files add up to %d", m.WastedBytes, wasted)
	}
	rep := report.New(res, report.Meta{Reference: "fuzz"})
	if err := rep.Write(io.Discard); err != nil {
		t.Fatalf("writing the report: %v", err)
	}
}

// checkView checks the view of layer k: every visible path's parent is a
// visible directory, the counts add up, and Entry agrees with Shown.
func checkView(t *testing.T, res *analyze.Result, k int, mode tree.CompareMode) {
	t.Helper()
	tr := res.Tree
	v := tree.NewView(tr, res.Layers, k, mode)
	for _, c := range v.Counts {
		if c < 0 {
			t.Fatalf("layer %d (%s): counts %v", k, mode, v.Counts)
		}
	}
	for n := tree.NodeID(1); int(n) < tr.Len(); n++ {
		id, visible := tr.VersionAt(n, k)
		if visible {
			e := tr.Entry(id)
			if e.Node != n || int(e.Layer) > k || int(e.Death) <= k || e.Kind == tree.Whiteout || e.Kind == tree.Opaque {
				t.Fatalf("layer %d: %s shows entry %+v", k, tr.Path(n), *e)
			}
			if p := tr.Parent(n); p != tree.Root {
				pid, ok := tr.VersionAt(p, k)
				if !ok || !tr.Entry(pid).IsDir() {
					t.Fatalf("layer %d: %s is visible but its parent %s is not a visible directory", k, tr.Path(n), tr.Path(p))
				}
			}
		}
		shown := v.Shown(n)
		if shown != (visible || v.Own(n) == tree.Removed) {
			t.Fatalf("layer %d (%s): %s shown %v, visible %v, change %v", k, mode, tr.Path(n), shown, visible, v.Own(n))
		}
		if _, ok := v.Entry(n); shown && !ok {
			t.Fatalf("layer %d (%s): %s is shown (%v) but has no entry", k, mode, tr.Path(n), v.Own(n))
		}
		if visible && v.Own(n) == tree.Removed {
			t.Fatalf("layer %d (%s): %s is visible and removed", k, mode, tr.Path(n))
		}
		if !visible && (v.Own(n) == tree.Added || v.Own(n) == tree.Modified) {
			t.Fatalf("layer %d (%s): %s is %v but not visible", k, mode, tr.Path(n), v.Own(n))
		}
	}
}

// A whiteout named .wh.. or .wh... would delete "." or "..": it names no
// file and is ignored, rather than adding a node called "." to the tree.
// (Found by FuzzParseLayer.)
func TestWhiteoutOfDotIsIgnored(t *testing.T) {
	res := stackRaw(t, []hdr{{name: "a/x", body: "1"}}, []hdr{{name: "a/.wh.."}, {name: "a/.wh..."}, {name: ".wh.."}})
	diffLines(t, "top layer", render(res, 1, tree.CompareLayer), []string{"  /a", "  /a/x"})
	checkResult(t, res)
}

// Directories, links, devices and fifos have no data, whatever size their
// header gives: a negative size made the layer's size negative, and 1 TB
// counted a terabyte that no byte backs. (Found by FuzzParseLayer's
// invariants, on a seed written for them.)
func TestHeaderOnlyEntriesHaveNoSize(t *testing.T) {
	for _, size := range []int64{-5, 1 << 40} {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		for _, h := range []*tar.Header{
			{Name: "d/", Typeflag: tar.TypeDir, Mode: 0o755, Size: size, Format: tar.FormatGNU},
			{Name: "d/s", Typeflag: tar.TypeSymlink, Linkname: "x", Size: size, Format: tar.FormatGNU},
			{Name: "d/f", Typeflag: tar.TypeReg, Mode: 0o644, Size: 3, Format: tar.FormatGNU},
		} {
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
		}
		tw.Write([]byte("abc"))
		tw.Close()
		data := b.Bytes()
		p, err := analyze.ParseLayer(context.Background(), 0, bytesLayer(data))
		if err != nil {
			t.Fatal(err)
		}
		b2 := analyze.NewStack(nil, 1)
		if _, err := b2.Push(p); err != nil {
			t.Fatal(err)
		}
		res := b2.Result()
		if res.Layers[0].Size != 3 || res.Metrics.SizeBytes != 3 {
			t.Errorf("header size %d: layer size %d, image size %d; want 3", size, res.Layers[0].Size, res.Metrics.SizeBytes)
		}
		checkResult(t, res)
	}
}
