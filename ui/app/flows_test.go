package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// replacedLayers is an image with other layers.
type replacedLayers struct {
	image.Image
	layers []image.Layer
}

func (r replacedLayers) Layers() ([]image.Layer, error) { return r.layers, nil }

// A layer whose bytes do not match its diffID stops the analysis: the
// error shows in full with what to do, the layers after it say they were
// not analyzed, and the image's figures say whose they are.
func TestALoadErrorIsShownInFull(t *testing.T) {
	img, err := source.Open(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	ls, _ := img.Layers()
	ls = slices.Clone(ls)
	rc, err := ls[2].Open()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := io.ReadAll(rc)
	rc.Close()
	ls[3].Open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(other)), nil }
	ls[3].Size = int64(len(other))
	for _, size := range sizes {
		m := load(t, newModel(t, replacedLayers{img, ls}, "demo", size[0], size[1]))
		s := strings.Join(screen(m), "\n")
		for _, want := range []string{"Analysis stopped", "error: layer 3: content diffID", "not match diffID", "--ignore-errors", "stopped at layer 3 of 9"} {
			if !strings.Contains(s, want) {
				t.Errorf("at %v the screen lacks %q:\n%s", size, want, s)
			}
		}
		m = run(t, m, panetest.Key(keys.Layers.Bottom))
		if got := selected(m, paneLayers); !strings.HasPrefix(got, "8        –  RUN sed") {
			t.Errorf("at %v the last layer's row is %q", size, got)
		}
		tree := strings.Join(rows(m, paneFiles), " ")
		if !strings.Contains(tree, "Layer 8 was not analyzed: the analysis stopped at layer 3") {
			t.Errorf("at %v the tree of layer 8 says:\n%s", size, tree)
		}
		if size[1] >= 50 {
			has(t, m, "stopped after 3 of 9 layers", "3    error  RUN groupadd", "4        –  COPY", "not analyzed: the analysis stopped at layer 3")
		}
		// The layers before it are browsable.
		m = run(t, m, panetest.Key(keys.Layers.Top), panetest.Key(keys.Layers.Down))
		has(t, m, "[5] Layer 1 contents")
		hasNot(t, m, "Layer 1 was not analyzed")
	}
}

// The help lists every key once, ctrl+c too; q there quits, as the help
// bar says, and esc or ? close it.
func TestHelp(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	m = run(t, m, panetest.Key(keys.Global.Help))
	page := strings.Join(screen(m)[1:len(screen(m))-1], "\n")
	for _, want := range []string{"All keys", "q/ctrl+c", "ctrl+z", "ctrl+f, /", "1-5", "shift+tab", "ctrl+l", "ctrl+space/ctrl+@/*", "n  ", "N  ", "y  "} {
		if !strings.Contains(page, want) {
			t.Errorf("the help lacks %q:\n%s", want, page)
		}
	}
	if n := strings.Count(page, " quit"); n != 1 {
		t.Errorf("quit is in the help %d times", n)
	}
	if bar := screen(m)[49]; !strings.Contains(bar, "?/esc close") || !strings.Contains(bar, "q/ctrl+c quit") {
		t.Errorf("the help bar in the help is %q", bar)
	}
	closed := run(t, m, panetest.Press("esc"))
	hasNot(t, closed, "All keys")
	_, cmd := m.Update(panetest.Key(keys.Global.Quit))
	if cmd == nil {
		t.Fatal("q in the help did nothing")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q in the help did not quit")
	}
}

// The help bar shows the keys of what has the focus now: a pane's, the
// filter line's while it is typed, the viewer's while it is open.
func TestHelpBarFollowsTheFocus(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	bar := func() string { return screen(m)[49] }
	if !strings.Contains(bar(), "ctrl+l layer changes") || !strings.Contains(bar(), "? keys") {
		t.Errorf("in the layers: %q", bar())
	}
	m = run(t, m, panetest.Key(keys.Layers.Bottom), panetest.Key(keys.Global.Filter))
	if b := bar(); !strings.HasPrefix(b, "enter keep filter • esc clear filter • tab layers ↔ files") || !strings.Contains(b, "ctrl+c quit") ||
		strings.Contains(b, "q/ctrl+c") || strings.Contains(b, "fold") {
		t.Errorf("typing a filter: %q", b)
	}
	m = run(t, m, press("README", panetest.Key(keys.Input.Apply))...)
	if b := bar(); !strings.Contains(b, "space fold dir") {
		t.Errorf("in the tree: %q", b)
	}
	m = run(t, m, panetest.Key(keys.Files.Down), panetest.Key(keys.Files.Down), panetest.Key(keys.Files.Open))
	if b := bar(); !strings.Contains(b, "esc/q close") || !strings.Contains(b, "ctrl+c quit") || strings.Contains(b, "q/ctrl+c") || strings.Contains(b, "tab") {
		t.Errorf("in the viewer: %q", b)
	}
}

