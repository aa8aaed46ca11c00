package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// The sizes every flow is tried at: the default terminal and a large one.
var sizes = [][2]int{{80, 24}, {200, 50}}

// open makes the root model for an image file at w×h, drawn as on a
// terminal with no styles at all (TERM=dumb) so that the screen says which
// row is selected ("> "), without running anything yet.
func open(t *testing.T, path string, w, h int) Model {
	t.Helper()
	img, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { img.Close() })
	return newModel(t, img, img.Reference, w, h)
}

func newModel(t *testing.T, img image.Image, ref string, w, h int) Model {
	t.Helper()
	m, err := New(context.Background(), Options{Reference: ref, Source: "docker-archive", Platform: "linux/amd64",
		Image: img, Analysis: []analyze.Option{analyze.WithParallelism(2)}, Styles: panetest.Styles(t, common.Plain), Keys: DefaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return next.(Model)
}

// load starts the model and lets every layer arrive.
func load(t *testing.T, m Model) Model {
	t.Helper()
	return panetest.Run(t, m, tea.BatchMsg{m.Init()})
}

// run delivers messages and what the commands they cause send back.
func run(t *testing.T, m Model, msgs ...tea.Msg) Model {
	t.Helper()
	return panetest.Run(t, m, msgs...)
}

func screen(m Model) []string { return strings.Split(ansi.Strip(m.Render()), "\n") }

func has(t *testing.T, m Model, want ...string) {
	t.Helper()
	s := strings.Join(screen(m), "\n")
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("the screen does not show %q:\n%s", w, s)
		}
	}
}

func hasNot(t *testing.T, m Model, unwanted string) {
	t.Helper()
	if s := strings.Join(screen(m), "\n"); strings.Contains(s, unwanted) {
		t.Errorf("the screen shows %q:\n%s", unwanted, s)
	}
}

// rows are a pane's lines inside its border, right-trimmed of spaces and
// its scroll bar.
func rows(m Model, p int) []string {
	r := m.rects()[p]
	var out []string
	for _, l := range screen(m)[r.Y+1 : r.Y+r.H-1] {
		out = append(out, strings.TrimRight(ansi.Cut(l, r.X+1, r.X+r.W-1), " │┃"))
	}
	return out
}

// selected is the row of a pane the cursor is on, without its marker; ""
// when none is.
func selected(m Model, p int) string {
	for _, r := range rows(m, p) {
		if s, ok := strings.CutPrefix(r, "> "); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// names are the file tree's rows as names, without attributes and tree
// lines.
func names(m Model) []string {
	var out []string
	for _, r := range rows(m, paneFiles)[1:] {
		if f := strings.Fields(r); len(f) > 0 && !strings.HasPrefix(r, "Filter:") {
			out = append(out, f[len(f)-1])
		}
	}
	return out
}

// diveImage is dive's test image; see livetest.DiveFixtures.
func diveImage(t *testing.T) string {
	t.Helper()
	return filepath.Join(livetest.DiveFixtures(t), "test-docker-image.tar")
}

const demo = "../../testdata/demo.tar"
