package diffview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/app"
	"github.com/strata-dev/strata/ui/common"
)

// pane names a pane that can have the focus.
type pane int

const (
	paneLayers pane = iota
	paneHistory
	paneSummary
	paneFiles
	paneCount
)

// Options say what to compare and how to show it.
type Options struct {
	A, B           Side
	ImageA, ImageB image.Image
	Styles         common.Styles
	// Keys are inspect's keys: the tree takes the file tree's, the lists
	// the navigation keys of the layers, history and details panes.
	Keys app.Keys
	// Hidden are the change types the tree hides at start.
	Hidden         tree.ChangeSet
	HideAttributes bool
	IgnoreErrors   bool
	// NoVerify skips the sha256 checks of the layers' digests and diffIDs.
	NoVerify bool
	// Parallelism is how many layers of each image are read at once
	// (default: half of GOMAXPROCS, at least 1).
	Parallelism int
	// FileLimit caps how much of each version of a file the viewer reads
	// (default 1 MiB).
	FileLimit int64
}

// analyzedMsg is one image analyzed, or the error that stopped it.
type analyzedMsg struct {
	side int
	res  *analyze.Result
	err  error
}

// diffMsg is the comparison of both images.
type diffMsg struct{ d *diff.Diff }

type tickMsg struct{}

// panicMsg carries a panic out of a background command.
type panicMsg struct{ err error }

// Model is the root model of `strata diff`'s terminal UI.
type Model struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	keys   app.Keys
	st     common.Styles
	help   help.Model

	width, height int
	focus         pane
	showHelp      bool
	viewerOpen    bool
	openNode      diff.NodeID

	layers  layersPane
	history historyPane
	summary summaryPane
	tree    treePane
	viewer  viewerPane

	images   [2]image.Image
	layersOf [2][]image.Layer
	stacked  [2]*atomic.Int64
	res      [2]*analyze.Result
	d        *diff.Diff
	loadErr  error
	fatal    error
}

// New makes the root model; ctx bounds the background work.
func New(ctx context.Context, o Options) Model {
	if o.Parallelism <= 0 {
		o.Parallelism = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if o.FileLimit <= 0 {
		o.FileLimit = 1 << 20
	}
	ctx, cancel := context.WithCancel(ctx)
	st := o.Styles
	m := Model{
		opts: o, ctx: ctx, cancel: cancel, keys: o.Keys, st: st, help: help.New(),
		layers:   layersPane{listPane: listPane{styles: st, keys: layerNav(o.Keys)}},
		history:  historyPane{listPane: listPane{styles: st, keys: common.NavKeys(o.Keys.History)}},
		summary:  summaryPane{styles: st, keys: common.NavKeys(o.Keys.Details), a: o.A, b: o.B},
		tree:     newTreePane(st),
		viewer:   newViewerPane(st),
		images:   [2]image.Image{o.ImageA, o.ImageB},
		stacked:  [2]*atomic.Int64{new(atomic.Int64), new(atomic.Int64)},
		openNode: diff.NoNode,
	}
	m.tree.keys = o.Keys.Files
	m.tree.attrs = !o.HideAttributes
	m.tree.vm.hidden = o.Hidden
	m.viewer.keys = o.Keys.Viewer
	m.help.Styles.ShortKey, m.help.Styles.ShortDesc = st.Key, st.Desc
	m.help.Styles.FullKey, m.help.Styles.FullDesc = st.Key, st.Desc
	for i, img := range m.images {
		ls, err := img.Layers()
		if err != nil && m.loadErr == nil {
			m.loadErr = fmt.Errorf("%s: listing layers: %w", m.side(i).Reference, err)
		}
		m.layersOf[i] = ls
	}
	m.setFocus(paneFiles)
	return m
}

func layerNav(k app.Keys) common.NavKeys {
	l := k.Layers
	return common.NavKeys{Up: l.Up, Down: l.Down, PageUp: l.PageUp, PageDown: l.PageDown, Top: l.Top, Bottom: l.Bottom}
}

func (m Model) side(i int) Side {
	if i == 0 {
		return m.opts.A
	}
	return m.opts.B
}

// Init starts analyzing both images.
func (m Model) Init() tea.Cmd {
	if m.loadErr != nil {
		return nil
	}
	return tea.Batch(tick(), m.analyze(0), m.analyze(1))
}

// Err is what ended the program, if something did.
func (m Model) Err() error { return m.fatal }

// Diff is the comparison, once both images are analyzed.
func (m Model) Diff() *diff.Diff { return m.d }

func tick() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

// safe turns a panic in a command into a message, so that the terminal is
// restored and the user sees one line.
func safe(cmd func() tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{fmt.Errorf("internal error: %v", r)}
			}
		}()
		return cmd()
	}
}

