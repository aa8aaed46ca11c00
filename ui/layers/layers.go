package layers

import (
	"fmt"
	"slices"
	"strconv"

	tea "charm.land/bubbletea/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Row is one layer as the pane shows it.
type Row struct {
	Index     int
	CreatedBy string // the history step, shortened with tree.ShortCommand
	Size      int64
	Analyzed  bool // false: the size is not known yet and shows as "…"
}

// sizeWidth fits every humanize.Bytes result ("999 MB", "1.2 GB").
const sizeWidth = 7

// Model is the Layers pane. Make one with New.
type Model struct {
	styles  common.Styles
	keys    KeyMap
	rows    []Row
	mode    tree.CompareMode
	list    common.List
	width   int // outer
	height  int // outer
	focused bool
}

// New makes an empty pane.
func New(styles common.Styles) Model {
	return Model{styles: styles, keys: DefaultKeyMap()}
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

// SetCompareMode sets the compare mode shown in the title.
func (m *Model) SetCompareMode(mode tree.CompareMode) { m.mode = mode }

// SetLayers replaces the rows, keeping the cursor where it was (or on the
// last row when there are fewer rows now).
func (m *Model) SetLayers(rows []Row) {
	m.rows = slices.Clone(rows)
	m.list.Move(0, len(m.rows), m.rowsHeight())
}

// Selected is the Index of the row under the cursor, or -1 when there are
// no rows.
func (m Model) Selected() int {
	if len(m.rows) == 0 {
		return -1
	}
	return m.rows[m.list.Cursor].Index
}

// SetSelected moves the cursor to the row with the given Index, if there
// is one.
func (m *Model) SetSelected(index int) {
	for i, r := range m.rows {
		if r.Index == index {
			m.list.Cursor = i
			m.scroll()
			return
		}
	}
}

// Update moves the cursor on keys (when focused), clicks and the wheel.
// Compare Selected before and after to learn that the layer changed.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.focused {
			m.list.Update(msg, m.keys.nav(), len(m.rows), m.rowsHeight())
		}
	case tea.MouseMsg:
		// Row 0 is the border, row 1 the column header.
		m.list.Mouse(msg, common.RowAt(msg, m.width, 2), len(m.rows), m.rowsHeight())
	}
	return m, nil
}

func (m *Model) scroll() { m.list.Scroll(len(m.rows), m.rowsHeight()) }

// rowsHeight is the number of layer rows in view: the inner height less
// the column header.
func (m Model) rowsHeight() int { return max(0, m.height-3) }

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	if m.width < 2 || m.height < 2 {
		return common.Blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	rowsH := m.rowsHeight()
	textW, bar := w, []string(nil)
	if len(m.rows) > rowsH {
		textW = w - 1
		bar = common.ScrollBar(m.list.Offset, rowsH, len(m.rows))
	}
	idxW := 1
	if n := len(m.rows); n > 0 {
		idxW = max(1, len(strconv.Itoa(m.rows[n-1].Index)))
	}
	lines := make([]string, 0, h)
	head := fmt.Sprintf("%*s  %*s  %s", idxW, "#", sizeWidth, "Size", "Command")
	lines = append(lines, m.styles.Muted.Render(common.Pad(head, w)))
	if len(m.rows) == 0 {
		lines = append(lines, m.styles.Muted.Render("waiting for layers…"))
	}
	for i := m.list.Offset; i < min(len(m.rows), m.list.Offset+rowsH); i++ {
		r := m.rows[i]
		size := "…"
		if r.Analyzed {
			size = humanize.Bytes(uint64(max(0, r.Size)))
		}
		text := common.Pad(fmt.Sprintf("%*d  %*s  %s", idxW, r.Index, sizeWidth, size, tree.ShortCommand(r.CreatedBy)), textW)
		switch {
		case i == m.list.Cursor && m.focused:
			text = m.styles.Selected.Render(text)
		case i == m.list.Cursor:
			text = m.styles.SelectedBlurred.Render(text)
		case !r.Analyzed:
			text = m.styles.Muted.Render(text)
		}
		if bar != nil {
			text += m.styles.Muted.Render(bar[i-m.list.Offset])
		}
		lines = append(lines, text)
	}
	return common.Frame(m.styles, "Layers · compare: "+m.mode.String(), m.focused, w, h, lines)
}
