package layers

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// demoRows is a small image as a user would see it: a base layer and a
// few build steps.
func demoRows() []Row {
	return []Row{
		{Index: 0, CreatedBy: "/bin/sh -c #(nop) ADD file:4a1c0bd5d1a9 in / ", Size: 7_340_032, Analyzed: true},
		{Index: 1, CreatedBy: "/bin/sh -c apt-get update && apt-get install -y curl ca-certificates", Size: 52_428_800, Analyzed: true},
		{Index: 2, CreatedBy: "COPY ./app /usr/local/bin/app # buildkit", Size: 12_582_912, Analyzed: true},
		{Index: 3, CreatedBy: "RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit", Size: 0, Analyzed: true},
	}
}

func manyRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{Index: i, CreatedBy: fmt.Sprintf("/bin/sh -c echo step %d", i), Size: int64(i) * 1000, Analyzed: true}
	}
	return rows
}

func newPane(rows []Row, w, h int) Model {
	m := New(common.DefaultStyles())
	m.SetSize(w, h)
	m.SetLayers(rows)
	m.Focus()
	return m
}

// content is the screen without the border, right-trimmed.
func content(m Model) []string {
	return panetest.Unframe(panetest.Screen(m.View())[1 : m.height-1])
}

func requireSize(t *testing.T, m Model) {
	t.Helper()
	panetest.RequireSize(t, m.View(), m.width, m.height)
}

func TestMovingTheCursor(t *testing.T) {
	m := newPane(demoRows(), 60, 8)
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
		m = panetest.Press(m, step.key)
		if m.Selected() != step.want {
			t.Fatalf("after %s on layer %d, want %d", step.key, m.Selected(), step.want)
		}
	}
}

func TestRowsShowSizeAndShortCommand(t *testing.T) {
	m := newPane(demoRows(), 60, 8)
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
	rows := demoRows()
	for i := range rows {
		rows[i].Analyzed = i < 2
	}
	m := newPane(rows, 60, 8)
	m = panetest.Press(m, panetest.J, panetest.J, panetest.J)
	if got := content(m)[4]; !strings.HasPrefix(got, "3        …  RUN rm") {
		t.Errorf("a layer not analyzed yet: %q", got)
	}
	m.SetLayers(demoRows())
	if m.Selected() != 3 {
		t.Errorf("cursor moved to %d when the layers were analyzed, want 3", m.Selected())
	}
	if got := content(m)[4]; !strings.HasPrefix(got, "3      0 B") {
		t.Errorf("the analyzed layer: %q", got)
	}
	m.SetLayers(demoRows()[:2])
	if m.Selected() != 1 {
		t.Errorf("with fewer rows the cursor is on %d, want 1", m.Selected())
	}
}

func TestScrollingShowsTheCursor(t *testing.T) {
	m := newPane(manyRows(50), 40, 7) // 4 rows in view
	m = panetest.Press(m, panetest.PgDown)
	if m.Selected() != 4 {
		t.Fatalf("page down went to %d, want 4", m.Selected())
	}
	got := content(m)
	if len(got) != 5 || !strings.HasPrefix(got[1], " 1 ") || !strings.HasPrefix(got[4], " 4 ") {
		t.Errorf("rows in view after page down:\n%s", strings.Join(got, "\n"))
	}
	m = panetest.Press(m, panetest.End)
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
	m := newPane(manyRows(50), 40, 7)
	m = panetest.Press(m, panetest.J, panetest.J, panetest.J, panetest.J, panetest.J) // rows 2..5 in view
	m = panetest.Press(m, tea.MouseClickMsg{X: 5, Y: 2, Button: tea.MouseLeft})
	if m.Selected() != 2 {
		t.Errorf("clicking the first row in view selected %d, want 2", m.Selected())
	}
	m = panetest.Press(m, tea.MouseClickMsg{X: 5, Y: 1, Button: tea.MouseLeft}) // the column header
	if m.Selected() != 2 {
		t.Errorf("clicking the header selected %d", m.Selected())
	}
	m = panetest.Press(m, tea.MouseWheelMsg{Button: tea.MouseWheelDown}, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.Selected() != 4 {
		t.Errorf("two wheel notches down selected %d, want 4", m.Selected())
	}
	m = panetest.Press(m, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if m.Selected() != 3 {
		t.Errorf("wheel up selected %d, want 3", m.Selected())
	}
}

func TestKeysOnlyWhenFocused(t *testing.T) {
	m := newPane(demoRows(), 60, 8)
	m.Blur()
	m = panetest.Press(m, panetest.J, panetest.Down)
	if m.Selected() != 0 {
		t.Errorf("a blurred pane moved to %d", m.Selected())
	}
	m.Focus()
	m = panetest.Press(m, panetest.CtrlA) // the parent's key
	if m.Selected() != 0 {
		t.Errorf("ctrl+a moved the cursor to %d", m.Selected())
	}
}

func TestSizes(t *testing.T) {
	for _, wh := range [][2]int{{60, 8}, {20, 3}, {12, 20}, {3, 3}, {1, 1}, {0, 0}} {
		m := newPane(manyRows(30), wh[0], wh[1])
		m = panetest.Press(m, panetest.End)
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
	m.SetSize(60, 8)
	m.SetLayers(demoRows())
	m.Focus()
	m = panetest.Press(m, panetest.J)
	panetest.RequireMonochromeSelection(t, m.View())
}

func TestGolden(t *testing.T) {
	rows := demoRows()
	rows[3].Analyzed = false
	m := newPane(rows, 50, 8)
	m = panetest.Press(m, panetest.J)
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
		m := newPane(manyRows(20), 40, 8)
		m = panetest.Press(m, panetest.PgDown, panetest.PgDown)
		panetest.RequireGolden(t, m.View())
	})
}
