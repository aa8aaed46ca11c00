package diffview

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/treeview"
)

// The smallest screen the panes fit on.
const (
	minWidth  = 60
	minHeight = 16
)

func nodeOf(n treeview.Node) diff.NodeID { return diff.NodeID(n) }

// rects places the panes: the summary line on top; layers, history and
// summary down the left; the tree (or the viewer) on the right; the help
// bar below. The focused pane of the left gets its rows first.
func (m Model) rects() [paneCount]common.Rect {
	var r [paneCount]common.Rect
	mainH := max(9, m.height-2)
	left := common.Clamp(m.width*2/5, 32, m.width-28)
	wants := []common.Want{
		{Min: 4, Max: m.layers.height()},
		{Min: 4, Max: m.history.height()}, // its header and a row
		{Min: 3, Max: m.summary.height()},
	}
	first := []int{paneLayers}
	if f := m.panes.Focus; f != paneFiles {
		first = []int{f, paneLayers}
	}
	y := 1
	for i, h := range common.Split(mainH, wants, first...) {
		r[i] = common.Rect{X: 0, Y: y, W: left, H: h}
		y += h
	}
	r[paneFiles] = common.Rect{X: left, Y: 1, W: m.width - left, H: mainH}
	return r
}

func (m *Model) layout() {
	r := m.rects()
	// Twice: the summary's wanted height depends on its width.
	for range 2 {
		m.layers.list.SetSize(r[paneLayers].W, r[paneLayers].H, 0, m.layers.rows())
		m.history.list.SetSize(r[paneHistory].W, r[paneHistory].H, 0, m.history.rows())
		m.summary.setSize(r[paneSummary].W, r[paneSummary].H)
		r = m.rects()
	}
	m.tree.SetSize(r[paneFiles].W, r[paneFiles].H)
	m.viewer.SetSize(r[paneFiles].W, r[paneFiles].H)
	m.pkgs.setSize(r[paneFiles].W, r[paneFiles].H)
	m.help.SetSize(m.width, m.height-2, m.helpSections())
}

// mouse focuses the pane under the pointer and hands it the event, with
// coordinates relative to the pane.
func (m Model) mouse(msg tea.MouseMsg) (Model, tea.Cmd) {
	if m.help.IsOpen() {
		return m, nil
	}
	ev := msg.Mouse()
	for p, r := range m.rects() {
		if !r.Contains(ev.X, ev.Y) {
			continue
		}
		local := r.Local(msg)
		if _, click := msg.(tea.MouseClickMsg); click && !m.viewerOpen {
			m.setFocus(p)
		}
		var cmd tea.Cmd
		switch p {
		case paneLayers:
			m.layers.list.Update(local, m.layers.rows())
		case paneHistory:
			m.history.list.Update(local, m.history.rows())
		case paneSummary:
			m.summary.update(local)
		case paneFiles:
			switch {
			case m.viewerOpen:
				m.viewer, cmd = m.viewer.Update(local)
			case m.packagesOpen:
				m.pkgs, cmd = m.pkgs.Update(local) // a click asks nothing
			default:
				m.tree, cmd = m.tree.Update(local)
			}
		}
		return m, cmd
	}
	return m, nil
}

// View draws the screen on the alternate screen, with the mouse on.
func (m Model) View() tea.View {
	return common.ScreenView("strata diff "+common.Truncate(m.opts.A.Reference, 60)+" "+common.Truncate(m.opts.B.Reference, 60), m.Render)
}

// Render draws the screen as a string.
func (m Model) Render() string {
	if m.width < minWidth || m.height < minHeight {
		return common.TooSmall(m.width, m.height, minWidth, minHeight)
	}
	if m.help.IsOpen() {
		return m.summaryLine() + "\n" + m.help.View(m.width, m.height-2) + "\n" + m.helpBar()
	}
	r := m.rects()
	left := lipgloss.JoinVertical(lipgloss.Left, m.layers.view(paneLayers+1), m.history.view(paneHistory+1),
		m.summary.view(paneSummary+1, r[paneSummary].W, r[paneSummary].H))
	right := m.tree.View()
	switch {
	case m.viewerOpen:
		right = m.viewer.View()
	case m.packagesOpen:
		right = m.pkgs.View()
	}
	return m.summaryLine() + "\n" + lipgloss.JoinHorizontal(lipgloss.Top, left, right) + "\n" + m.helpBar()
}

