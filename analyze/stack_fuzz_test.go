package analyze_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// FuzzStack decodes the fuzz bytes into a sequence of layers written in a
// small language (below), stacks them, and compares every layer's
// filesystem and changes, in both compare modes, with a naive model of the
// overlay rules that copies a map of paths at every step.
//
// Each op is two bytes: the op and an argument. The argument picks a path
// out of 3×3×3 short names (a, b, c at depths 1 to 3), and for files also
// their content, mode or owner.
//
//	0 file      1 directory   2 whiteout   3 opaque marker
//	4 symlink   5 hard link   6 next layer 7 file, other mode and owner
func FuzzStack(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 0, 6, 0, 0},                // a file, then again
		{1, 0, 0, 3, 6, 2, 0},          // a directory with a file, deleted
		{1, 0, 0, 3, 6, 3, 0},          // then an opaque marker in it
		{0, 0, 6, 0, 3},                // a file turned into a directory
		{1, 0, 0, 3, 6, 0, 0, 6, 1, 0}, // a directory replaced by a file and back
		{4, 1, 5, 2, 6, 2, 1, 7, 4},
		{3, 0xff, 0, 1, 6, 3, 0xff, 0, 2},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("stacking %q takes more than 10s", data)) }).Stop()
		layers := decodeOps(data)
		deaths := &deathCounter{seen: map[tree.EntryID]bool{}}
		b := analyze.NewStack(nil, len(layers), deaths)
		states := make([]modelState, 0, len(layers))
		// Each layer's file list, written from the tree's versions and
		// from the entries as parsed (report.Writer.Sort), must not differ.
		var fromTree, fromEntries bytes.Buffer
		treeReport, entriesReport := report.NewWriter(&fromTree), report.NewWriter(&fromEntries)
		var m modelState
		for i, l := range layers {
			p, err := analyze.ParseLayer(context.Background(), i, bytesLayer(l.tar()))
			if err != nil {
				t.Fatal(err)
			}
			entriesReport.Sort(p)
			if _, err := b.Push(p); err != nil {
				t.Fatal(err)
			}
			if err := treeReport.WriteLayers(b.Tree(), b.Layers()); err != nil {
				t.Fatal(err)
			}
			if err := entriesReport.WriteLayers(b.Tree(), b.Layers()); err != nil {
				t.Fatal(err)
			}
			m = m.apply(l)
			states = append(states, m)
		}
		res := b.Result()
		if err := treeReport.Finish(res, report.Meta{}); err != nil {
			t.Fatal(err)
		}
		if err := entriesReport.Finish(res, report.Meta{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fromTree.Bytes(), fromEntries.Bytes()) {
			t.Errorf("the report written from the parsed entries differs from the tree's:\n%s\nthe tree's:\n%s", fromEntries.Bytes(), fromTree.Bytes())
		}
		checkResult(t, res)
		deaths.check(t, res)
		for k := range layers {
			compareModel(t, res, states, layers, k)
		}
	})
}

// opEntry is one decoded op.
type opEntry struct {
	op   byte
	path string // without a leading slash
	arg  byte
}

type opLayer []opEntry

// opNames are the paths ops write: a, a/b, a/b/c, and so on.
func opPath(arg byte) string {
	names := []string{"a", "b", "c"}
	depth := int(arg/27)%3 + 1
	var parts []string
	for i, v := 0, int(arg%27); i < depth; i, v = i+1, v/3 {
		parts = append(parts, names[v%3])
	}
	return strings.Join(parts, "/")
}

// decodeOps reads the op language, at most 8 layers of 32 ops.
func decodeOps(data []byte) []opLayer {
	layers := []opLayer{nil}
	for i := 0; i+1 < len(data); i += 2 {
		op, arg := data[i]%8, data[i+1]
		if op == 6 {
			if len(layers) == 8 {
				break
			}
			layers = append(layers, nil)
			continue
		}
		l := &layers[len(layers)-1]
		if len(*l) < 32 {
			*l = append(*l, opEntry{op: op, path: opPath(arg), arg: arg})
		}
	}
	return layers
}

