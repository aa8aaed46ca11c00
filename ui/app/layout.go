package app

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/ui/common"
)

// rect is a pane's place on the screen.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// rects computes where every pane goes: the left column holds layers,
// history, layer details and image details; the file tree takes the
// right; the help bar and the status line are the last two rows.
func (m Model) rects() [paneCount]rect {
	var r [paneCount]rect
	mainH := max(4, m.height-2)
	left := min(max(32, m.width*2/5), max(32, m.width-30))
	if left >= m.width {
		left = m.width / 2
	}
	right := m.width - left
	hs := []int{mainH * 30 / 100, mainH * 20 / 100, mainH * 22 / 100}
	hs = append(hs, mainH-hs[0]-hs[1]-hs[2])
	y := 0
	for i, h := range hs {
		r[i] = rect{0, y, left, h}
		y += h
	}
	r[paneFiles] = rect{left, 0, right, mainH}
	return r
}

func (m *Model) layout() {
	r := m.rects()
	m.layersPane.SetSize(r[paneLayers].w, r[paneLayers].h)
	m.historyPane.SetSize(r[paneHistory].w, r[paneHistory].h)
	m.layerDetails.SetSize(r[paneLayerDetails].w, r[paneLayerDetails].h)
	m.imageDetails.SetSize(r[paneImage].w, r[paneImage].h)
	m.files.SetSize(r[paneFiles].w, r[paneFiles].h)
	m.viewer.SetSize(r[paneFiles].w, r[paneFiles].h)
	m.help.SetWidth(m.width)
}

// mouse focuses the pane under the pointer and hands it the event with
// coordinates relative to the pane's top-left corner.
func (m Model) mouse(msg tea.MouseMsg) (Model, tea.Cmd) {
	if m.showHelp {
		return m, nil
	}
	ev := msg.Mouse()
	for p, r := range m.rects() {
		if !r.contains(ev.X, ev.Y) {
			continue
		}
		ev.X, ev.Y = ev.X-r.x, ev.Y-r.y
		var local tea.Msg
		switch msg.(type) {
		case tea.MouseClickMsg:
			local = tea.MouseClickMsg(ev)
			if !m.viewerOpen || pane(p) != paneFiles {
				m.setFocus(pane(p))
			}
		case tea.MouseWheelMsg:
			local = tea.MouseWheelMsg(ev)
		default:
			return m, nil
		}
		var cmd tea.Cmd
		switch pane(p) {
		case paneLayers:
			before := m.layersPane.Selected()
			m.layersPane, cmd = m.layersPane.Update(local)
			if after := m.layersPane.Selected(); after != before {
				m.selectLayer(after)
			}
		case paneHistory:
			m.historyPane, cmd = m.historyPane.Update(local)
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
func (m Model) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			v = tea.NewView(fmt.Sprintf("internal error while drawing: %v (press q to quit)", r))
		}
	}()
	v = tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "strata " + m.opts.Reference
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
		left := lipgloss.JoinVertical(lipgloss.Left,
			m.layersPane.View(), m.historyPane.View(), m.layerDetails.View(), m.imageDetails.View())
		right := m.files.View()
		if m.viewerOpen {
			right = m.viewer.View()
		}
		main = lipgloss.JoinHorizontal(lipgloss.Top, left, right)
	}
	return main + "\n" + common.Pad(m.helpBar(), m.width) + "\n" + common.Pad(m.statusLine(), m.width)
}

// helpBar shows the focused pane's keys and the global ones.
func (m Model) helpBar() string {
	var ks []key.Binding
	switch {
	case m.showHelp:
		ks = []key.Binding{m.keys.Global.Help, m.keys.Global.Quit}
	case m.viewerOpen:
		ks = m.keys.Viewer.ShortHelp()
	case m.focus == paneLayers:
		ks = m.keys.Layers.ShortHelp()
	case m.focus == paneHistory:
		ks = m.keys.History.ShortHelp()
	case m.focus == paneLayerDetails, m.focus == paneImage:
		ks = m.keys.Details.ShortHelp()
	case m.focus == paneFiles:
		ks = m.keys.Files.ShortHelp()
	}
	return m.help.ShortHelpView(append(ks, m.keys.Global.ShortHelp()...))
}

// fullHelp lists every key of every pane.
func (m Model) fullHelp() string {
	h := m.help
	sections := []struct {
		title  string
		groups [][]key.Binding
	}{
		{"Everywhere", m.keys.Global.FullHelp()},
		{"Layers", m.keys.Layers.FullHelp()},
		{"File tree", m.keys.Files.FullHelp()},
		{"History", m.keys.History.FullHelp()},
		{"Details", m.keys.Details.FullHelp()},
		{"File viewer", m.keys.Viewer.FullHelp()},
	}
	var lines []string
	for _, s := range sections {
		lines = append(lines, m.st.Label.Render(s.title))
		lines = append(lines, strings.Split(h.FullHelpView(s.groups), "\n")...)
		lines = append(lines, "")
	}
	return common.Frame(m.st, "Keys (? or esc to close)", true, m.width-2, max(1, m.height-4), lines)
}

// statusLine says what is loading, what went wrong, what was done.
func (m Model) statusLine() string {
	n, total := len(m.analysis.Layers()), len(m.sources)
	var b strings.Builder
	b.WriteString("strata · " + m.opts.Reference)
	if m.opts.Platform != "" {
		b.WriteString(" · " + m.opts.Platform)
	}
	if !m.done {
		read := m.read.Load()
		frac := float64(n) / float64(max(1, total))
		if m.total > 0 {
			frac = min(1, float64(read)/float64(m.total))
		}
		fmt.Fprintf(&b, " · analyzing %d/%d layers %s %3.0f%% (%s)", n, total, m.progressBar(frac, 20), frac*100, humanize.Bytes(uint64(read)))
	}
	s := b.String()
	if m.status != "" {
		st := m.st.Status
		if m.loadErr != nil {
			st = m.st.Error
		}
		s += " · " + st.Render(m.status)
	}
	return s
}

func (m Model) progressBar(frac float64, width int) string {
	full := int(frac * float64(width))
	return m.st.ProgressFull.Render(strings.Repeat("█", full)) + m.st.ProgressEmpty.Render(strings.Repeat("░", width-full))
}