func (m Model) analyze(i int) tea.Cmd {
	ctx, img, n, o, ref := m.ctx, m.images[i], m.stacked[i], m.opts, m.side(i).Reference
	return safe(func() tea.Msg {
		res, err := analyzeCounting(ctx, img, n, analyze.WithParallelism(o.Parallelism),
			analyze.WithIgnoreErrors(o.IgnoreErrors), analyze.WithVerify(!o.NoVerify))
		if err != nil {
			err = fmt.Errorf("%s: %w", ref, err)
		}
		return analyzedMsg{side: i, res: res, err: err}
	})
}

// analyzeCounting analyzes an image to the end, counting in stacked the
// layers stacked so far. Nothing reads the tree until it is done.
func analyzeCounting(ctx context.Context, img image.Image, stacked *atomic.Int64, opts ...analyze.Option) (*analyze.Result, error) {
	a, err := analyze.Start(ctx, img, opts...)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	for {
		if _, err := a.Step(); errors.Is(err, io.EOF) {
			return a.Result(), nil
		} else if err != nil {
			return nil, err
		}
		stacked.Store(int64(len(a.Layers())))
	}
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.fatal = fmt.Errorf("internal error: %v", r)
			m.cancel()
			model, cmd = m, tea.Quit
		}
	}()
	return m.update(msg)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case panicMsg:
		m.fatal = msg.err
		m.cancel()
		return m, tea.Quit
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
	case tickMsg:
		if m.d == nil && m.loadErr == nil {
			return m, tick()
		}
	case analyzedMsg:
		if msg.err != nil {
			if m.loadErr == nil && m.ctx.Err() == nil {
				m.loadErr = msg.err
			}
			return m, nil
		}
		m.res[msg.side] = msg.res
		if m.res[0] != nil && m.res[1] != nil {
			a, b := m.res[0], m.res[1]
			return m, safe(func() tea.Msg { return diffMsg{diff.Compare(a, b)} })
		}
	case diffMsg:
		m.setDiff(msg.d)
	case OpenFileMsg:
		if m.d == nil {
			return m, nil
		}
		m.viewerOpen, m.openNode = true, msg.Node
		m.viewer.setLoading(msg.Path)
		return m, safe(loadFileDiff(m.ctx, m.d.Files.Node(msg.Node), msg.Path, m.layersOf[0], m.layersOf[1], m.opts.FileLimit))
	case FileDiffMsg:
		if m.viewerOpen && m.openNode != diff.NoNode && msg.Path == m.d.Files.Path(m.openNode) {
			m.viewer.setContent(m.d.Files.Node(m.openNode), msg)
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.mouse(msg.(tea.MouseMsg)), nil
	}
	return m, nil
}

func (m *Model) setDiff(d *diff.Diff) {
	m.d = d
	m.layers.d = d
	m.layers.list.Move(0, len(d.Layers), m.layers.rowsHeight())
	m.history.setDiff(d)
	m.summary.d = d
	m.tree.setTree(d.Files)
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	m.layers.focused = p == paneLayers
	m.history.focused = p == paneHistory
	m.summary.focused = p == paneSummary
	if p == paneFiles {
		m.tree.focused = true
	} else {
		m.tree.blur()
	}
}

