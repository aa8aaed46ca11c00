package treeview

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// memTree is a tree made of paths: "dir/" is a directory, a path after
// "+" added, "~" modified, "-" removed, ":N" a size.
type memTree struct {
	names  []string
	parent []Node
	kids   [][]Node
	info   []Info
}

func newMemTree(paths ...string) *memTree {
	t := &memTree{names: []string{""}, parent: []Node{NoNode}, kids: [][]Node{nil}, info: []Info{{Dir: true, Shown: true}}}
	for _, p := range paths {
		change := tree.Unmodified
		switch p[0] {
		case '+':
			change, p = tree.Added, p[1:]
		case '~':
			change, p = tree.Modified, p[1:]
		case '-':
			change, p = tree.Removed, p[1:]
		}
		var size int64
		if i := strings.LastIndexByte(p, ':'); i > 0 {
			fmt.Sscan(p[i+1:], &size)
			p = p[:i]
		}
		dir := strings.HasSuffix(p, "/")
		parts := strings.Split(strings.Trim(p, "/"), "/")
		n := Root
		for i, part := range parts {
			n = t.child(n, part, i < len(parts)-1 || dir)
		}
		t.info[n].Change, t.info[n].Size = change, size
	}
	return t
}

func (t *memTree) child(n Node, name string, dir bool) Node {
	for _, c := range t.kids[n] {
		if t.names[c] == name {
			return c
		}
	}
	c := Node(len(t.names))
	t.names = append(t.names, name)
	t.parent = append(t.parent, n)
	t.kids = append(t.kids, nil)
	t.info = append(t.info, Info{Dir: dir, Shown: true})
	t.kids[n] = append(t.kids[n], c)
	return c
}

func (t *memTree) Len() int           { return len(t.names) }
func (t *memTree) Parent(n Node) Node { return t.parent[n] }
func (t *memTree) Children(n Node, f func(Node)) {
	slices.Values(t.kids[n])(func(c Node) bool { f(c); return true })
}
func (t *memTree) Info(n Node) Info   { return t.info[n] }
func (t *memTree) Name(n Node) string { return t.names[n] }

func (t *memTree) lookup(p string) Node {
	n := Root
	for _, part := range strings.Split(strings.Trim(p, "/"), "/") {
		n = t.child(n, part, false)
	}
	return n
}

// pane is a focused tree pane of the tree at w×h, drawn with a selection
// marker column, as with TERM=dumb, so that the screen says which row is
// selected.
func pane(t *testing.T, tr Tree, w, h int) Model {
	t.Helper()
	m := New(panetest.Styles(t, common.Plain))
	m.SetSize(w, h)
	m.SetTree(tr)
	m.Focus()
	return m
}

// screenRows are the pane's rows as the user reads them.
func screenRows(m Model) []string {
	return panetest.Inner(m.View())
}

func press(m Model, bs ...any) Model {
	for _, b := range bs {
		switch b := b.(type) {
		case string:
			m, _ = m.Update(panetest.Press(b))
		case tea.Msg:
			m, _ = m.Update(b)
		}
	}
	return m
}

func TestWalkAndScroll(t *testing.T) {
	tr := newMemTree("bin/sh", "bin/ls", "etc/passwd", "etc/group", "usr/lib/libc.so", "var/")
	m := pane(t, tr, 40, 7) // 4 rows in view
	k := m.KeyMap()
	panetest.RequireLines(t, screenRows(m),
		"  Name",
		"> ├──   bin",
		"  │   ├──   ls",
		"  │   └──   sh",
		"  ├──   etc")
	m = press(m, k.Down.Keys()[0], k.PageDown.Keys()[0])
	panetest.RequireLines(t, screenRows(m),
		"  Name",
		"  │   ├──   ls",
		"  │   └──   sh",
		"  ├──   etc",
		"> │   ├──   group")
	m = press(m, k.Bottom.Keys()[0])
	panetest.RequireLines(t, screenRows(m),
		"  Name",
		"  ├──   usr",
		"  │   └──   lib",
		"  │       └──   libc.so",
		"> └──   var")
	m = press(m, k.Top.Keys()[0])
	if got := screenRows(m)[1]; got != "> ├──   bin" {
		t.Errorf("home: first row %q", got)
	}
}

