package filetree

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	it "github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// down is the key the benchmarks press.
var down = tea.KeyPressMsg{Code: tea.KeyDown}

// links is an image of links of every kind: busybox and what points to
// it, a symlinked directory, links that go nowhere or out of the image.
func links(t *testing.T) *analyze.Result {
	t.Helper()
	img, err := it.Image([]it.Step{
		{CreatedBy: "base", Entries: []it.Entry{
			it.Dir("/bin/"), it.Reg("/bin/busybox", "#!busybox\n"),
			it.Symlink("/bin/sh", "busybox"), it.Hardlink("/bin/cat", "bin/busybox"),
			it.Symlink("/bin/abs", "/bin/sh"),
			it.Dir("/usr/"), it.Symlink("/usr/bin", "../bin"), it.Symlink("/usr/sh", "bin/sh"),
			it.Symlink("/bin/out", "../../../etc/passwd"), it.Symlink("/bin/gone", "nothing"),
			it.Symlink("/bin/loop", "loop"), it.Symlink("/bin/dir", "/usr"),
		}},
		{CreatedBy: "change", Entries: []it.Entry{it.Reg("/bin/busybox", "#!busybox v2\n")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyze.Analyze(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestResolveFollowsLinksInsideTheImage(t *testing.T) {
	res := links(t)
	for _, k := range []int{0, 1} {
		v := tree.NewView(res.Tree, res.Layers, k, tree.CompareLayer)
		for _, tc := range []struct {
			path, want, via string
			layer           int
		}{
			{"/bin/busybox", "/bin/busybox", "", k},
			{"/bin/sh", "/bin/busybox", "→ /bin/busybox", k},
			{"/bin/cat", "/bin/busybox", "→ /bin/busybox", k},
			{"/bin/abs", "/bin/busybox", "→ /bin/busybox", k},
			{"/usr/sh", "/bin/busybox", "→ /bin/busybox", k}, // through the symlinked /usr/bin
		} {
			n, ok := res.Tree.Lookup(tc.path)
			if !ok {
				t.Fatalf("no %s", tc.path)
			}
			got, err := Resolve(v, n)
			if err != nil || got.Path != tc.want || got.Via != tc.via || got.Layer != tc.layer {
				t.Errorf("layer %d: Resolve(%s) = %+v, %v; want %s from layer %d", k, tc.path, got, err, tc.want, tc.layer)
			}
		}
	}
	v := tree.NewView(res.Tree, res.Layers, 1, tree.CompareLayer)
	for path, want := range map[string]string{
		"/bin/out":  "leads outside the image",
		"/bin/gone": "/bin/nothing: not in the image",
		"/bin/loop": "more than 40 links",
		"/bin/dir":  "not a regular file (directory)",
		"/bin":      "not a regular file (directory)",
	} {
		n, _ := res.Tree.Lookup(path)
		if _, err := Resolve(v, n); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Resolve(%s) = %v, want an error saying %q", path, err, want)
		}
	}
}

func TestPaneShowsLinksAndTheLayer(t *testing.T) {
	res := links(t)
	m := New(panetest.Styles(t, common.Plain))
	m.SetSize(80, 16)
	m.SetView(tree.NewView(res.Tree, res.Layers, 0, tree.CompareLayer))
	m.SetNumber(5)
	m.Focus()
	lines := panetest.Inner(m.View())
	panetest.RequireLines(t, lines[:6],
		"  Permission     UID:GID     Size  Name",
		"> drwxr-xr-x         0:0     10 B  ├── + bin",
		"  lrwxrwxrwx         0:0      0 B  │   ├── + abs → /bin/sh",
		"  -rw-r--r--         0:0     10 B  │   ├── + busybox",
		"  -rw-r--r--         0:0      0 B  │   ├── + cat ⇒ /bin/busybox",
		"  lrwxrwxrwx         0:0      0 B  │   ├── + dir → /usr")
	if top := panetest.Screen(m.View())[0]; !strings.Contains(top, "[5] Layer 0 contents") {
		t.Errorf("title %q", top)
	}
	m.SetView(tree.NewView(res.Tree, res.Layers, 1, tree.CompareAggregated))
	if top := panetest.Screen(m.View())[0]; !strings.Contains(top, "[5] Aggregated contents, layers 1–1") {
		t.Errorf("title %q", top)
	}
	// Enter on a file asks to open it from the layer in view.
	m.SetView(tree.NewView(res.Tree, res.Layers, 1, tree.CompareLayer))
	m = panetest.Send(m, panetest.Keys(m.KeyMap().Down, m.KeyMap().Down)...) // bin, abs, busybox
	opened := panetest.Send(m, panetest.Key(m.KeyMap().Open))
	if r, ok := opened.Request(); !ok || r.Path != "/bin/busybox" || r.Layer != 1 || r.Extract {
		t.Errorf("enter asked for %+v, %v", r, ok)
	}
	extracted := panetest.Send(m, panetest.Key(m.KeyMap().Extract))
	if r, ok := extracted.Request(); !ok || r.Path != "/bin/busybox" || !r.Extract {
		t.Errorf("ctrl+e asked for %+v, %v", r, ok)
	}
	if _, ok := panetest.Send(opened, panetest.Key(m.KeyMap().Down)).Request(); ok {
		t.Error("the request outlived the next key")
	}
}

func TestPaneSaysWhyThereIsNoTree(t *testing.T) {
	m := New(panetest.Styles(t, common.Plain))
	m.SetSize(40, 8)
	m.SetMessage("Layer 5 contents", []string{"Layer 5 was not analyzed: the analysis stopped at layer 3: disk on fire"})
	panetest.RequireLines(t, panetest.Inner(m.View())[:3], "Layer 5 was not analyzed: the analysis", "stopped at layer 3: disk on fire", "")
}
