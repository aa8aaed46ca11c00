package history

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/ui/common"
)

// Model is the History pane. Make one with New.
type Model struct {
	styles   common.Styles
	keys     KeyMap
	steps    []analyze.HistoryEntry
	makes    []bool // the step made its layer (not an empty-layer step)
	labelW   int
	selLayer int // the layer whose steps are marked, -1 for none
	cursor   int
	offset   int
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
func (m *Model) SetHistory(h []analyze.HistoryEntry) {
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
	m.cursor = clamp(m.cursor, 0, len(m.steps)-1)
	m.scroll()
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
	m.cursor = first
	h := m.innerHeight()
	m.offset = common.ScrollWindow(m.offset, last, h, len(m.steps))
	m.offset = common.ScrollWindow(m.offset, first, h, len(m.steps))
}

// Selected is the step under the cursor; false when there is none.
func (m Model) Selected() (analyze.HistoryEntry, bool) {
	if len(m.steps) == 0 {
		return analyze.HistoryEntry{}, false
	}
	return m.steps[m.cursor], true
}

// Update moves the cursor on keys (when focused), clicks and the wheel.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if !m.focused {
			return m, nil
		}
		page := max(1, m.innerHeight())
		switch {
		case key.Matches(msg, m.keys.Up):
			m.move(-1)
		case key.Matches(msg, m.keys.Down):
			m.move(1)
		case key.Matches(msg, m.keys.PageUp):
			m.move(-page)
		case key.Matches(msg, m.keys.PageDown):
			m.move(page)
		case key.Matches(msg, m.keys.Top):
			m.move(-len(m.steps))
		case key.Matches(msg, m.keys.Bottom):
			m.move(len(m.steps))
		}
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft || msg.X < 0 || msg.X >= m.width {
			return m, nil
		}
		if r := msg.Y - 1; r >= 0 && r < m.innerHeight() && m.offset+r < len(m.steps) {
			m.cursor = m.offset + r
			m.scroll()
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.move(-1)
		case tea.MouseWheelDown:
			m.move(1)
		}
	}
	return m, nil
}

func (m *Model) move(d int) {
	m.cursor = clamp(m.cursor+d, 0, len(m.steps)-1)
	m.scroll()
}

func (m *Model) scroll() {
	m.offset = common.ScrollWindow(m.offset, m.cursor, m.innerHeight(), len(m.steps))
}

func (m Model) innerHeight() int { return max(0, m.height-2) }

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	if m.width < 2 || m.height < 2 {
		return blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	st := m.styles
	textW, bar := w, []string(nil)
	if len(m.steps) > h {
		textW = w - 1
		bar = common.ScrollBar(m.offset, h, len(m.steps))
	}
	lines := make([]string, 0, h)
	if len(m.steps) == 0 {
		lines = append(lines, st.Muted.Render("no history"))
	}
	for i := m.offset; i < min(len(m.steps), m.offset+h); i++ {
		s := m.steps[i]
		marked := m.selLayer >= 0 && s.Layer == m.selLayer
		mark, label := " ", "·"
		if marked {
			mark = "▸"
		}
		if m.makes[i] {
			label = "L" + strconv.Itoa(s.Layer)
		}
		cmd := analyze.ShortCommand(s.CreatedBy)
		if cmd == "" {
			cmd = "(no command)"
		}
		text := common.Pad(fmt.Sprintf("%s %*s  %s", mark, m.labelW, label, cmd), textW)
		switch {
		case i == m.cursor && m.focused:
			text = st.Selected.Render(text)
		case i == m.cursor:
			text = st.SelectedBlurred.Render(text)
		case marked:
			text = st.Label.Render(text)
		case !m.makes[i]:
			text = st.Muted.Render(text)
		}
		if bar != nil {
			text += st.Muted.Render(bar[i-m.offset])
		}
		lines = append(lines, text)
	}
	return common.Frame(st, "History", m.focused, w, h, lines)
}

// blank fills a pane too small for a border.
func blank(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat(strings.Repeat(" ", w)+"\n", h), "\n")
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}