// key handles a key press: global keys first, then the focused pane's.
func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	g := m.keys.Global
	vk := m.keys.Viewer
	typing := m.focus == paneFiles && !m.viewerOpen && m.tree.filtering ||
		m.viewerOpen && key.Matches(msg, vk.Up, vk.Down, vk.PageUp, vk.PageDown, vk.Top, vk.Bottom, vk.Left, vk.Right, vk.Close)
	if m.showHelp {
		if key.Matches(msg, g.Help, g.Quit) || msg.String() == "esc" {
			m.showHelp = false
		}
		return m, nil
	}
	if !typing {
		switch {
		case key.Matches(msg, g.Quit):
			m.cancel()
			return m, tea.Quit
		case key.Matches(msg, g.Suspend):
			return m, tea.Suspend
		case key.Matches(msg, g.Help):
			m.showHelp = true
			return m, nil
		case key.Matches(msg, g.NextPane) && !m.viewerOpen:
			m.setFocus((m.focus + 1) % paneCount)
			return m, nil
		case key.Matches(msg, g.PrevPane) && !m.viewerOpen:
			m.setFocus((m.focus + paneCount - 1) % paneCount)
			return m, nil
		}
	} else if msg.String() == "ctrl+c" {
		m.cancel()
		return m, tea.Quit
	}
	var cmd tea.Cmd
	switch {
	case m.viewerOpen && key.Matches(msg, vk.Close):
		m.viewerOpen, m.openNode = false, diff.NoNode
		m.setFocus(paneFiles)
	case m.viewerOpen:
		m.viewer = m.viewer.update(msg)
	case m.focus != paneFiles && (msg.String() == "right" || msg.String() == "l"):
		m.setFocus(paneFiles)
	case m.focus == paneLayers:
		m.layers.update(msg, m.rows(paneLayers))
	case m.focus == paneHistory:
		m.history.update(msg, m.rows(paneHistory))
	case m.focus == paneSummary:
		m.summary = m.summary.update(msg)
	case key.Matches(msg, m.keys.Files.Collapse) && m.tree.vm.atLeftEdge() && !m.tree.filtering:
		m.setFocus(paneLayers)
	default:
		m.tree, cmd = m.tree.update(msg)
	}
	return m, cmd
}

func (m Model) rows(p pane) int {
	if m.d == nil {
		return 0
	}
	if p == paneLayers {
		return len(m.d.Layers)
	}
	return len(m.d.History)
}

// rect is a pane's place on the screen.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// rects places the panes: layers, history and summary down the left, the
// tree (or the viewer) on the right, the help bar and status line below.
func (m Model) rects() [paneCount]rect {
	var r [paneCount]rect
	mainH := max(6, m.height-2)
	left := min(max(36, m.width*2/5), max(36, m.width-30))
	if left >= m.width {
		left = m.width / 2
	}
	sum := min(16, max(mainH/3, mainH-20)) // the summary's 14 lines when there is room
	lay := (mainH - sum) * 55 / 100
	r[paneLayers] = rect{0, 0, left, lay}
	r[paneHistory] = rect{0, lay, left, mainH - sum - lay}
	r[paneSummary] = rect{0, mainH - sum, left, sum}
	r[paneFiles] = rect{left, 0, m.width - left, mainH}
	return r
}

func (m *Model) layout() {
	r := m.rects()
	m.layers.width, m.layers.height = r[paneLayers].w, r[paneLayers].h
	m.layers.list.Scroll(m.rows(paneLayers), m.layers.rowsHeight())
	m.history.width, m.history.height = r[paneHistory].w, r[paneHistory].h
	m.history.list.Scroll(m.rows(paneHistory), m.history.rowsHeight())
	m.summary.width, m.summary.height = r[paneSummary].w, r[paneSummary].h
	m.tree.setSize(r[paneFiles].w, r[paneFiles].h)
	m.viewer.setSize(r[paneFiles].w, r[paneFiles].h)
	m.help.SetWidth(m.width)
}

