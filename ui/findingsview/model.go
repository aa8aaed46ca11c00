package findingsview

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Action is what a key asks the parent to do.
type Action uint8

// The actions.
const (
	// Stay: the overlay stays open.
	Stay Action = iota
	// Close the overlay.
	Close
	// Jump to the selected finding (Target), closing the overlay.
	Jump
)

// Model is the Findings overlay. Make one with New.
type Model struct {
	styles   common.Styles
	keys     KeyMap
	list     common.ListPane
	details  common.Scroller
	found    []findings.Finding
	history  []tree.HistoryEntry
	message  string // why there are no findings to show yet
	width    int    // outer
	height   int    // outer
	listH    int    // the list's outer height
	detailed int    // the finding the details show, -1 for none
	asked    Action // what the last Update asked the parent to do
}

// New makes an overlay that says the findings are not there yet.
func New(st common.Styles) Model {
	m := Model{styles: st, keys: DefaultKeyMap(), details: common.NewScroller(st), detailed: -1,
		message: "the findings come once every layer is analyzed"}
	m.list = common.ListPane{Styles: st, Header: true}
	m.list.Focus()
	m.SetKeyMap(m.keys)
	return m
}

// SetKeyMap replaces the bindings.
func (m *Model) SetKeyMap(k KeyMap) {
	m.keys = k
	m.list.Keys = k.Nav()
	m.details.SetKeys(common.NavKeys{Up: k.ScrollUp, Down: k.ScrollDown}, key.Binding{}, key.Binding{})
}

// KeyMap returns the bindings, for the help.
func (m Model) KeyMap() KeyMap { return m.keys }

// SetFindings shows the findings, largest first as analyze/findings
// orders them, with the image's history to find the layer of a step
// that made none; the cursor goes to the first.
func (m *Model) SetFindings(fs []findings.Finding, history []tree.HistoryEntry) {
	m.found, m.history, m.message = fs, history, ""
	m.list.List = common.List{}
	m.detailed = -1
	m.layout()
}

// SetMessage says why there are no findings yet (the analysis is under
// way, or stopped).
func (m *Model) SetMessage(s string) {
	m.found, m.message, m.detailed = nil, s, -1
	m.layout()
}

// Selected is the finding under the cursor.
func (m Model) Selected() (findings.Finding, bool) {
	if c := m.list.List.Cursor; c >= 0 && c < len(m.found) {
		return m.found[c], true
	}
	return findings.Finding{}, false
}

// SetSize sets the overlay's outer size: the list on top, as tall as it
// needs up to half of it, the details below.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

func (m *Model) layout() {
	h := m.height
	m.listH = common.Clamp(len(m.found)+3, 5, max(5, h/2))
	m.list.SetSize(m.width, m.listH, 0, len(m.found))
	m.details.SetSize(max(0, m.width-2), max(0, h-m.listH-2))
	m.detailed = -1
	m.showDetails()
}

// showDetails fills the details with the selected finding's, when it is
// not the one shown.
func (m *Model) showDetails() {
	c := m.list.List.Cursor
	if len(m.found) == 0 {
		c = -1
	}
	if c == m.detailed {
		return
	}
	m.detailed = c
	m.details.SetOffset(0)
	if c < 0 {
		m.details.SetLines(nil)
		return
	}
	m.details.SetLines(m.detailLines(m.found[c], max(1, m.width-3)))
}

// Asked is what the last Update asked the parent to do: Stay for
// nothing, Close, or Jump to the selected finding.
func (m Model) Asked() Action { return m.asked }

// Update moves through the findings and scrolls the details on keys and
// the mouse; the parent reads what a key asked of it with Asked.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.asked = Stay
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Close):
			m.asked = Close
			return m, nil
		case key.Matches(msg, m.keys.Jump):
			if _, ok := m.Selected(); ok {
				m.asked = Jump
			}
			return m, nil
		case m.details.Update(msg):
			return m, nil
		}
		m.list.Update(msg, len(m.found))
	case tea.MouseMsg:
		if msg.Mouse().Y >= m.listH {
			m.details.Update(msg)
			return m, nil
		}
		m.list.Update(msg, len(m.found))
	}
	m.showDetails()
	return m, nil
}

// sizeWidth fits every humanize.Bytes result.
const sizeWidth = 7

// idWidth fits the longest finding ID.
const idWidth = 17

// View draws the overlay at exactly its outer size.
func (m Model) View() string {
	st := m.styles
	head := fmt.Sprintf("%-8s %*s  %-*s  %s", "Severity", sizeWidth, "Bytes", idWidth, "Finding", "What")
	row := func(i, width int) (string, lipgloss.Style) {
		f := m.found[i]
		text := fmt.Sprintf("%-8s %*s  %-*s  ", f.Severity, sizeWidth, bytes(f.Bytes), idWidth, f.ID)
		style := lipgloss.NewStyle()
		if f.Severity == findings.Error {
			style = st.Error
		}
		return text + common.Truncate(f.Title, max(1, width-len(text))), style
	}
	title := fmt.Sprintf("Findings · %d · largest first, uncompressed", len(m.found))
	empty := m.message
	if empty == "" {
		empty = "nothing to report"
	}
	list := m.list.View(title, head, empty, len(m.found), row, nil)
	detailTitle := "Details"
	if f, ok := m.Selected(); ok {
		detailTitle = string(f.ID)
		if f.PathCount > 0 {
			detailTitle += fmt.Sprintf(" · %d %s", f.PathCount, plural(f.PathCount, "path", "paths"))
		}
	}
	details := common.Frame(st, detailTitle, false, m.width-2, m.height-m.listH-2, m.details.View())
	return lipgloss.JoinVertical(lipgloss.Left, list, details)
}

func bytes(n int64) string {
	if n <= 0 {
		return "-"
	}
	return humanize.Bytes(uint64(n))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