// The viewer follows a link inside the image to the file it names, and
// says so; q closes the viewer, and then quits.
func TestViewerFollowsLinks(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	m = run(t, m, panetest.Key(keys.Global.Filter))
	m = run(t, m, press("^/bin/cat$", panetest.Key(keys.Input.Apply))...)
	m = run(t, m, panetest.Key(keys.Files.Down), panetest.Key(keys.Files.Open))
	has(t, m, "/bin/busybox · layer 0", "/bin/cat → /bin/busybox", "00000000  ")
	m = run(t, m, panetest.Key(keys.Viewer.Close))
	has(t, m, "cat → busybox")
	hasNot(t, m, "00000000  ")
	// A hard link.
	m = run(t, m, panetest.Key(keys.Files.ClearFilter), panetest.Key(keys.Global.Filter))
	m = run(t, m, press("[/]mv$", panetest.Key(keys.Input.Apply))...)
	m = run(t, m, panetest.Key(keys.Files.Down), panetest.Key(keys.Files.Open))
	has(t, m, "/bin/mv → /bin/busybox")
	_, cmd := run(t, m, panetest.Key(keys.Viewer.Close)).Update(panetest.Key(keys.Global.Quit))
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q in the tree did not quit")
	}
}

// y copies what is selected: the path in the tree, the digest in the
// layers, the command in the history.
func TestCopy(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	for _, tc := range []struct {
		keys []tea.Msg
		want string
	}{
		{nil, "sha256:520e4eee4574c0f56d6a3b559ae0ebee464ccba8ce51a03e08d37f0d3b5fba4d"},
		{[]tea.Msg{panetest.Key(keys.Global.Pane5), panetest.Key(keys.Files.Down)}, "/bin/busybox"},
		{[]tea.Msg{panetest.Key(keys.Global.Pane2)}, "/bin/sh -c #(nop) ADD file:520e4eee4574c0f56d6a3b559ae0ebee464ccba8ce51a03e08d37f0d3b5fba4d in / "},
	} {
		m = run(t, m, tc.keys...)
		next, cmd := m.Update(panetest.Key(keys.Global.Copy))
		m = next.(Model)
		if cmd == nil {
			t.Fatalf("y copied nothing")
		}
		if got, want := cmd(), tea.SetClipboard(tc.want)(); got != want {
			t.Errorf("y copied %v, want %q", got, tc.want)
		}
		if bar := screen(m)[49]; !strings.Contains(bar, "copied the ") {
			t.Errorf("the help bar does not say what was copied: %q", bar)
		}
	}
}

func TestOpenFileFromALowerLayer(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	m = run(t, m, panetest.Key(keys.Layers.Bottom), panetest.Key(keys.Global.Filter))
	m = run(t, m, press("README", panetest.Key(keys.Input.Apply))...)
	m = run(t, m, panetest.Key(keys.Files.Down), panetest.Key(keys.Files.Open))
	has(t, m, "/app/README.md · layer 4", "# demo-server")
	// Search the text: n and N move between the matches.
	m = run(t, m, panetest.Key(keys.Viewer.Search))
	m = run(t, m, press("demo", panetest.Key(keys.Input.Apply))...)
	has(t, m, "Search: demo")
}

func TestResizeReflows(t *testing.T) {
	m := load(t, open(t, demo, 80, 24))
	for _, size := range [][2]int{{80, 24}, {200, 60}, {100, 30}, {60, 17}, {59, 20}} {
		next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = next.(Model)
		panetest.RequireSize(t, m.Render(), size[0], size[1])
	}
}

func TestMouseSelectsLayerAndPane(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	// The summary line, the border and the header come first: row 4 of the
	// screen is layer 1.
	m = run(t, m, tea.MouseClickMsg{X: 5, Y: 4, Button: tea.MouseLeft})
	if m.layersPane.Selected() != 1 || m.selected != 1 {
		t.Errorf("click selected layer %d", m.layersPane.Selected())
	}
	r := m.rects()[paneFiles]
	m = run(t, m, tea.MouseClickMsg{X: r.X + 10, Y: r.Y + 4, Button: tea.MouseLeft})
	if m.panes.Focus != paneFiles {
		t.Error("a click in the file tree did not focus it")
	}
}

func TestHideUnmodifiedAndCollapseAll(t *testing.T) {
	m := load(t, open(t, diveImage(t), 200, 50))
	m = run(t, m, panetest.Key(keys.Layers.Down), panetest.Key(keys.Layers.Down), panetest.Key(keys.Layers.Down), panetest.Key(keys.Layers.Down))
	m = run(t, m, panetest.Key(keys.Global.SwitchPane), panetest.Key(keys.Files.ToggleUnmodified))
	if got := names(m); strings.Join(got, " ") != "root example somefile1.txt" {
		t.Errorf("ctrl+u at layer 4 shows %v", got)
	}
	m = run(t, m, panetest.Key(keys.Files.ToggleUnmodified), panetest.Press("ctrl+@"))
	for _, r := range rows(m, paneFiles) {
		if strings.Contains(r, "│   ") || strings.Contains(r, "    ├") || strings.Contains(r, "    └") {
			t.Errorf("collapse all left a nested row: %q", r)
		}
	}
}

