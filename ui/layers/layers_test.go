package layers

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// layerSet is an image's layers as the pane is given them: declared,
// the ones analyzed so far, and each one's history step.
type layerSet struct {
	declared []image.Layer
	stacked  []*tree.Layer
	commands []string
}

// demo is a small image as a user would see it: a base layer and a few
// build steps, the first analyzed of them analyzed.
func demo(analyzed int) layerSet {
	cmds := []string{
		"/bin/sh -c #(nop) ADD file:4a1c0bd5d1a9 in / ",
		"/bin/sh -c apt-get update && apt-get install -y curl ca-certificates",
		"COPY ./app /usr/local/bin/app # buildkit",
		"RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit",
	}
	sizes := []int64{7_340_032, 52_428_800, 12_582_912, 0}
	return set(cmds, sizes, analyzed)
}

func set(cmds []string, sizes []int64, analyzed int) layerSet {
	var s layerSet
	for i, c := range cmds {
		s.declared = append(s.declared, image.Layer{Size: sizes[i]})
		s.commands = append(s.commands, c)
		if i < analyzed {
			s.stacked = append(s.stacked, &tree.Layer{Index: i, Size: sizes[i], CreatedBy: c})
		}
	}
	return s
}

func many(n int) layerSet {
	var cmds []string
	var sizes []int64
	for i := range n {
		cmds = append(cmds, fmt.Sprintf("/bin/sh -c echo step %d", i))
		sizes = append(sizes, int64(i)*1000)
	}
	return set(cmds, sizes, n)
}

func newPane(s layerSet, w, h int) Model {
	m := New(common.DefaultStyles())
	m.SetLayers(s.declared, s.stacked, s.commands)
	m.SetSize(w, h)
	m.Focus()
	return m
}

// content is the screen without the border, right-trimmed.
func content(m Model) []string { return panetest.Inner(m.View()) }

func requireSize(t *testing.T, m Model) {
	t.Helper()
	w, h := m.list.Size()
	panetest.RequireSize(t, m.View(), w, h)
}

func TestMovingTheCursor(t *testing.T) {
	m := newPane(demo(4), 60, 8)
	if m.Selected() != 0 {
		t.Fatalf("starts on layer %d, want 0", m.Selected())
	}
	for _, step := range []struct {
		key  tea.KeyPressMsg
		want int
	}{
		{panetest.Down, 1}, {panetest.J, 2}, {panetest.J, 3}, {panetest.Down, 3}, {panetest.Up, 2}, {panetest.K, 1},
		{panetest.Home, 0}, {panetest.End, 3}, {panetest.G, 0}, {panetest.ShiftG, 3}, {panetest.PgUp, 0}, {panetest.PgDown, 3},
	} {
		m = panetest.Send(m, step.key)
		if m.Selected() != step.want {
			t.Fatalf("after %s on layer %d, want %d", step.key, m.Selected(), step.want)
		}
	}
}

func TestRowsShowSizeAndShortCommand(t *testing.T) {
	m := newPane(demo(4), 60, 8)
	want := []string{
		"#     Size  Command",
		"0   7.3 MB  ADD file:4a1c0bd5d1a9 in /",
		"1    52 MB  RUN apt-get update && apt-get install -y curl…",
		"2    13 MB  COPY ./app /usr/local/bin/app",
		"3      0 B  RUN rm -rf /var/lib/apt/lists/*",
		"",
	}
	if got := content(m); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(panetest.Screen(m.View())[0], " Layers · compare: layer ") {
		t.Errorf("title: %q", panetest.Screen(m.View())[0])
	}
	m.SetCompareMode(tree.CompareAggregated)
	if !strings.Contains(panetest.Screen(m.View())[0], " Layers · compare: aggregated ") {
		t.Errorf("title after switching mode: %q", panetest.Screen(m.View())[0])
	}
}

func TestLoadingKeepsTheCursor(t *testing.T) {
	m := newPane(demo(2), 60, 8)
	m = panetest.Send(m, panetest.J, panetest.J, panetest.J)
	if got := content(m)[4]; !strings.HasPrefix(got, "3        …  RUN rm") {
		t.Errorf("a layer not analyzed yet: %q", got)
	}
	s := demo(4)
	m.SetLayers(s.declared, s.stacked, s.commands)
	if m.Selected() != 3 {
		t.Errorf("cursor moved to %d when the layers were analyzed, want 3", m.Selected())
	}
	if got := content(m)[4]; !strings.HasPrefix(got, "3      0 B") {
		t.Errorf("the analyzed layer: %q", got)
	}
	m.SetLayers(s.declared[:2], s.stacked[:2], s.commands[:2])
	if m.Selected() != 1 {
		t.Errorf("with fewer rows the cursor is on %d, want 1", m.Selected())
	}
}

