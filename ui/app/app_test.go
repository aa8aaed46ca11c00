package app

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/common"
)

// open makes the root model for an image file, sized, without running
// anything yet.
func open(t *testing.T, path string) Model {
	t.Helper()
	img, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { img.Close() })
	return newModel(t, img, img.Reference)
}

func newModel(t *testing.T, img image.Image, ref string) Model {
	t.Helper()
	m, err := New(context.Background(), Options{Reference: ref, Source: "docker-archive", Platform: "linux/amd64",
		Image: img, Analysis: []analyze.Option{analyze.WithParallelism(2)}, Styles: common.DefaultStyles(), Keys: DefaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	m2, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	return m2.(Model)
}

// run delivers msg and everything the commands it causes send back,
// like the Bubble Tea runtime but synchronous. Progress ticks are dropped.
func run(t *testing.T, m Model, msgs ...tea.Msg) Model {
	t.Helper()
	queue := append([]tea.Msg(nil), msgs...)
	results := make(chan tea.Msg, 64)
	pending := 0
	start := func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		pending++
		go func() { results <- cmd() }()
	}
	deadline := time.After(20 * time.Second)
	for len(queue) > 0 || pending > 0 {
		var msg tea.Msg
		if len(queue) > 0 {
			msg, queue = queue[0], queue[1:]
		} else {
			select {
			case msg = <-results:
				pending--
			case <-deadline:
				t.Fatal("commands did not finish")
			}
		}
		switch msg := msg.(type) {
		case nil, tickMsg:
			continue
		case tea.BatchMsg:
			for _, c := range msg {
				start(c)
			}
			continue
		case tea.QuitMsg:
			return m
		}
		next, cmd := m.Update(msg)
		m = next.(Model)
		start(cmd)
	}
	return m
}

// load starts the model and lets every layer arrive.
func load(t *testing.T, m Model) Model {
	t.Helper()
	results := make(chan tea.Msg, 1)
	go func() { results <- m.Init()() }()
	return run(t, m, <-results)
}

func screen(m Model) []string { return strings.Split(ansi.Strip(m.Render()), "\n") }

func has(t *testing.T, m Model, want string) {
	t.Helper()
	if !strings.Contains(strings.Join(screen(m), "\n"), want) {
		t.Errorf("the screen does not show %q:\n%s", want, strings.Join(screen(m), "\n"))
	}
}

func hasNot(t *testing.T, m Model, unwanted string) {
	t.Helper()
	if strings.Contains(strings.Join(screen(m), "\n"), unwanted) {
		t.Errorf("the screen shows %q:\n%s", unwanted, strings.Join(screen(m), "\n"))
	}
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

func keys(ss ...string) []tea.Msg {
	var out []tea.Msg
	for _, s := range ss {
		out = append(out, press(s))
	}
	return out
}

func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

func diveImage(t *testing.T) string {
	t.Helper()
	return filepath.Join(livetest.DiveFixtures(t), "test-docker-image.tar")
}

// treeRows are the file tree's rows: its pane's lines, without borders
// and the column header.
func treeRows(m Model) []string {
	var out []string
	r := m.rects()[paneFiles]
	for _, l := range screen(m)[r.y+2 : r.y+r.h-1] {
		cells := []rune(l)
		if len(cells) < r.x+r.w {
			continue
		}
		row := strings.TrimRight(string(cells[r.x+1:r.x+r.w-1]), " ")
		if row != "" && !strings.HasPrefix(row, "Filter:") {
			out = append(out, row)
		}
	}
	return out
}

func TestFirstFrameBeforeAnyLayerIsRead(t *testing.T) {
	m := open(t, "../../testdata/demo.tar")
	has(t, m, "RUN apt-get update && apt-get install -y curl")
	has(t, m, "analyzing 0/9 layers")
	has(t, m, "ENV APP_HOME=/app")
	has(t, m, "waiting for the layer to be analyzed")
	m = load(t, m)
	hasNot(t, m, "analyzing")
	has(t, m, "Efficiency   81.16 %")
}

func TestFilterOnSavedShowsExactlyTheMatchingPaths(t *testing.T) {
	m := load(t, open(t, diveImage(t)))
	m = run(t, m, keys("end")...) // the last layer
	m = run(t, m, keys("tab", "tab", "tab", "tab")...)
	m = run(t, m, append(append(keys("ctrl+f"), typed("saved")...), press("enter"))...)
	var names []string
	for _, r := range treeRows(m) {
		f := strings.Fields(r)
		names = append(names, f[len(f)-1])
	}
	want := []string{"root", ".data", "saved.again2.txt", ".saved.txt", "saved.txt", "tmp", "saved.again1.txt"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("filtered tree shows %v, want %v\n%s", names, want, strings.Join(treeRows(m), "\n"))
	}
}

func TestHideUnmodifiedAndCollapseAll(t *testing.T) {
	m := load(t, open(t, diveImage(t)))
	m = run(t, m, keys("down", "down", "down", "down")...) // layer 4: chmod 444 somefile1
	m = run(t, m, keys("tab", "tab", "tab", "tab", "ctrl+u")...)
	rows := treeRows(m)
	if len(rows) != 3 || !strings.Contains(rows[2], "somefile1.txt") {
		t.Errorf("ctrl+u at layer 4 shows:\n%s\nwant root, example, somefile1.txt", strings.Join(rows, "\n"))
	}
	m = run(t, m, press("ctrl+u"), tea.KeyPressMsg{Code: '@', Mod: tea.ModCtrl})
	for _, r := range treeRows(m) {
		if strings.Contains(r, "│   ") || strings.Contains(r, "    ├") || strings.Contains(r, "    └") {
			t.Errorf("collapse all left a nested row: %q", r)
		}
	}
	if n := len(treeRows(m)); n < 5 {
		t.Errorf("collapse all shows %d top-level rows", n)
	}
}

func TestCompareModeAndLayerDetails(t *testing.T) {
	m := load(t, open(t, "../../testdata/demo.tar"))
	m = run(t, m, keys("down", "down")...)
	has(t, m, "Layer 2 contents")
	has(t, m, "Layer        2")
	m = run(t, m, press("ctrl+a"))
	has(t, m, "Aggregated contents, layers 1–2")
	has(t, m, "compare: aggregated")
	m = run(t, m, press("ctrl+l"))
	has(t, m, "compare: layer")
}

func TestOpenFileAndQuit(t *testing.T) {
	m := load(t, open(t, "../../testdata/demo.tar"))
	m = run(t, m, keys("down", "down", "down", "down", "tab", "tab", "tab", "tab")...)
	m = run(t, m, append(append(keys("ctrl+f"), typed("README")...), press("enter"), press("down"), press("down"), press("enter"))...)
	has(t, m, "/app/README.md · layer 4")
	has(t, m, "# demo-server")
	// q closes the viewer, not strata.
	m = run(t, m, press("q"))
	hasNot(t, m, "# demo-server")
	_, cmd := m.Update(press("q"))
	if cmd == nil {
		t.Fatal("q in the file tree did nothing")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q did not quit")
	}
}

func TestResizeReflows(t *testing.T) {
	m := load(t, open(t, "../../testdata/demo.tar"))
	for _, size := range [][2]int{{80, 24}, {200, 60}, {100, 30}} {
		next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = next.(Model)
		lines := screen(m)
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%v: line %d is %d wide", size, i, w)
			}
		}
	}
}