func TestScrollBarSaysWhereTheWindowIs(t *testing.T) {
	var paths []string
	for i := range 100 {
		paths = append(paths, fmt.Sprintf("f%03d", i))
	}
	m := pane(t, newMemTree(paths...), 30, 12) // 9 rows of 100
	bar := func(m Model) string {
		var b strings.Builder
		for _, l := range panetest.Screen(m.View())[2:11] {
			r := []rune(l)
			b.WriteRune(r[len(r)-2])
		}
		return b.String()
	}
	if got := bar(m); got != "│││││││││"[:0]+"┃││││││││" {
		t.Errorf("bar at the top: %q", got)
	}
	m = press(m, "end")
	if got := bar(m); got != "││││││││┃" {
		t.Errorf("bar at the bottom: %q", got)
	}
	for range 45 {
		m = press(m, "up")
	}
	if got := bar(m); got != "││││┃││││" {
		t.Errorf("bar in the middle: %q", got)
	}
}

func TestCollapseAndExpand(t *testing.T) {
	tr := newMemTree("bin/sh", "etc/passwd", "etc/ssl/certs/ca.pem")
	m := pane(t, tr, 40, 10)
	k := m.KeyMap()
	m = press(m, k.Down.Keys()[0], k.Down.Keys()[0]) // etc
	m = press(m, k.Collapse.Keys()[0])
	panetest.RequireLines(t, screenRows(m)[:4], "  Name", "  ├──   bin", "  │   └──   sh", "> └──   ⊕ etc")
	m = press(m, k.Expand.Keys()[0], k.Down.Keys()[0], k.Collapse.Keys()[0]) // passwd: left goes to the parent
	if got := screenRows(m)[3]; got != "> └──   etc" {
		t.Errorf("left on a file: %q", got)
	}
	if m.AtLeftEdge() {
		t.Error("an expanded directory is at the left edge")
	}
	m = press(m, k.ToggleAll.Keys()[0])
	panetest.RequireLines(t, screenRows(m)[:3], "  Name", "  ├──   ⊕ bin", "> └──   ⊕ etc")
	if !m.AtLeftEdge() {
		t.Error("a collapsed top-level directory is not the left edge")
	}
	m = press(m, k.ToggleAll.Keys()[0])
	if len(slices.DeleteFunc(screenRows(m), func(s string) bool { return s == "" })) != 8 {
		t.Errorf("expand all:\n%s", strings.Join(screenRows(m), "\n"))
	}
}

func TestHideAndFilter(t *testing.T) {
	tr := newMemTree("~etc/", "~etc/passwd", "etc/group", "+app/run", "-bin/ls", "bin/")
	m := pane(t, tr, 40, 10)
	k := m.KeyMap()
	m = press(m, k.ToggleUnmodified.Keys()[0])
	panetest.RequireLines(t, screenRows(m)[:6], "  Name", "> ├──   app", "  │   └── + run", "  ├──   bin", "  │   └── - ls", "  └── ~ etc")
	if !strings.Contains(m.Title(), "hiding unmodified") {
		t.Errorf("title %q", m.Title())
	}
	m = press(m, k.ToggleUnmodified.Keys()[0], k.ToggleAdded.Keys()[0], k.ToggleRemoved.Keys()[0])
	if got := strings.Join(screenRows(m)[1:4], "|"); got != "> ├──   app|  ├──   bin|  └── ~ etc" {
		t.Errorf("hiding added and removed:\n%s", strings.Join(screenRows(m), "\n"))
	}
	m = press(m, k.ToggleAdded.Keys()[0], k.ToggleRemoved.Keys()[0])
	// A filter: text matches as a substring, a pattern as a Go regexp.
	m.StartFilter()
	m = panetest.Send(m, panetest.Type("pass")...)
	panetest.RequireLines(t, screenRows(m)[:3], "  Name", "> └── ~ etc", "      └── ~ passwd")
	if last := screenRows(m)[len(screenRows(m))-1]; !strings.HasPrefix(last, "Filter: pass") {
		t.Errorf("filter line %q", last)
	}
	m = panetest.Send(m, panetest.Type("(")...) // an invalid pattern: the last good filter stays
	if m.Filter() != "pass" || !strings.Contains(strings.Join(screenRows(m), "\n"), "missing closing )") {
		t.Errorf("an invalid pattern gave filter %q:\n%s", m.Filter(), strings.Join(screenRows(m), "\n"))
	}
	m = press(m, "backspace", "enter")
	if m.Filtering() || m.Filter() != "pass" {
		t.Errorf("enter: filtering %v, filter %q", m.Filtering(), m.Filter())
	}
	m = press(m, k.ClearFilter.Keys()[0])
	if m.Filter() != "" || len(slices.DeleteFunc(screenRows(m), func(s string) bool { return s == "" })) != 8 {
		t.Errorf("esc did not clear the filter:\n%s", strings.Join(screenRows(m), "\n"))
	}
	if err := m.SetFilter("^/(app|bin)$"); err != nil {
		t.Fatal(err)
	}
	panetest.RequireLines(t, screenRows(m)[:3], "  Name", "> ├──   app", "  └──   bin")
}

