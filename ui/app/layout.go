package app

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/ui/common"
)

// The smallest screen the panes fit on.
const (
	minWidth  = 60
	minHeight = mainMin + 2
)

// errorLines is how many lines of a load error the error box shows at
// most.
const errorLines = 6

// mainMin is the fewest rows the panes fit in.
const mainMin = 15

// errorBox is the load error in full, wrapped, in a frame under the panes;
// nil when there is none, or no room for it beside the panes (the layer
// details and the tree of the layers not analyzed say it then).
func (m Model) errorBox() []string {
	if m.loadErr == nil || m.help.IsOpen() {
		return nil
	}
	room := min(errorLines, m.height-2-mainMin-2)
	if room < 2 {
		return nil
	}
	lines := common.WrapMessage(m.errorText(), max(1, m.width-2))
	if len(lines) > room {
		lines = lines[:room]
		lines[room-1] = ansi.Truncate(lines[room-1], m.width-3, "") + "…"
	}
	for i, l := range lines {
		lines[i] = m.st.Error.Render(l)
	}
	return lines
}

// rects computes where every pane goes: the summary line on top; the
// layers, history, layer details and image details down the left; the
// file tree on the right; then the error box, if any, and the help bar.
// The layers get the rows they need first, then the focused pane.
func (m Model) rects() [paneCount]common.Rect {
	var r [paneCount]common.Rect
	top := 1
	mainH := m.height - 2
	if box := m.errorBox(); box != nil {
		mainH -= len(box) + 2
	}
	mainH = max(mainH, mainMin)
	left := common.Clamp(m.width*2/5, 32, m.width-28)
	wants := []common.Want{
		{Min: 6, Max: m.layersPane.Height()},
		{Min: 3, Max: m.historyPane.Height()},
		{Min: 3, Max: m.layerDetails.Height()},
		{Min: 3, Max: m.imageDetails.Height()},
	}
	first := []int{paneLayers}
	if f := m.panes.Focus; f != paneLayers && f != paneFiles {
		first = []int{f, paneLayers}
	}
	y := top
	for i, h := range common.Split(mainH, wants, first...) {
		r[i] = common.Rect{X: 0, Y: y, W: left, H: h}
		y += h
	}
	r[paneFiles] = common.Rect{X: left, Y: top, W: m.width - left, H: mainH}
	return r
}

func (m *Model) layout() {
	r := m.rects()
	// Twice: the detail panes' wanted heights depend on their widths.
	for range 2 {
		m.layersPane.SetSize(r[paneLayers].W, r[paneLayers].H)
		m.historyPane.SetSize(r[paneHistory].W, r[paneHistory].H)
		m.layerDetails.SetSize(r[paneLayerDetails].W, r[paneLayerDetails].H)
		m.imageDetails.SetSize(r[paneImage].W, r[paneImage].H)
		r = m.rects()
	}
	m.files.SetSize(r[paneFiles].W, r[paneFiles].H)
	m.viewer.SetSize(r[paneFiles].W, r[paneFiles].H)
	m.setExtraSizes(r[paneFiles])
	m.help.SetSize(m.width, m.height-2, m.helpSections())
}

// mouse focuses the pane under the pointer and hands it the event with
// coordinates relative to the pane's top-left corner.
func (m Model) mouse(msg tea.MouseMsg) (Model, tea.Cmd) {
	if m.help.IsOpen() {
		return m, nil
	}
	if next, ok := m.extraMouse(msg); ok {
		return next, nil
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
			m.layersPane, cmd = m.layersPane.Update(local)
			if k := m.layersPane.Selected(); k != m.selected {
				m.selectLayer(k)
			}
		case paneHistory:
			m.historyPane, cmd = m.historyPane.Update(local)
			if k := m.historyPane.Layer(); k >= 0 && k != m.selected && m.panes.Focus == paneHistory {
				m.selectLayer(k)
			}
		case paneLayerDetails:
			m.layerDetails, cmd = m.layerDetails.Update(local)
		case paneImage:
			m.imageDetails, cmd = m.imageDetails.Update(local)
		case paneFiles:
			if m.viewerOpen {
				m.viewer, cmd = m.viewer.Update(local)
			} else {
				m.files, cmd = m.files.Update(local)
			}
		}
		return m, cmd
	}
	return m, nil
}

// View draws the screen on the alternate screen, with the mouse on.
func (m Model) View() tea.View {
	return common.ScreenView("strata "+common.Truncate(m.opts.Reference, 80), m.Render)
}

