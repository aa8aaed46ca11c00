package diffview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/difftest"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
	"github.com/strata-dev/strata/ui/keymap"
)

// open makes the root model for a pair, sized, without running anything.
func open(t *testing.T, pair string, st common.Styles) Model {
	t.Helper()
	p := difftest.Lookup(t, pair)
	m := New(context.Background(), Options{
		A:      Side{Reference: "base.tar", Source: "docker-archive", Platform: "linux/amd64"},
		B:      Side{Reference: pair + ".tar", Source: "docker-archive", Platform: "linux/amd64"},
		ImageA: difftest.Image(t, p.A), ImageB: difftest.Image(t, p.B),
		Styles: st, Keys: keymap.Default(), Hidden: tree.ChangeSet(0).With(tree.Unmodified, true),
	})
	t.Cleanup(m.Close)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	return next.(Model)
}

func run(t *testing.T, m Model, msgs ...tea.Msg) Model {
	t.Helper()
	return panetest.Run(t, m, msgs...)
}

// load opens a pair and lets both analyses and the comparison finish.
func load(t *testing.T, pair string) Model {
	t.Helper()
	m := open(t, pair, panetest.NoColor(t))
	m = run(t, m, tea.BatchMsg{m.Init()})
	if m.Diff() == nil {
		t.Fatalf("no diff after loading:\n%s", strings.Join(screen(m), "\n"))
	}
	return m
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

// keys turns key names into key presses; a single character is typed.
func keys(names ...string) []tea.Msg {
	var out []tea.Msg
	for _, n := range names {
		switch n {
		case "tab":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyTab})
		case "enter":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyEnter})
		case "esc":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyEscape})
		case "down":
			out = append(out, panetest.Down)
		case "up":
			out = append(out, panetest.Up)
		case "left":
			out = append(out, panetest.Left)
		case "right":
			out = append(out, panetest.Right)
		case "end":
			out = append(out, panetest.End)
		case "space":
			out = append(out, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		case "ctrl+u", "ctrl+a", "ctrl+r", "ctrl+o", "ctrl+b", "ctrl+f":
			out = append(out, tea.KeyPressMsg{Code: rune(n[5]), Mod: tea.ModCtrl})
		default:
			for _, r := range n {
				out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
	}
	return out
}

// The whole screen after loading the pair with every kind of change, at
// the default terminal's size and a large one.
func TestScreenGolden(t *testing.T) {
	m := load(t, "all")
	for _, size := range [][2]int{{80, 24}, {160, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			view := next.(Model).Render()
			panetest.RequireSize(t, view, size[0], size[1])
			panetest.RequireGolden(t, view)
		})
	}
}

func TestLoadingShowsProgress(t *testing.T) {
	m := open(t, "chmod", panetest.NoColor(t))
	has(t, m, "strata diff · base.tar → chmod.tar │ A 0/5 ", " B 0/6 ", "analyzing…",
		"waiting for both images to be analyzed…")
}

func TestTreeKeys(t *testing.T) {
	m := load(t, "all")
	// Unmodified paths are hidden: the tree holds what differs.
	has(t, m, "Differences, A → B · hiding unmodified", "config.txt  [content]", "run.sh  [mode -rw-r--r--")
	hasNot(t, m, "passwd")

	m = run(t, m, keys("ctrl+u")...) // show unmodified paths too
	has(t, m, "passwd")
	hasNot(t, m, "hiding unmodified")

	m = run(t, m, keys("ctrl+u", "ctrl+a")...) // hide the added ones
	has(t, m, "hiding unmodified, added")
	hasNot(t, m, "libtool.so.1")

	m = run(t, m, keys("ctrl+a", "/", "tool", "enter")...)
	has(t, m, "Filter: tool", "libtool.so.1")
	hasNot(t, m, "config.txt")

	m = run(t, m, keys("esc", "ctrl+o")...) // by size change: /usr first
	has(t, m, "by size change")
	s := strings.Join(screen(m), "\n")
	if strings.Index(s, "── usr") > strings.Index(s, "── app") {
		t.Errorf("sorted by size, usr does not come first:\n%s", s)
	}
	m = run(t, m, keys("ctrl+b")...)
	hasNot(t, m, "Permission")
}

func TestViewerShowsUnifiedDiff(t *testing.T) {
	m := load(t, "changed-file")
	// The cursor starts on /app; down to config.txt, then open it.
	m = run(t, m, keys("down", "enter")...)
	panetest.RequireGolden(t, m.viewer.View())
	has(t, m, "/app/config.txt · A → B", "@@ -1,5 +1,5 @@", "- version: 1", "+ version: 2", "  listen: :8080")
	m = run(t, m, keys("esc")...)
	has(t, m, "Differences, A → B")
}

func TestViewerAddedAndModeOnly(t *testing.T) {
	m := load(t, "all")
	m = run(t, m, keys("/", "README", "enter", "end", "enter")...)
	has(t, m, "/usr/lib/tool/share/README · A → B", "A  (not in A)", "added in B", "@@ -0,0 +1 @@", "+ tool: does things")
	m = run(t, m, keys("esc", "esc", "/", "run.sh", "enter", "end", "enter")...)
	has(t, m, "differs: mode -rw-r--r-- → -rwxr-xr-x", "  exec /app/server --config /app/config.txt")
	hasNot(t, m, "@@")
	m = run(t, m, keys("q")...)
	has(t, m, "Differences, A → B") // q closed the viewer, not the program
}

