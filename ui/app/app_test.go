package app

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// keys are the default keys, which the tests press.
var keys = DefaultKeys()

func press(bs ...any) []tea.Msg {
	var out []tea.Msg
	for _, b := range bs {
		switch b := b.(type) {
		case string:
			out = append(out, panetest.Type(b)...)
		case tea.Msg:
			out = append(out, b)
		default:
			panic(fmt.Sprintf("press %T", b))
		}
	}
	return out
}

func TestFirstFrameBeforeAnyLayerIsRead(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			m := open(t, demo, size[0], size[1])
			if got := selected(m, paneLayers); !strings.HasPrefix(got, "0        …  ADD file:520") {
				t.Errorf("selected layer %q", got)
			}
			has(t, m, "analyzing 0/9 layers", "waiting for layer 0 to be analyzed…", "[1] Layers", "[5] Layer 0 contents")
			m = load(t, m)
			hasNot(t, m, "analyzing")
			if got := screen(m)[0]; !strings.Contains(got, "efficiency 81.16 %") || !strings.Contains(got, "wasted 311 kB") {
				t.Errorf("the summary line is %q", got)
			}
			if got := selected(m, paneLayers); !strings.HasPrefix(got, "0   624 kB  ADD file:520") {
				t.Errorf("selected layer %q", got)
			}
		})
	}
}

// The filter keys work from any pane: they move to the file tree and open
// its filter, and the letters typed go to the filter.
func TestFilterFromTheLayersPane(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			m := load(t, open(t, diveImage(t), size[0], size[1]))
			m = run(t, m, panetest.Key(keys.Layers.Bottom), panetest.Key(keys.Global.Filter))
			if m.panes.Focus != paneFiles || !m.files.Filtering() {
				t.Fatalf("ctrl+f in the layers: focus %d, filtering %v", m.panes.Focus, m.files.Filtering())
			}
			m = run(t, m, press("saved", panetest.Key(keys.Input.Apply))...)
			want := []string{"root", ".data", "saved.again2.txt", ".saved.txt", "saved.txt", "tmp", "saved.again1.txt"}
			got := names(m)
			for i := range got {
				if i < len(want) && strings.HasPrefix(want[i], strings.TrimSuffix(got[i], "…")) {
					got[i] = want[i] // cut to the width
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("filtered tree shows %v, want %v\n%s", got, want, strings.Join(screen(m), "\n"))
			}
			if got := selected(m, paneFiles); !strings.HasSuffix(got, "root") {
				t.Errorf("the selected row is %q", got)
			}
			// "/" works too, from the history; g typed is text, not a key.
			m = run(t, m, panetest.Key(keys.Global.Pane2), panetest.Press("/"))
			m = run(t, m, press("g")...)
			if m.files.Filter() != "savedg" {
				t.Errorf("typing g in the filter gave %q", m.files.Filter())
			}
		})
	}
}

// Tab moves between the layers and the files as dive's does, shift+tab
// through every pane, a number to its pane; each pane's title has its
// number.
func TestTheFocusKeys(t *testing.T) {
	m := load(t, open(t, demo, 80, 24))
	for _, step := range []struct {
		key  tea.Msg
		want int
	}{
		{panetest.Key(keys.Global.SwitchPane), paneFiles},
		{panetest.Key(keys.Global.SwitchPane), paneLayers},
		{panetest.Key(keys.Global.NextPane), paneHistory},
		{panetest.Key(keys.Global.NextPane), paneLayerDetails},
		{panetest.Key(keys.Global.SwitchPane), paneFiles},
		{panetest.Key(keys.Global.Pane4), paneImage},
		{panetest.Key(keys.Global.NextPane), paneFiles},
		{panetest.Key(keys.Global.NextPane), paneLayers},
		{panetest.Key(keys.Layers.ToFiles), paneFiles},
		{panetest.Key(keys.Global.Pane3), paneLayerDetails},
		{panetest.Key(keys.Details.ToFiles), paneFiles},
	} {
		m = run(t, m, step.key)
		if m.panes.Focus != step.want {
			t.Fatalf("after %v the focus is on pane %d, want %d", step.key, m.panes.Focus+1, step.want+1)
		}
	}
	for i, title := range []string{"[1] Layers", "[2] History", "[3] Layer details", "[4] Image details", "[5] Layer 0 contents"} {
		r := m.rects()[i]
		if !strings.Contains(screen(m)[r.Y], title) {
			t.Errorf("pane %d's title is %q", i+1, screen(m)[r.Y])
		}
	}
}