func TestLayersTheAnalysisDidNotReach(t *testing.T) {
	m := newPane(demo(2), 60, 8)
	m.SetStopped(2)
	panetest.RequireLines(t, content(m)[3:5],
		"2    error  COPY ./app /usr/local/bin/app",
		"3        –  RUN rm -rf /var/lib/apt/lists/*")
}

func TestTheSelectedLayersCommandInFull(t *testing.T) {
	m := newPane(demo(4), 40, 13)
	m = panetest.Send(m, panetest.J)
	panetest.RequireLines(t, content(m)[8:],
		"──────────────────────────────────────",
		"apt-get update && apt-get install -y",
		"curl ca-certificates")
}

func TestScrollingShowsTheCursor(t *testing.T) {
	m := newPane(many(50), 40, 7) // 4 rows in view
	m = panetest.Send(m, panetest.PgDown)
	if m.Selected() != 4 {
		t.Fatalf("page down went to %d, want 4", m.Selected())
	}
	got := content(m)
	if len(got) != 5 || !strings.HasPrefix(got[1], " 1 ") || !strings.HasPrefix(got[4], " 4 ") {
		t.Errorf("rows in view after page down:\n%s", strings.Join(got, "\n"))
	}
	m = panetest.Send(m, panetest.End)
	got = content(m)
	if m.Selected() != 49 || !strings.HasPrefix(got[4], "49 ") {
		t.Errorf("end: selected %d, rows:\n%s", m.Selected(), strings.Join(got, "\n"))
	}
	if !strings.Contains(m.View(), "┃") {
		t.Error("no scroll bar thumb")
	}
	requireSize(t, m)
}

func TestMouse(t *testing.T) {
	m := newPane(many(50), 40, 7)
	m = panetest.Send(m, panetest.J, panetest.J, panetest.J, panetest.J, panetest.J) // rows 2..5 in view
	m = panetest.Send(m, tea.MouseClickMsg{X: 5, Y: 2, Button: tea.MouseLeft})
	if m.Selected() != 2 {
		t.Errorf("clicking the first row in view selected %d, want 2", m.Selected())
	}
	m = panetest.Send(m, tea.MouseClickMsg{X: 5, Y: 1, Button: tea.MouseLeft}) // the column header
	if m.Selected() != 2 {
		t.Errorf("clicking the header selected %d", m.Selected())
	}
	m = panetest.Send(m, tea.MouseWheelMsg{Button: tea.MouseWheelDown}, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.Selected() != 4 {
		t.Errorf("two wheel notches down selected %d, want 4", m.Selected())
	}
	m = panetest.Send(m, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if m.Selected() != 3 {
		t.Errorf("wheel up selected %d, want 3", m.Selected())
	}
}

func TestKeysOnlyWhenFocused(t *testing.T) {
	m := newPane(demo(4), 60, 8)
	m.Blur()
	m = panetest.Send(m, panetest.J, panetest.Down)
	if m.Selected() != 0 {
		t.Errorf("a blurred pane moved to %d", m.Selected())
	}
	m.Focus()
	m = panetest.Send(m, panetest.CtrlA) // the parent's key
	if m.Selected() != 0 {
		t.Errorf("ctrl+a moved the cursor to %d", m.Selected())
	}
}

func TestSizes(t *testing.T) {
	for _, wh := range [][2]int{{60, 8}, {20, 3}, {12, 20}, {3, 3}, {1, 1}, {0, 0}} {
		m := newPane(many(30), wh[0], wh[1])
		m = panetest.Send(m, panetest.End)
		if wh[0] == 0 {
			if m.View() != "" {
				t.Errorf("a 0×0 pane drew %q", m.View())
			}
			continue
		}
		requireSize(t, m)
	}
}

func TestNoColorKeepsTheSelection(t *testing.T) {
	m := New(panetest.NoColor(t))
	s := demo(4)
	m.SetLayers(s.declared, s.stacked, s.commands)
	m.SetSize(60, 8)
	m.Focus()
	m = panetest.Send(m, panetest.J)
	panetest.RequireMonochromeSelection(t, m.View())
}

func TestGolden(t *testing.T) {
	m := newPane(demo(3), 50, 8)
	m = panetest.Send(m, panetest.J)
	t.Run("focused", func(t *testing.T) {
		panetest.RequireGolden(t, m.View())
	})
	t.Run("blurred-aggregated", func(t *testing.T) {
		m := m
		m.Blur()
		m.SetCompareMode(tree.CompareAggregated)
		panetest.RequireGolden(t, m.View())
	})
	t.Run("scrolled", func(t *testing.T) {
		m := newPane(many(20), 40, 8)
		m = panetest.Send(m, panetest.PgDown, panetest.PgDown)
		panetest.RequireGolden(t, m.View())
	})
}