// mouse focuses the pane under the pointer and hands it the event, with
// coordinates relative to the pane.
func (m Model) mouse(msg tea.MouseMsg) Model {
	if m.showHelp {
		return m
	}
	ev := msg.Mouse()
	for p, r := range m.rects() {
		if !r.contains(ev.X, ev.Y) {
			continue
		}
		ev.X, ev.Y = ev.X-r.x, ev.Y-r.y
		var local tea.Msg = tea.MouseWheelMsg(ev)
		if _, ok := msg.(tea.MouseClickMsg); ok {
			local = tea.MouseClickMsg(ev)
			if !m.viewerOpen || pane(p) != paneFiles {
				m.setFocus(pane(p))
			}
		}
		switch pane(p) {
		case paneLayers:
			m.layers.update(local, m.rows(paneLayers))
		case paneHistory:
			m.history.update(local, m.rows(paneHistory))
		case paneSummary:
			m.summary = m.summary.update(local)
		case paneFiles:
			if m.viewerOpen {
				m.viewer = m.viewer.update(local)
			} else {
				m.tree, _ = m.tree.update(local)
			}
		}
		return m
	}
	return m
}

// View draws the screen on the alternate screen, with the mouse on.
func (m Model) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			v = tea.NewView(fmt.Sprintf("internal error while drawing: %v (press q to quit)", r))
		}
	}()
	v = tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "strata diff " + m.opts.A.Reference + " " + m.opts.B.Reference
	return v
}

// Render draws the screen as a string.
func (m Model) Render() string {
	if m.width < 20 || m.height < 8 {
		return "strata: the terminal is too small"
	}
	var main string
	if m.showHelp {
		main = m.fullHelp()
	} else {
		left := lipgloss.JoinVertical(lipgloss.Left, m.layers.view(), m.history.view(), m.summary.view())
		right := m.tree.view()
		if m.viewerOpen {
			right = m.viewer.view()
		}
		main = lipgloss.JoinHorizontal(lipgloss.Top, left, right)
	}
	return main + "\n" + common.Pad(m.helpBar(), m.width) + "\n" + common.Pad(m.statusLine(), m.width)
}

func (m Model) helpBar() string {
	var ks []key.Binding
	switch {
	case m.showHelp:
		ks = []key.Binding{m.keys.Global.Help, m.keys.Global.Quit}
	case m.viewerOpen:
		ks = m.keys.Viewer.ShortHelp()
	case m.focus == paneFiles:
		ks = treeShortHelp(m.keys.Files)
	default:
		ks = m.layers.keys.ShortHelp()
	}
	return m.help.ShortHelpView(append(ks, m.keys.Global.ShortHelp()...))
}

func (m Model) fullHelp() string {
	sections := []struct {
		title  string
		groups [][]key.Binding
	}{
		{"Everywhere", m.keys.Global.FullHelp()},
		{"Differences tree", treeFullHelp(m.keys.Files)},
		{"Layers, history, summary", m.layers.keys.FullHelp()},
		{"File diff", m.keys.Viewer.FullHelp()},
	}
	var lines []string
	for _, s := range sections {
		lines = append(lines, m.st.Label.Render(s.title))
		lines = append(lines, strings.Split(m.help.FullHelpView(s.groups), "\n")...)
		lines = append(lines, "")
	}
	return common.Frame(m.st, "Keys (? or esc to close)", true, m.width-2, max(1, m.height-4), lines)
}

// statusLine says what is compared, what is loading, what went wrong.
func (m Model) statusLine() string {
	var b strings.Builder
	b.WriteString("strata diff · " + common.Sanitize(m.opts.A.Reference) + " → " + common.Sanitize(m.opts.B.Reference))
	switch {
	case m.loadErr != nil:
		b.WriteString(" · " + m.st.Error.Render("error: "+common.Sanitize(m.loadErr.Error())))
	case m.d == nil:
		for i, name := range []string{"A", "B"} {
			fmt.Fprintf(&b, " · %s %d/%d layers", name, m.stacked[i].Load(), len(m.layersOf[i]))
		}
		b.WriteString(" · analyzing…")
	}
	return b.String()
}
