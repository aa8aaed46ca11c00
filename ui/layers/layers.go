package layers

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/common"
)

// sizeWidth fits every humanize.Bytes result ("999 MB", "1.2 GB") and
// "error".
const sizeWidth = 7

// Model is the Layers pane. Make one with New.
type Model struct {
	list     common.ListPane
	keys     KeyMap
	declared []image.Layer
	stacked  []*tree.Layer
	commands []string // each layer's history step
	stopped  int      // the first layer the analysis will not reach, -1 for none
	mode     tree.CompareMode
	number   int
	commandH int  // lines of the selected layer's command under the rows
	base     int  // how many of the first layers are the base's
	hideBase bool // the base's layers are not listed
}

// New makes an empty pane.
func New(styles common.Styles) Model {
	m := Model{keys: DefaultKeyMap(), stopped: -1}
	m.list = common.ListPane{Styles: styles, Keys: m.keys.Nav(), Header: true}
	return m
}

// SetSize sets the pane's outer size, border included. When there is room,
// the selected layer's command takes a few lines under the rows.
func (m *Model) SetSize(w, h int) {
	m.commandH = 0
	switch inner := h - 2; {
	case inner >= 16:
		m.commandH = 4
	case inner >= 8:
		m.commandH = 3 // a rule and two lines
	}
	m.list.SetSize(w, h, m.commandH, m.shown())
}

// Height is how tall the pane would like to be: every layer and the
// command in view.
func (m Model) Height() int { return m.shown() + 3 + 4 }

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

// SetCompareMode sets the compare mode shown in the title.
func (m *Model) SetCompareMode(mode tree.CompareMode) { m.mode = mode }

// SetLayers shows the image's layers: declared, as its source lists them;
// stacked, the ones the analysis has stacked so far (the first ones); and
// the history step of each. The cursor stays where it was, or on the last
// row when there are fewer rows now.
func (m *Model) SetLayers(declared []image.Layer, stacked []*tree.Layer, commands []string) {
	m.declared, m.stacked, m.commands = declared, stacked, commands
	m.list.List.Move(0, m.shown(), m.list.RowsHeight())
}

// SetStopped marks the layers from the first one on as not analyzed: the
// analysis stopped there (-1: it did not).
func (m *Model) SetStopped(first int) { m.stopped = first }

// Selected is the layer under the cursor, or -1 when there are no layers.
func (m Model) Selected() int {
	if len(m.declared) == 0 {
		return -1
	}
	return m.list.List.Cursor + m.first()
}

// SetSelected moves the cursor to layer k, if there is one.
func (m *Model) SetSelected(k int) {
	if k >= 0 && k < len(m.declared) {
		m.list.List.Cursor = max(0, k-m.first())
		m.list.List.Scroll(m.shown(), m.list.RowsHeight())
	}
}

// Update moves the cursor on keys (when focused), clicks and the wheel.
// Compare Selected before and after to learn that the layer changed.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && m.Focused() && key.Matches(k, m.keys.HideBase) {
		m.ToggleBase()
		return m, nil
	}
	m.list.Update(msg, m.shown())
	return m, nil
}

// command is layer k's history step, "" when there is none.
func (m Model) command(k int) string {
	if k < len(m.stacked) && m.stacked[k].CreatedBy != "" {
		return m.stacked[k].CreatedBy
	}
	if k < len(m.commands) {
		return m.commands[k]
	}
	return ""
}

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	st := m.list.Styles
	n := len(m.declared)
	idxW := len(strconv.Itoa(max(0, n-1)))
	head := fmt.Sprintf("%*s  %*s  %s", idxW, "#", sizeWidth, "Size", "Command")
	row := func(i, width int) (string, lipgloss.Style) {
		i += m.first()
		size, style := "…", st.Muted
		switch {
		case i < len(m.stacked) && i < m.base:
			size, style = humanize.Bytes(uint64(max(0, m.stacked[i].Size))), st.Muted
		case i < len(m.stacked):
			size, style = humanize.Bytes(uint64(max(0, m.stacked[i].Size))), lipgloss.NewStyle()
		case i == m.stopped:
			size, style = "error", st.Error
		case m.stopped >= 0 && i > m.stopped:
			size = "–"
		}
		text := fmt.Sprintf("%*d  %*s  ", idxW, i, sizeWidth, size)
		if i < m.base {
			text += baseMark
		}
		return text + common.Truncate(tree.ShortCommand(m.command(i)), max(1, width-len(text))), style
	}
	title := common.Title(m.number, "Layers · compare: "+m.mode.String()+m.baseTitle())
	return m.list.View(title, head, "waiting for layers…", m.shown(), row, m.footer())
}

// footer is the selected layer's full command, under a rule.
func (m Model) footer() []string {
	if m.commandH == 0 {
		return nil
	}
	st := m.list.Styles
	w, _ := m.list.Size()
	w -= 2
	out := []string{st.Muted.Render(strings.Repeat("─", max(0, w)))}
	cmd := tree.Command(m.command(m.Selected()))
	if cmd == "" {
		return append(out, st.Muted.Render("(no command)"))
	}
	lines := common.Wrap(cmd, w)
	if room := m.commandH - 1; len(lines) > room {
		lines = lines[:room]
		lines[room-1] = ansi.Truncate(lines[room-1], w-1, "") + "…"
	}
	return append(out, lines...)
}
