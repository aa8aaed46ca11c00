package treeview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/ui/internal/panetest"
)

// chain is a tree of one path depth directories deep, with a file at the
// bottom and one beside the top.
func chain(depth int) *memTree {
	t := newMemTree("top-file")
	n := Root
	for range depth {
		n = t.child(n, "d", true)
	}
	t.child(n, "bottom-file", false)
	return t
}

// A path 400,000 directories deep: every key and every frame walks one
// path at most, rows are cut to the width, and the levels that do not fit
// give way to "…".
func TestDeepPathStaysBounded(t *testing.T) {
	tr := chain(400_000)
	m := pane(t, tr, 80, 24)
	k := m.KeyMap()
	m = press(m, k.Bottom.Keys()[0])
	lines := panetest.Screen(m.View())
	panetest.RequireSize(t, m.View(), 80, 24)
	if got := lines[len(lines)-3]; !strings.Contains(got, "  …") || !strings.Contains(got, "└──   bottom-file ") {
		t.Errorf("the row of the deepest file is %q", got)
	}
	if got := lines[len(lines)-2]; !strings.HasPrefix(got, "┃> └──   top-file ") {
		t.Errorf("the last row is %q", got)
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != 80 {
			t.Fatalf("a line is %d cells wide: %q", w, l)
		}
	}
	m = press(m, k.Up.Keys()[0], k.Down.Keys()[0], k.PageUp.Keys()[0], k.Collapse.Keys()[0], k.Expand.Keys()[0])
	m = press(m, k.Top.Keys()[0], k.Down.Keys()[0], k.ToggleUnmodified.Keys()[0], k.ToggleUnmodified.Keys()[0])
	if err := m.SetFilter("bottom"); err != nil { // plain text
		t.Fatal(err)
	}
	if got := panetest.Inner(m.View())[1]; !strings.Contains(got, "d") {
		t.Errorf("filtered on bottom, the first row is %q", got)
	}
	if err := m.SetFilter("bottom-f.le$"); err != nil { // a regular expression
		t.Fatal(err)
	}
	m = press(m, k.Bottom.Keys()[0])
	if got := panetest.Screen(m.View()); !strings.Contains(strings.Join(got, "\n"), "bottom-file") {
		t.Errorf("filtered with a pattern:\n%s", strings.Join(got, "\n"))
	}
	if err := m.SetFilter("top"); err != nil {
		t.Fatal(err)
	}
	panetest.RequireLines(t, screenRows(m)[:2], "  Name", "> └──   top-file")
}

// BenchmarkDeepPath is a key and the frame after it at the bottom of a
// path 400,000 directories deep.
func BenchmarkDeepPath(b *testing.B) {
	m := New(panetest.Styles(b, 2))
	m.SetSize(80, 24)
	m.SetTree(chain(400_000))
	m.Focus()
	m = press(m, "end")
	keys := []string{"up", "down"}
	i := 0
	for b.Loop() {
		m = press(m, keys[i%2])
		_ = m.View()
		i++
	}
}