func TestMouseSelectsLayerAndPane(t *testing.T) {
	m := load(t, open(t, "../../testdata/demo.tar"))
	// Layer rows start below the border and the header: row 3 of the screen is layer 1.
	m = run(t, m, tea.MouseClickMsg{X: 5, Y: 3, Button: tea.MouseLeft})
	if m.layersPane.Selected() != 1 || m.selected != 1 {
		t.Errorf("click selected layer %d", m.layersPane.Selected())
	}
	r := m.rects()[paneFiles]
	m = run(t, m, tea.MouseClickMsg{X: r.x + 10, Y: r.y + 4, Button: tea.MouseLeft})
	if m.focus != paneFiles {
		t.Error("a click in the file tree did not focus it")
	}
}

// replacedLayers is an image with other layers.
type replacedLayers struct {
	image.Image
	layers []image.Layer
}

func (r replacedLayers) Layers() ([]image.Layer, error) { return r.layers, nil }

// badLayer fails while it is read.
type badLayer struct{}

func (badLayer) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }
func (badLayer) Close() error             { return nil }

func TestLoadErrorShowsInStatusLine(t *testing.T) {
	img, err := source.Open("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	ls, _ := img.Layers()
	ls = slices.Clone(ls)
	ls[3].Open = func() (io.ReadCloser, error) { return badLayer{}, nil }
	m := load(t, newModel(t, replacedLayers{img, ls}, "demo"))
	has(t, m, "error: opening layer 3")
	has(t, m, "disk on fire")
	// The layers before it are browsable.
	m = run(t, m, keys("down", "down")...)
	has(t, m, "Layer 2 contents")
}

func TestLeftAndRightMoveBetweenColumns(t *testing.T) {
	m := load(t, open(t, "../../testdata/demo.tar"))
	m = run(t, m, press("l"))
	if m.focus != paneFiles {
		t.Fatalf("l in the layers pane focused pane %d, want the file tree", m.focus)
	}
	m = run(t, m, press("down"), press("h")) // /bin/busybox: h goes to /bin
	if m.focus != paneFiles {
		t.Fatal("h on a nested row left the file tree")
	}
	m = run(t, m, press("h"), press("h")) // collapse /bin, then leave
	if m.focus != paneLayers {
		t.Errorf("h at the left edge of the tree focused pane %d, want the layers", m.focus)
	}
}

func TestPanicsBecomeOneLineErrors(t *testing.T) {
	msg := safe(func() tea.Msg { panic("boom") })()
	pm, ok := msg.(panicMsg)
	if !ok || pm.err.Error() != "internal error: boom" {
		t.Fatalf("a panicking command gave %#v", msg)
	}
	m := load(t, open(t, "../../testdata/demo.tar"))
	next, cmd := m.Update(pm)
	if next.(Model).Err() == nil || cmd == nil {
		t.Fatal("a panic did not end the program with an error")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("a panic did not quit, so the terminal would not be restored")
	}
}

// A file the selected layer did not write opens from the layer that did.
func TestOpenFileFromALowerLayer(t *testing.T) {
	m := load(t, open(t, "../../testdata/demo.tar"))
	m = run(t, m, keys("end", "tab", "tab", "tab", "tab")...) // the last layer
	m = run(t, m, append(append(keys("ctrl+f"), typed("README")...), press("enter"), press("down"), press("down"), press("enter"))...)
	has(t, m, "/app/README.md · layer 4")
	has(t, m, "# demo-server")
}