func TestViewerBinary(t *testing.T) {
	m := load(t, "added-package")
	m = run(t, m, keys("/", "libtool", "enter", "end", "enter")...)
	has(t, m, "binary file")
}

func TestPanesFocusAndHistory(t *testing.T) {
	m := load(t, "reordered-step")
	has(t, m, "Layers A | B · 5 shared, 0 new, 0 gone", "History A | B · diverges at row 4", "▶~   4   -  RUN echo welcome > /etc/motd",
		"Download  nothing, A has every layer of B", "no differences")
	m = run(t, m, keys("left")...) // from the tree's left edge to the layers
	if m.panes.Focus != paneLayers {
		t.Errorf("focus %d, want the layers", m.panes.Focus)
	}
	m = run(t, m, panetest.Key(m.keys.Layers.Bottom), panetest.Key(m.keys.Global.NextPane))
	if m.panes.Focus != paneHistory || m.layers.list.List.Cursor != 5 {
		t.Errorf("focus %d, layer cursor %d", m.panes.Focus, m.layers.list.List.Cursor)
	}
	m = run(t, m, panetest.Key(m.keys.Global.SwitchPane))
	if m.panes.Focus != paneFiles {
		t.Errorf("focus %d, want the tree", m.panes.Focus)
	}
	m = run(t, m, keys("?")...)
	has(t, m, "All keys · ? or esc to close", "Differences tree")
	m = run(t, m, keys("esc")...)
	hasNot(t, m, "All keys")
}

func TestIdenticalImages(t *testing.T) {
	m := load(t, "identical")
	has(t, m, "Layers A | B · 5 shared, 0 new, 0 gone", "History A | B · the same", "no differences")
}

func TestAnalysisErrorInStatusLine(t *testing.T) {
	p := difftest.Lookup(t, "chmod")
	m := New(context.Background(), Options{
		A: Side{Reference: "a"}, B: Side{Reference: "b"},
		ImageA: difftest.Image(t, p.A), ImageB: brokenImage{difftest.Image(t, p.B)},
		Styles: panetest.NoColor(t), Keys: keymap.Default(),
	})
	t.Cleanup(m.Close)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m = run(t, next.(Model), tea.BatchMsg{next.(Model).Init()})
	has(t, m, "error: b: layer 0: opening layer", "the analysis stopped: b: layer 0: opening layer 0:", "the disk is on fire")
	m = run(t, m, keys("q")...)
	if m.Err() != nil {
		t.Errorf("Err = %v", m.Err())
	}
}

// brokenImage's layers cannot be opened.
type brokenImage struct{ image.Image }

var errBroken = errors.New("the disk is on fire")

func (b brokenImage) Layers() ([]image.Layer, error) {
	ls, err := b.Image.Layers()
	ls = slices.Clone(ls)
	for i := range ls {
		ls[i].Open = func() (io.ReadCloser, error) { return nil, errBroken }
	}
	return ls, err
}

// Each pane alone, at a size of its own, for the pair with every change.
func TestPanesGolden(t *testing.T) {
	m := load(t, "all")
	t.Run("layers", func(t *testing.T) {
		p := m.layers
		p.list.SetSize(70, 14, 0, p.rows())
		panetest.RequireGolden(t, p.view(1))
	})
	t.Run("history", func(t *testing.T) {
		p := m.history
		p.list.SetSize(70, 14, 0, p.rows())
		panetest.RequireGolden(t, p.view(2))
	})
	t.Run("summary", func(t *testing.T) {
		p := m.summary
		p.setSize(60, 16)
		panetest.RequireGolden(t, p.view(3, 60, 16))
	})
	t.Run("tree", func(t *testing.T) {
		p := m.tree
		p.SetSize(120, 20)
		panetest.RequireGolden(t, p.View())
	})
}

func TestMouse(t *testing.T) {
	m := load(t, "all")
	// A click on the layers pane focuses it and selects the row.
	m = run(t, m, tea.MouseClickMsg{X: 5, Y: 5, Button: tea.MouseLeft})
	if m.panes.Focus != paneLayers || m.layers.list.List.Cursor != 2 {
		t.Errorf("after a click: focus %d, cursor %d", m.panes.Focus, m.layers.list.List.Cursor)
	}
	// A click on the tree's third row selects /app/run.sh.
	m = run(t, m, tea.MouseClickMsg{X: 100, Y: 5, Button: tea.MouseLeft})
	if m.panes.Focus != paneFiles || m.d.Files.Path(nodeOf(m.tree.Cursor())) != "/app/run.sh" {
		t.Errorf("after a click on the tree: focus %d, cursor %s", m.panes.Focus, m.d.Files.Path(nodeOf(m.tree.Cursor())))
	}
	m = run(t, m, tea.MouseWheelMsg{X: 100, Y: 10, Button: tea.MouseWheelDown})
	if m.d.Files.Path(nodeOf(m.tree.Cursor())) == "/app/run.sh" {
		t.Error("the wheel did not move the tree")
	}
}

func TestColours(t *testing.T) {
	m := open(t, "chmod", common.DefaultStyles())
	m = run(t, m, tea.BatchMsg{m.Init()})
	if !strings.Contains(m.Render(), "\x1b[") {
		t.Error("no colour with the default styles")
	}
	mono := load(t, "chmod")
	panetest.RequireMonochromeSelection(t, mono.tree.View())
	mono = run(t, mono, keys("left", "left")...) // fold /app, then to the layers
	panetest.RequireMonochromeSelection(t, mono.layers.view(1))
}