// summaryLine says what is compared and the headline of the comparison,
// or how far the analyses are, or what stopped them (cut here: the tree
// pane shows it in full).
func (m Model) summaryLine() string {
	st := m.st
	var facts string
	switch {
	case m.loadErr != nil:
		facts = st.Error.Render(common.TruncateMessage("error: "+m.loadErr.Error(), m.width/2))
	case m.d == nil:
		var b strings.Builder
		for i, name := range []string{"A", "B"} {
			stacked, layers, frac := m.progress(i)
			fmt.Fprintf(&b, "%s %d/%d %s %3.0f%%  ", name, stacked, layers, common.ProgressBar(st, frac, 6), frac*100)
		}
		facts = b.String() + "analyzing…"
	default:
		t := m.d.Files
		facts = fmt.Sprintf("+%d -%d ~%d · size %s · download %d layers",
			t.Counts[tree.Added], t.Counts[tree.Removed], t.Counts[tree.Modified],
			diff.FormatDelta(t.Node(diff.Root).Delta()), m.d.Download.Layers)
	}
	return common.SummaryLine(st, m.width, "strata diff", "", facts, m.opts.A.Reference, m.opts.B.Reference)
}

// helpBar shows the keys of what has the focus now, and the global keys
// that work there.
func (m Model) helpBar() string {
	g := m.keys.Global
	var pane, global []key.Binding
	switch {
	case m.help.IsOpen():
		pane, global = m.help.Bar()
	case m.viewerOpen && m.viewer.Searching():
		pane, global = common.TypingBar(m.keys.Input, g, "search", "clear", false)
	case m.viewerOpen:
		pane, global = m.keys.Viewer.Bar(g)
	case m.typing():
		pane, global = common.TypingBar(m.keys.Input, g, "keep filter", "clear filter", true)
	case m.packagesOpen && m.panes.Focus == paneFiles:
		pane = m.keys.Packages.ShortHelp()
		global = []key.Binding{g.Help, g.SwitchPane, g.Filter, g.Copy, g.Quit}
	case m.panes.Focus == paneFiles:
		pane = m.tree.KeyMap().ShortHelp()
		global = []key.Binding{g.Help, g.SwitchPane, g.Filter, g.Copy, m.keys.Packages.Open, g.Quit}
	default:
		pane = []key.Binding{common.UpDown(m.keys.Layers.Up, m.keys.Layers.Down, "move"), m.toFiles()}
		global = []key.Binding{g.Help, g.SwitchPane, g.Filter, g.Copy, m.keys.Packages.Open, g.Quit}
	}
	return common.HelpBar(m.st, m.width, pane, global, m.status)
}

// helpSections are every key, each once, by where it works.
func (m Model) helpSections() []common.HelpSection {
	k := m.keys
	g := k.Global
	return []common.HelpSection{
		{Title: "Everywhere", Bindings: append(m.panes.Help(g), g.Filter, g.Copy, k.Packages.Open, g.Help, g.Quit, g.Suspend)},
		{Title: "Differences tree", Bindings: slices.Concat(m.tree.KeyMap().FullHelp()...)},
		{Title: "Package changes", Bindings: slices.Concat(k.Packages.FullHelp()...)},
		{Title: "Layers", Bindings: slices.Concat(k.Layers.Nav().FullHelp()...)},
		{Title: "History", Bindings: slices.Concat(k.History.FullHelp()...)},
		{Title: "Summary", Bindings: slices.Concat(k.Details.FullHelp()...)},
		{Title: "Typing a filter or a search", Bindings: []key.Binding{k.Input.Apply, k.Input.Cancel}},
		{Title: "File diff (its keys come first: q closes it)", Bindings: slices.Concat(k.Viewer.FullHelp()...)},
	}
}