// At another layer the tree keeps the selected path and starts at the
// top: /app, new at the last layer of the demo, is the first row.
func TestAnotherLayerShowsNewPathsAtTheTop(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			m := load(t, open(t, demo, size[0], size[1]))
			f := keys.Files
			m = run(t, m, panetest.Key(keys.Global.SwitchPane), panetest.Key(f.Down)) // /bin/busybox
			m = run(t, m, panetest.Key(keys.Global.SwitchPane), panetest.Key(keys.Layers.Bottom))
			tree := rows(m, paneFiles)
			if !strings.HasSuffix(tree[1], "├── ~ app") {
				t.Errorf("the first row at the last layer is %q:\n%s", tree[1], strings.Join(tree, "\n"))
			}
			if got := selected(m, paneFiles); !strings.HasSuffix(got, "busybox") {
				t.Errorf("the selected path is %q, want busybox still", got)
			}
		})
	}
}

// History drives the layer: moving through the steps selects each step's
// layer, an empty step the layer below it.
func TestHistorySelectsTheLayer(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	m = run(t, m, panetest.Key(keys.Global.Pane2))
	for range 3 {
		m = run(t, m, panetest.Key(keys.History.Down))
	}
	step, _ := m.historyPane.Selected()
	if m.selected != max(0, step.Layer) {
		t.Errorf("the step of layer %d selected layer %d", step.Layer, m.selected)
	}
	if got := selected(m, paneLayers); !strings.HasPrefix(got, fmt.Sprintf("%d ", m.selected)) {
		t.Errorf("the layers pane's selected row is %q, want layer %d", got, m.selected)
	}
	m = run(t, m, panetest.Key(keys.History.Bottom))
	if m.selected != 8 {
		t.Errorf("the last step selected layer %d, want 8", m.selected)
	}
	has(t, m, "[5] Layer 8 contents")
}

func TestTerminalTooSmall(t *testing.T) {
	m := load(t, open(t, demo, 60, 15))
	lines := screen(m)
	if len(lines) != 15 || strings.TrimSpace(lines[7]) != "terminal too small: need 60×17, have 60×15" {
		t.Errorf("at 60×15:\n%s", strings.Join(lines, "\n"))
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: 60, Height: 17})
	if got := selected(next.(Model), paneLayers); !strings.HasPrefix(got, "0 ") {
		t.Errorf("at 60×17 the layers show %q", got)
	}
}

// The screen at the default terminal's size, as a golden file.
func TestScreenGolden(t *testing.T) {
	m := load(t, open(t, demo, 80, 24))
	m = run(t, m, panetest.Key(keys.Layers.Down), panetest.Key(keys.Layers.Down), panetest.Key(keys.Layers.Down))
	panetest.RequireSize(t, m.Render(), 80, 24)
	panetest.RequireGolden(t, m.Render())
}

// TERM=dumb draws no style at all: the selection is a ">" column, the
// changes +, ~ and -.
func TestDumbTerminalMarksTheSelection(t *testing.T) {
	m := load(t, open(t, demo, 80, 24))
	m = run(t, m, panetest.Key(keys.Layers.Down))
	if got := selected(m, paneLayers); !strings.HasPrefix(got, "1   896 kB  RUN apt-get") {
		t.Errorf("the selected layer is %q", got)
	}
	if got := selected(m, paneFiles); !strings.HasSuffix(got, "├──   bin") {
		t.Errorf("the selected path is %q", got)
	}
	if m.st.Color || !m.st.Markers {
		t.Error("the styles of TERM=dumb have colour or no markers")
	}
	nc := panetest.Styles(t, common.NoColour)
	if nc.Markers || nc.Color {
		t.Error("NO_COLOR marks rows with > or draws colour")
	}
}