func TestCompareModeAndLayerDetails(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	m = run(t, m, panetest.Key(keys.Layers.Down), panetest.Key(keys.Layers.Down))
	has(t, m, "Layer 2 contents", "Layer        2")
	m = run(t, m, panetest.Key(keys.Layers.CompareAggregated))
	has(t, m, "Aggregated contents, layers 1–2", "compare: aggregated")
	m = run(t, m, panetest.Key(keys.Layers.CompareLayer))
	has(t, m, "compare: layer")
}

func TestLeftAndRightMoveBetweenColumns(t *testing.T) {
	m := load(t, open(t, demo, 200, 50))
	m = run(t, m, panetest.Key(keys.Layers.ToFiles))
	if m.panes.Focus != paneFiles {
		t.Fatalf("l in the layers pane focused pane %d, want the file tree", m.panes.Focus)
	}
	m = run(t, m, panetest.Key(keys.Files.Down), panetest.Key(keys.Files.Collapse)) // /bin/busybox: h goes to /bin
	if m.panes.Focus != paneFiles {
		t.Fatal("h on a nested row left the file tree")
	}
	m = run(t, m, panetest.Key(keys.Files.Collapse), panetest.Key(keys.Files.Collapse)) // fold /bin, then leave
	if m.panes.Focus != paneLayers {
		t.Errorf("h at the left edge of the tree focused pane %d, want the layers", m.panes.Focus)
	}
}

func TestPanicsBecomeOneLineErrors(t *testing.T) {
	msg := common.Guard(func() tea.Msg { panic("boom") })()
	pm, ok := msg.(common.PanicMsg)
	if !ok || pm.Err.Error() != "internal error: boom" {
		t.Fatalf("a panicking command gave %#v", msg)
	}
	m := load(t, open(t, demo, 80, 24))
	next, cmd := m.Update(pm)
	if next.(Model).Err() == nil || cmd == nil {
		t.Fatal("a panic did not end the program with an error")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("a panic did not quit, so the terminal would not be restored")
	}
}

// A single path 400,000 directories deep: the first frame, every key and
// every frame after it walk one path at most, so the window stays usable
// and q quits at once.
func TestADeepPathStaysUsable(t *testing.T) {
	name := strings.Repeat("d/", 400_000) + "deepest-file"
	tar, err := imagetest.RawTar([]imagetest.RawEntry{{Name: "top-file", Body: "x"}, {Name: name, Body: "deep"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := load(t, newModel(t, imagetest.LayersImage{imagetest.BytesLayer(tar)}, "deep.tar", 80, 24))
	m = run(t, m, panetest.Key(keys.Global.SwitchPane), panetest.Key(keys.Files.Bottom))
	panetest.RequireSize(t, m.Render(), 80, 24)
	if got := selected(m, paneFiles); !strings.HasSuffix(got, "top-file") {
		t.Errorf("the last row is %q", got)
	}
	m = run(t, m, panetest.Key(keys.Files.Up))
	if got := selected(m, paneFiles); !strings.Contains(got, "…") || !strings.HasSuffix(got, "deepest-file") {
		t.Errorf("the deepest file's row is %q", got)
	}
	m = run(t, m, panetest.Key(keys.Files.PageUp), panetest.Key(keys.Files.Collapse), panetest.Key(keys.Files.Top))
	m = run(t, m, panetest.Key(keys.Global.Filter))
	m = run(t, m, press("deepest", panetest.Key(keys.Input.Apply))...)
	m = run(t, m, panetest.Key(keys.Files.Bottom))
	panetest.RequireSize(t, m.Render(), 80, 24)
	_, cmd := m.Update(panetest.Key(keys.Global.Quit))
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q did not quit")
	}
}

// stalled is a layer blob that never sends a byte until it is closed.
type stalled struct{ closed chan struct{} }

func (s stalled) Read([]byte) (int, error) {
	<-s.closed
	return 0, io.ErrClosedPipe
}

func (s stalled) Close() error {
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	return nil
}

// --timeout bounds the analysis in the terminal UI too: a layer that
// stalls ends it with the timeout's message, and what was read stays
// browsable.
func TestTimeoutStopsTheAnalysis(t *testing.T) {
	img, err := source.Open(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	ls, _ := img.Layers()
	ls = slices.Clone(ls)
	ls[2].Open = func() (io.ReadCloser, error) { return stalled{make(chan struct{})}, nil }
	m, err := New(context.Background(), Options{Reference: "demo", Source: "docker-archive", Platform: "linux/amd64",
		Image: replacedLayers{img, ls}, Styles: panetest.Styles(t, common.Plain), Keys: DefaultKeys(),
		Timeout: 200 * time.Millisecond, TimeoutErr: errors.New("timed out after 200ms loading the image (raise --timeout)")})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	next, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	m = load(t, next.(Model))
	has(t, m, "timed out after 200ms loading the image (raise --timeout)")
	m = run(t, m, panetest.Key(keys.Layers.Down))
	has(t, m, "Layer 1 contents")
}
