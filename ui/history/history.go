package history

import (
	"fmt"
	"slices"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Model is the History pane. Make one with New.
type Model struct {
	styles   common.Styles
	keys     KeyMap
	steps    []tree.HistoryEntry
	makes    []bool // the step made its layer (not an empty-layer step)
	labelW   int
	selLayer int // the layer whose steps are marked, -1 for none
	list     common.List
	width    int // outer
	height   int // outer
	focused  bool
}

// New makes an empty pane.
func New(styles common.Styles) Model {
	return Model{styles: styles, keys: DefaultKeyMap(), selLayer: -1, labelW: 2}
}

// SetSize sets the pane's outer size, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.scroll()
}

// SetKeyMap replaces the bindings.
func (m *Model) SetKeyMap(k KeyMap) { m.keys = k }

// KeyMap returns the bindings, for the help bar.
func (m Model) KeyMap() KeyMap { return m.keys }

// Focus makes the pane take keys and draw its focused frame.
func (m *Model) Focus() { m.focused = true }

// Blur makes the pane ignore keys.
func (m *Model) Blur() { m.focused = false }

// Focused says whether the pane takes keys.
func (m Model) Focused() bool { return m.focused }

// SetHistory replaces the steps, keeping the cursor where it was (or on
// the last step when there are fewer now).
func (m *Model) SetHistory(h []tree.HistoryEntry) {
	m.steps = slices.Clone(h)
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
	m.list.Move(0, len(m.steps), m.innerHeight())
	if !m.focused {
		m.follow()
	}
}

// SetSelectedLayer marks the steps of layer k (none for k < 0). When the
// pane is not focused the cursor moves to the step that made the layer
// and the layer's steps are scrolled into view.
func (m *Model) SetSelectedLayer(k int) {
	m.selLayer = k
	if !m.focused {
		m.follow()
	}
}

// follow puts the cursor on the selected layer's first step and shows as
// many of its steps as fit.
func (m *Model) follow() {
	if m.selLayer < 0 {
		return
	}
	first, last := -1, -1
	for i, s := range m.steps {
		if s.Layer == m.selLayer {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return
	}
	m.list.Cursor = first
	h := m.innerHeight()
	m.list.Offset = common.ScrollWindow(m.list.Offset, last, h, len(m.steps))
	m.list.Offset = common.ScrollWindow(m.list.Offset, first, h, len(m.steps))
}

// Selected is the step under the cursor; false when there is none.
func (m Model) Selected() (tree.HistoryEntry, bool) {
	if len(m.steps) == 0 {
		return tree.HistoryEntry{}, false
	}
	return m.steps[m.list.Cursor], true
}

// Update moves the cursor on keys (when focused), clicks and the wheel.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.focused {
			m.list.Update(msg, common.NavKeys(m.keys), len(m.steps), m.innerHeight())
		}
	case tea.MouseMsg:
		// Row 0 is the border.
		m.list.Mouse(msg, common.RowAt(msg, m.width, 1), len(m.steps), m.innerHeight())
	}
	return m, nil
}

func (m *Model) scroll() { m.list.Scroll(len(m.steps), m.innerHeight()) }

func (m Model) innerHeight() int { return max(0, m.height-2) }

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	if m.width < 2 || m.height < 2 {
		return common.Blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	st := m.styles
	textW, bar := w, []string(nil)
	if len(m.steps) > h {
		textW = w - 1
		bar = common.ScrollBar(m.list.Offset, h, len(m.steps))
	}
	lines := make([]string, 0, h)
	if len(m.steps) == 0 {
		lines = append(lines, st.Muted.Render("no history"))
	}
	for i := m.list.Offset; i < min(len(m.steps), m.list.Offset+h); i++ {
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
		text := common.Pad(fmt.Sprintf("%s %*s  %s", mark, m.labelW, label, cmd), textW)
		switch {
		case i == m.list.Cursor && m.focused:
			text = st.Selected.Render(text)
		case i == m.list.Cursor:
			text = st.SelectedBlurred.Render(text)
		case marked:
			text = st.Label.Render(text)
		case !m.makes[i]:
			text = st.Muted.Render(text)
		}
		if bar != nil {
			text += st.Muted.Render(bar[i-m.list.Offset])
		}
		lines = append(lines, text)
	}
	return common.Frame(st, "History", m.focused, w, h, lines)
}
