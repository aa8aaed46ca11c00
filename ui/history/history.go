package history

import (
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Model is the History pane. Make one with New.
type Model struct {
	list     common.ListPane
	keys     KeyMap
	steps    []tree.HistoryEntry
	makes    []bool // the step made its layer (not an empty-layer step)
	labelW   int
	selLayer int // the layer whose steps are marked, -1 for none
	number   int
}

// New makes an empty pane.
func New(styles common.Styles) Model {
	m := Model{keys: DefaultKeyMap(), selLayer: -1, labelW: 2}
	m.list = common.ListPane{Styles: styles, Keys: m.keys.Nav()}
	return m
}

// SetSize sets the pane's outer size, border included.
func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h, 0, len(m.steps)) }

// Height is how tall the pane would like to be: every step in view.
func (m Model) Height() int { return max(1, len(m.steps)) + 2 }

// SetNumber sets the number in the title, the key that focuses the pane.
func (m *Model) SetNumber(n int) { m.number = n }

// SetKeyMap replaces the bindings.
func (m *Model) SetKeyMap(k KeyMap) {
	m.keys = k
	m.list.Keys = k.Nav()
}

// KeyMap returns the bindings, for the help bar.
func (m Model) KeyMap() KeyMap { return m.keys }

// Focus makes the pane take keys and draw its focused frame.
func (m *Model) Focus() { m.list.Focus() }

// Blur makes the pane ignore keys.
func (m *Model) Blur() { m.list.Blur() }

// Focused says whether the pane takes keys.
func (m Model) Focused() bool { return m.list.Focused() }

// SetHistory replaces the steps, keeping the cursor where it was (or on
// the last step when there are fewer now).
func (m *Model) SetHistory(h []tree.HistoryEntry) {
	m.steps = h
	m.makes = make([]bool, len(h))
	seen := map[int]bool{}
	maxLayer := 0
	for i, s := range h {
		if !s.EmptyLayer && s.Layer >= 0 && !seen[s.Layer] {
			seen[s.Layer] = true
			m.makes[i] = true
		}
		maxLayer = max(maxLayer, s.Layer)
	}
	m.labelW = 1 + len(strconv.Itoa(maxLayer))
	m.list.List.Move(0, len(m.steps), m.list.RowsHeight())
	if !m.Focused() {
		m.follow()
	}
}

// SetSelectedLayer marks the steps of layer k (none for k < 0). When the
// pane is not focused the cursor moves to the step that made the layer
// and the layer's steps are scrolled into view.
func (m *Model) SetSelectedLayer(k int) {
	m.selLayer = k
	if !m.Focused() {
		m.follow()
	}
}

// follow puts the cursor on the selected layer's first step and shows as
// many of its steps as fit.
func (m *Model) follow() {
	first, last := -1, -1
	for i, s := range m.steps {
		if s.Layer == m.selLayer && m.selLayer >= 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return
	}
	l := &m.list.List
	l.Cursor = first
	h := m.list.RowsHeight()
	l.Offset = common.ScrollWindow(l.Offset, last, h, len(m.steps))
	l.Offset = common.ScrollWindow(l.Offset, first, h, len(m.steps))
}

// Selected is the step under the cursor; false when there is none.
func (m Model) Selected() (tree.HistoryEntry, bool) {
	if len(m.steps) == 0 {
		return tree.HistoryEntry{}, false
	}
	return m.steps[m.list.List.Cursor], true
}

// Layer is the layer of the step under the cursor: the one it made, or
// for an empty step the one below it; -1 when there is none.
func (m Model) Layer() int {
	s, ok := m.Selected()
	if !ok {
		return -1
	}
	return max(0, s.Layer)
}

// Update moves the cursor on keys (when focused), clicks and the wheel.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.list.Update(msg, len(m.steps))
	return m, nil
}

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	st := m.list.Styles
	row := func(i, width int) (string, lipgloss.Style) {
		s := m.steps[i]
		marked := m.selLayer >= 0 && s.Layer == m.selLayer
		mark, label := " ", "·"
		if marked {
			mark = "▸"
		}
		if m.makes[i] {
			label = "L" + strconv.Itoa(s.Layer)
		}
		cmd := tree.ShortCommand(s.CreatedBy)
		if cmd == "" {
			cmd = "(no command)"
		}
		text := fmt.Sprintf("%s %*s  ", mark, m.labelW, label)
		text += common.Truncate(cmd, max(1, width-len([]rune(text))))
		switch {
		case marked:
			return text, st.Label
		case !m.makes[i]:
			return text, st.Muted
		}
		return text, lipgloss.NewStyle()
	}
	return m.list.View(common.Title(m.number, "History"), "", "no history", len(m.steps), row, nil)
}
