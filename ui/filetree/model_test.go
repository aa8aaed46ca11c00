package filetree

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/common"
)

// demo analyzes the demo image shipped in testdata.
func demo(t *testing.T) *analyze.Result {
	t.Helper()
	img, err := source.Open("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func pane(t *testing.T, res *analyze.Result, k int, mode tree.CompareMode, w, h int) Model {
	m := New(common.DefaultStyles())
	m.SetSize(w, h)
	m.SetView(tree.NewView(res.Tree, res.Layers, k, mode))
	m.Focus()
	return m
}

func press(m Model, keys ...tea.KeyPressMsg) Model {
	for _, k := range keys {
		m, _ = m.Update(k)
	}
	return m
}

func text(s string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

var (
	down     = tea.KeyPressMsg{Code: tea.KeyDown}
	enter    = tea.KeyPressMsg{Code: tea.KeyEnter}
	esc      = tea.KeyPressMsg{Code: tea.KeyEscape}
	space    = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	ctrlU    = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	ctrlB    = tea.KeyPressMsg{Code: 'b', Mod: tea.ModCtrl}
	ctrlF    = tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl}
	ctrlE    = tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl}
	ctrlO    = tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
	altM     = tea.KeyPressMsg{Code: 'm', Mod: tea.ModAlt}
	ctrlAt   = tea.KeyPressMsg{Code: '@', Mod: tea.ModCtrl}
	ctrlSpce = tea.KeyPressMsg{Code: tea.KeySpace, Mod: tea.ModCtrl}
)

func lines(m Model) []string { return strings.Split(ansi.Strip(m.View()), "\n") }

func TestPaneGolden(t *testing.T) {
	res := demo(t)
	t.Run("layer 4", func(t *testing.T) {
		golden.RequireEqual(t, ansi.Strip(pane(t, res, 4, tree.CompareLayer, 80, 24).View()))
	})
	t.Run("aggregated at the top, unmodified hidden", func(t *testing.T) {
		m := pane(t, res, len(res.Layers)-1, tree.CompareAggregated, 80, 24)
		m = press(m, ctrlU)
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
	t.Run("filtered on config", func(t *testing.T) {
		m := pane(t, res, 6, tree.CompareLayer, 60, 12)
		m = press(m, ctrlF)
		m = press(m, text("config")...)
		m = press(m, enter)
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
}

func TestPaneSizeIsExact(t *testing.T) {
	res := demo(t)
	for _, size := range [][2]int{{80, 24}, {40, 10}, {120, 50}} {
		m := pane(t, res, 1, tree.CompareLayer, size[0], size[1])
		ls := lines(m)
		if len(ls) != size[1] {
			t.Errorf("%v: %d lines", size, len(ls))
		}
		for i, l := range ls {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Errorf("%v: line %d is %d wide: %q", size, i, w, l)
			}
		}
	}
}

func TestPaneKeys(t *testing.T) {
	res := demo(t)
	m := pane(t, res, 2, tree.CompareLayer, 80, 30)
	// ctrl+u hides unmodified paths: only the removed apt lists and their parents remain.
	m = press(m, ctrlU)
	for _, l := range lines(m)[2:] {
		if strings.Contains(l, "etc") || strings.Contains(l, "usr") {
			t.Fatalf("ctrl+u left an unmodified path: %q", l)
		}
	}
	if !strings.Contains(strings.Join(lines(m), "\n"), "deb.debian.org") {
		t.Fatal("ctrl+u hid the removed apt lists")
	}
	// ctrl+@ (ctrl+space in terminals that send it so) collapses all:
	// only top-level rows remain, and those with children are marked.
	m = press(m, ctrlU, ctrlAt)
	top := m.VM().Rows()
	for _, n := range top {
		if m.VM().Depth(n) != 0 {
			t.Errorf("collapse all left %s showing", res.Tree.Path(n))
		}
	}
	if !strings.Contains(strings.Join(lines(m), "\n"), "⊕ etc") {
		t.Error("collapsed /etc is not marked")
	}
	m = press(m, ctrlSpce)
	if got := m.VM().Rows(); len(got) <= len(top) {
		t.Errorf("expand all shows %d rows, collapsed showed %d", len(got), len(top))
	}
	// ctrl+b drops the attribute columns.
	m = press(m, ctrlB)
	if strings.Contains(lines(m)[1], "Permission") {
		t.Error("ctrl+b kept the attribute columns")
	}
	// alt+m works where ctrl+m is Enter.
	m = press(m, altM)
	if !m.VM().Hidden(tree.Modified) {
		t.Error("alt+m did not hide modified paths")
	}
	// ctrl+o sorts by size.
	m = press(m, ctrlO)
	if m.VM().Order() != BySize || !strings.Contains(m.Title(), "by size") {
		t.Error("ctrl+o did not sort by size")
	}
}

func TestFilterErrorKeepsLastGoodFilter(t *testing.T) {
	res := demo(t)
	m := pane(t, res, 0, tree.CompareLayer, 80, 20)
	m = press(m, ctrlF)
	m = press(m, text("passw")...)
	m = press(m, text("(")...)
	view := strings.Join(lines(m), "\n")
	if !strings.Contains(view, "missing closing )") {
		t.Errorf("the filter line does not show the pattern's error:\n%s", view)
	}
	if m.VM().Filter() != "passw" || !strings.Contains(view, "passwd") {
		t.Errorf("an invalid pattern replaced the filter %q", m.VM().Filter())
	}
	m = press(m, esc)
	if m.VM().Filter() != "" || m.Filtering() {
		t.Error("esc did not clear the filter")
	}
}

func TestEnterOpensFilesAndCtrlEExtracts(t *testing.T) {
	res := demo(t)
	m := pane(t, res, 4, tree.CompareLayer, 80, 30)
	n, _ := res.Tree.Lookup("/app/README.md")
	if !m.VM().Select(n) {
		t.Fatal("cannot select /app/README.md")
	}
	_, cmd := m.Update(enter)
	if cmd == nil {
		t.Fatal("enter on a file did nothing")
	}
	if msg, ok := cmd().(OpenFileMsg); !ok || msg.Path != "/app/README.md" || msg.Layer != 4 {
		t.Errorf("enter sent %#v", cmd())
	}
	_, cmd = m.Update(ctrlE)
	if msg, ok := cmd().(ExtractMsg); !ok || msg.Path != "/app/README.md" {
		t.Errorf("ctrl+e sent %#v", cmd())
	}
	// Enter on a directory collapses it instead.
	dir, _ := res.Tree.Lookup("/app")
	m.VM().Select(dir)
	m, cmd = m.Update(enter)
	if cmd != nil || !m.VM().Collapsed(dir) {
		t.Error("enter on a directory did not collapse it")
	}
	m = press(m, space)
	if m.VM().Collapsed(dir) {
		t.Error("space did not expand it again")
	}
}

func TestNoColorStillShowsChangesAndSelection(t *testing.T) {
	res := demo(t)
	theme, _ := common.LookupTheme("dark")
	m := New(common.NewStyles(theme, false))
	m.SetSize(80, 20)
	m.SetView(tree.NewView(res.Tree, res.Layers, 2, tree.CompareLayer))
	m.Focus()
	out := m.View()
	if !strings.Contains(out, "\x1b[7m") {
		t.Error("the selection is not in reverse video without colour")
	}
	if strings.Contains(out, "\x1b[38") {
		t.Error("colours were used without colour")
	}
	if !strings.Contains(ansi.Strip(out), "- ") {
		t.Error("removed paths carry no marker without colour")
	}
}