// tar writes a layer's ops as a tar.
func (l opLayer) tar() []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range l {
		h := &tar.Header{Name: e.path, Mode: 0o644, Format: tar.FormatPAX}
		var body string
		switch e.op {
		case 0, 7:
			h.Typeflag = tar.TypeReg
			body = fmt.Sprint(e.arg % 2)
			if e.op == 7 {
				h.Mode, h.Uid = 0o600, 1000
			}
			h.Size = int64(len(body))
		case 1:
			h.Typeflag, h.Name, h.Mode = tar.TypeDir, e.path+"/", 0o755
		case 2:
			dir, base := splitOpPath(e.path)
			h.Typeflag, h.Name = tar.TypeReg, dir+".wh."+base
		case 3:
			dir, _ := splitOpPath(e.path)
			h.Typeflag, h.Name = tar.TypeReg, dir+".wh..wh..opq"
		case 4:
			h.Typeflag, h.Linkname, h.Mode = tar.TypeSymlink, opPath(e.arg*7), 0o777
		case 5:
			h.Typeflag, h.Linkname = tar.TypeLink, opPath(e.arg*5)
		}
		if err := tw.WriteHeader(h); err != nil {
			panic(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	return b.Bytes()
}

// splitOpPath splits "a/b/c" into "a/b/" and "c".
func splitOpPath(p string) (string, string) {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// modelEntry is what the model knows of a visible path.
type modelEntry struct {
	typ      byte
	body     string
	link     string
	mode     fs.FileMode
	uid      int
	implied  bool
	dirOrNot bool
}

func (e modelEntry) isDir() bool { return e.typ == tar.TypeDir }

// modelState maps every visible path ("/a/b") to its entry.
type modelState map[string]modelEntry

// apply stacks a layer on a copy of the state: whiteouts and opaque
// markers first, against lower layers only, then the entries in tar order.
func (s modelState) apply(l opLayer) modelState {
	n := maps.Clone(s)
	if n == nil {
		n = modelState{}
	}
	lower := maps.Clone(n)
	for _, e := range l {
		switch e.op {
		case 2:
			p := "/" + e.path
			if _, ok := lower[p]; ok {
				n.removeTree(p)
			}
		case 3:
			dir, _ := splitOpPath(e.path)
			d := "/" + strings.TrimSuffix(dir, "/")
			if d == "/" || lower[d].isDir() {
				n.removeBelow(d)
			}
		}
	}
	for _, e := range l {
		var me modelEntry
		switch e.op {
		case 0, 7:
			me = modelEntry{typ: tar.TypeReg, body: fmt.Sprint(e.arg % 2), mode: 0o644}
			if e.op == 7 {
				me.mode, me.uid = 0o600, 1000
			}
		case 1:
			me = modelEntry{typ: tar.TypeDir, mode: fs.ModeDir | 0o755}
		case 4:
			me = modelEntry{typ: tar.TypeSymlink, link: opPath(e.arg * 7), mode: fs.ModeSymlink | 0o777}
		case 5:
			me = modelEntry{typ: tar.TypeLink, link: opPath(e.arg * 5), mode: 0o644}
		default:
			continue
		}
		n.put("/"+e.path, me)
	}
	return n
}

// put writes p, making its parents directories (implied ones where the
// stack has none); a directory replaced by anything else loses its
// children.
func (s modelState) put(p string, e modelEntry) {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		parent := p[:i]
		if !s[parent].isDir() {
			s.put(parent, modelEntry{typ: tar.TypeDir, mode: fs.ModeDir | 0o755, implied: true})
		}
	}
	if old, ok := s[p]; ok && old.isDir() && !e.isDir() {
		s.removeBelow(p)
	}
	s[p] = e
}

func (s modelState) removeTree(p string) {
	delete(s, p)
	s.removeBelow(p)
}

func (s modelState) removeBelow(p string) {
	prefix := strings.TrimSuffix(p, "/") + "/"
	for q := range s {
		if strings.HasPrefix(q, prefix) {
			delete(s, q)
		}
	}
}

// same says whether two versions of a path have the same content, the way
// strata compares them (an implied directory over a directory is no
// change).
func same(old, new modelEntry) bool {
	if new.implied && old.isDir() {
		return true
	}
	return old.typ == new.typ && old.body == new.body && old.link == new.link &&
		old.mode == new.mode && old.uid == new.uid
}

// compareModel checks layer k's filesystem and both of its views against
// the model.
func compareModel(t *testing.T, res *analyze.Result, states []modelState, layers []opLayer, k int) {
	t.Helper()
	tr := res.Tree
	want := states[k]
	var got []string
	for n := tree.NodeID(1); int(n) < tr.Len(); n++ {
		id, ok := tr.VersionAt(n, k)
		if !ok {
			continue
		}
		p := tr.Path(n)
		got = append(got, p)
		e, me := tr.Entry(id), want[p]
		if e.Type != me.typ || tr.Link(e) != me.link || e.Mode != me.mode {
			t.Fatalf("layer %d: %s is type %c link %q mode %v; the model has %c %q %v", k, p, e.Type, tr.Link(e), e.Mode, me.typ, me.link, me.mode)
		}
	}
	slices.Sort(got)
	wantPaths := slices.Sorted(maps.Keys(want))
	if !slices.Equal(got, wantPaths) {
		t.Fatalf("layer %d shows\n  %v\nthe model has\n  %v", k, got, wantPaths)
	}

	// What layer k itself wrote, last entry first wins.
	written := map[string]bool{}
	for _, e := range layers[k] {
		if e.op == 2 || e.op == 3 {
			continue
		}
		for p := "/" + e.path; p != ""; p = p[:strings.LastIndexByte(p, '/')] {
			written[p] = true
		}
	}
	for _, mode := range []tree.CompareMode{tree.CompareLayer, tree.CompareAggregated} {
		before := modelState{}
		switch {
		case mode == tree.CompareLayer && k > 0:
			before = states[k-1]
		case mode == tree.CompareAggregated:
			before = states[0]
		}
		v := tree.NewView(tr, res.Layers, k, mode)
		for n := tree.NodeID(1); int(n) < tr.Len(); n++ {
			p := tr.Path(n)
			old, inOld := before[p]
			cur, inCur := want[p]
			wantChange := tree.Unmodified
			switch {
			case mode == tree.CompareAggregated && k == 0:
				// The base layer against nothing: strata shows its own
				// view of layer 0.
				if inCur && written[p] {
					wantChange = tree.Added
				}
			case inOld && !inCur:
				wantChange = tree.Removed
			case !inOld && inCur:
				wantChange = tree.Added
			case inOld && inCur && !same(old, cur):
				if mode == tree.CompareAggregated || written[p] {
					wantChange = tree.Modified
				}
			}
			if got := v.Own(n); got != wantChange {
				t.Fatalf("layer %d (%s): %s is %v, the model says %v (before %+v %v, now %+v %v)", k, mode, p, got, wantChange, old, inOld, cur, inCur)
			}
		}
	}
}

// A path written and then removed by the same layer (its directory
// replaced by a file) was never visible: it is not added, and it is
// removed only if the stack below had it. (Found by FuzzStack.)
func TestWrittenAndRemovedInOneLayer(t *testing.T) {
	dir := byte(tar.TypeDir)
	res := stackRaw(t, []hdr{{name: "a/", typ: dir}, {name: "a/b", body: "1"}, {name: "a", body: "file"}})
	diffLines(t, "layer 0", render(res, 0, tree.CompareLayer), []string{"A /a"})
	if c := tree.NewView(res.Tree, res.Layers, 0, tree.CompareLayer).Counts; c != [4]int{tree.Added: 1} {
		t.Errorf("layer 0 counts %v, want one added path", c)
	}
	res = stackRaw(t,
		[]hdr{{name: "a/", typ: dir}, {name: "a/b", body: "1"}, {name: "a/c", body: "1"}},
		[]hdr{{name: "a/b", body: "2"}, {name: "a/d", body: "2"}, {name: "a", body: "file"}})
	diffLines(t, "layer 1", render(res, 1, tree.CompareLayer), []string{"M /a", "R /a/b", "R /a/c"})
	checkResult(t, res)
}

// deathCounter is an observer that checks every version that ends is told
// of once, when its layer is stacked.
type deathCounter struct {
	seen  map[tree.EntryID]bool
	bytes int64
	err   error
}

func (d *deathCounter) Capture(string, int64, fs.FileMode) tarparse.Keeper { return nil }

func (d *deathCounter) Died(t *tree.Tree, dt tree.Death) {
	e := t.Entry(dt.Version)
	switch {
	case d.seen[dt.Version]:
		d.err = fmt.Errorf("version %d of %s died twice", dt.Version, t.Path(e.Node))
	case e.Death != dt.Layer:
		d.err = fmt.Errorf("version %d of %s died at layer %d, its Death is %d", dt.Version, t.Path(e.Node), dt.Layer, e.Death)
	case dt.Cause == tree.Replaced && (dt.By == tree.NoEntry || t.Entry(dt.By).Node != e.Node):
		d.err = fmt.Errorf("version %d of %s was replaced by %d, not a version of it", dt.Version, t.Path(e.Node), dt.By)
	}
	d.seen[dt.Version] = true
	d.bytes += e.Size
}

func (d *deathCounter) Stacked(*tree.Tree, *tree.Layer, []tarparse.CapturedFile) {}

func (d *deathCounter) check(t *testing.T, res *analyze.Result) {
	t.Helper()
	if d.err != nil {
		t.Fatal(d.err)
	}
	dead := 0
	for i := range res.Tree.Entries() {
		e := res.Tree.Entry(tree.EntryID(i))
		if (e.Kind == tree.File || e.Kind == tree.Implied) && e.Death != tree.Alive {
			dead++
			if !d.seen[tree.EntryID(i)] {
				t.Fatalf("version %d of %s died unseen", i, res.Tree.Path(e.Node))
			}
		}
	}
	if dead != len(d.seen) || d.bytes != int64(res.Metrics.ReclaimableBytes) {
		t.Fatalf("%d deaths told of %d, %d bytes, reclaimable %d", len(d.seen), dead, d.bytes, res.Metrics.ReclaimableBytes)
	}
}