// Render draws the screen as a string.
func (m Model) Render() string {
	if m.width < minWidth || m.height < minHeight {
		return common.TooSmall(m.width, m.height, minWidth, minHeight)
	}
	if m.help.IsOpen() {
		return m.summaryLine() + "\n" + m.help.View(m.width, m.height-2) + "\n" + m.helpBar()
	}
	if mid, ok := m.extraView(); ok {
		return m.summaryLine() + "\n" + mid + "\n" + m.helpBar()
	}
	left := lipgloss.JoinVertical(lipgloss.Left,
		m.layersPane.View(), m.historyPane.View(), m.layerDetails.View(), m.imageDetails.View())
	right := m.files.View()
	if r, ok := m.extraRight(); ok {
		right = r
	}
	if m.viewerOpen {
		right = m.viewer.View()
	}
	out := []string{m.summaryLine(), lipgloss.JoinHorizontal(lipgloss.Top, left, right)}
	if box := m.errorBox(); box != nil {
		out = append(out, common.Frame(m.st, "Analysis stopped", false, m.width-2, len(box), box))
	}
	return strings.Join(append(out, m.helpBar()), "\n")
}

// summaryLine is the image and its headline figures, or the progress of
// the analysis, or where it stopped: always in view.
func (m Model) summaryLine() string {
	st := m.st
	stacked := len(m.analysis.Layers())
	var facts string
	switch {
	case m.loadErr != nil:
		facts = st.Error.Render(fmt.Sprintf("stopped at layer %d of %d", stacked, len(m.sources)))
	case !m.done:
		frac := m.progress()
		facts = fmt.Sprintf("analyzing %d/%d layers %s %3.0f%%", stacked, len(m.sources), common.ProgressBar(st, frac, 12), frac*100)
	default:
		mt := m.metrics
		fig := func(label, value string) string { return label + st.Label.Render(value) }
		facts = strings.Join([]string{
			fig("", humanize.Bytes(mt.SizeBytes)),
			fig("efficiency ", fmt.Sprintf("%.2f %%", mt.Efficiency*100)),
			fig("wasted ", humanize.Bytes(mt.WastedBytes)),
			fig("reclaimable ", humanize.Bytes(mt.ReclaimableBytes)),
		}, " · ")
	}
	return common.SummaryLine(st, m.width, "strata", m.opts.Platform, facts, m.opts.Reference)
}

// helpBar shows the keys of what has the focus now, and the global keys
// that work there.
func (m Model) helpBar() string {
	g := m.keys.Global
	pane, global, extra := m.extraBar()
	switch {
	case extra:
	case m.help.IsOpen():
		pane, global = m.help.Bar()
	case m.viewerOpen && m.viewer.Searching():
		pane, global = common.TypingBar(m.keys.Input, g, "search", "clear", false)
	case m.viewerOpen:
		pane, global = m.keys.Viewer.Bar(g)
	case m.typing():
		pane, global = common.TypingBar(m.keys.Input, g, "keep filter", "clear filter", true)
	default:
		pane = m.focusedHelp()
		global = append([]key.Binding{g.Help, g.SwitchPane, g.Filter, g.Copy}, append(m.extraOpenKeys(), g.Quit)...)
		global = append(global, m.backKeys()...)
	}
	return common.HelpBar(m.st, m.width, pane, global, m.status)
}

// focusedHelp is the short help of the focused pane.
func (m Model) focusedHelp() []key.Binding {
	switch m.panes.Focus {
	case paneLayers:
		return m.layersHelp()
	case paneHistory:
		return m.keys.History.ShortHelp()
	case paneLayerDetails, paneImage:
		return m.keys.Details.ShortHelp()
	}
	return m.keys.Files.ShortHelp()
}

// helpSections are every key, each once, by where it works.
func (m Model) helpSections() []common.HelpSection {
	k := m.keys
	g := k.Global
	return []common.HelpSection{
		{Title: "Everywhere", Bindings: append(m.panes.Help(g), append([]key.Binding{g.Filter, g.Copy, g.Help, g.Quit, g.Suspend}, m.backKeys()...)...)},
		{Title: "Layers", Bindings: slices.Concat(k.Layers.FullHelp()...)},
		{Title: "History", Bindings: slices.Concat(k.History.FullHelp()...)},
		{Title: "Layer and image details", Bindings: slices.Concat(k.Details.FullHelp()...)},
		{Title: "File tree", Bindings: slices.Concat(k.Files.FullHelp()...)},
		{Title: "Typing a filter or a search", Bindings: []key.Binding{k.Input.Apply, k.Input.Cancel}},
		{Title: "File viewer (its keys come first: q closes it)", Bindings: slices.Concat(k.Viewer.FullHelp()...)},
		{Title: "Findings (F; its keys come first: q closes it)", Bindings: slices.Concat(k.Findings.FullHelp()...)},
		{Title: "Packages (P, in the file tree's place)", Bindings: slices.Concat(k.Packages.FullHelp()...)},
	}
}