func TestSortBySize(t *testing.T) {
	tr := newMemTree("a:1", "b:30", "c:20")
	m := pane(t, tr, 40, 6)
	m = press(m, m.KeyMap().Sort.Keys()[0])
	panetest.RequireLines(t, screenRows(m)[:4], "  Name", "  ├──   b", "  ├──   c", "> └──   a")
	if !strings.HasSuffix(m.Title(), "· by size") {
		t.Errorf("title %q", m.Title())
	}
}

// On another layer the cursor keeps its path, and new paths above it
// show: the window starts at the top again.
func TestAnotherLayerShowsItsTopRows(t *testing.T) {
	tr := newMemTree("bin/sh", "etc/a", "etc/b", "etc/c", "etc/d", "etc/e", "app/run")
	m := pane(t, &shownTree{memTree: tr, hidden: map[string]bool{"app": true, "run": true}}, 40, 12) // 9 rows
	m = press(m, "down", "down", "down", "down", "down", "down")                                     // etc/d
	panetest.RequireLines(t, screenRows(m)[:9], "  Name", "  ├──   bin", "  │   └──   sh", "  └──   etc", "      ├──   a", "      ├──   b", "      ├──   c", ">     ├──   d", "      └──   e")
	m.SetTree(&shownTree{memTree: tr})
	panetest.RequireLines(t, screenRows(m)[:10], "  Name", "  ├──   app", "  │   └──   run", "  ├──   bin", "  │   └──   sh", "  └──   etc", "      ├──   a", "      ├──   b", "      ├──   c", ">     ├──   d")
	if got := m.Cursor(); got != tr.lookup("etc/d") {
		t.Errorf("the cursor is on %d, want etc/d", got)
	}
	// The cursor's path gone: back to the top.
	m.SetTree(&shownTree{memTree: tr, hidden: map[string]bool{"d": true}})
	panetest.RequireLines(t, screenRows(m)[:3], "  Name", "> ├──   app", "  │   └──   run")
}

// shownTree hides some names, as a lower layer that lacks them.
type shownTree struct {
	*memTree
	hidden map[string]bool
}

func (s *shownTree) Info(n Node) Info {
	i := s.memTree.Info(n)
	i.Shown = !s.hidden[s.Name(n)]
	return i
}

func TestColumnsDropWhenTheNameWouldBeNarrow(t *testing.T) {
	tr := newMemTree("a-long-file-name-indeed")
	cols := []Column{
		{Title: "Permission", Width: 10, Left: true, Drop: 2, Cell: func(Node) string { return "-rw-r--r--" }},
		{Title: "UID:GID", Width: 11, Drop: 3, Cell: func(Node) string { return "0:0" }},
		{Title: "Size", Width: 8, Drop: 1, Cell: func(Node) string { return "1 kB" }},
	}
	for _, tc := range []struct {
		width int
		head  string
	}{
		{80, "  Permission     UID:GID     Size  Name"},
		{50, "  Permission     Size  Name"},
		{40, "      Size  Name"},
		{28, "  Name"},
	} {
		m := New(panetest.Styles(t, common.Plain))
		m.SetColumns(cols, nil)
		m.SetSize(tc.width, 5)
		m.SetTree(tr)
		if got := screenRows(m)[0]; got != tc.head {
			t.Errorf("at %d cells the header is %q, want %q", tc.width, got, tc.head)
		}
		panetest.RequireSize(t, m.View(), tc.width, 5)
	}
}
