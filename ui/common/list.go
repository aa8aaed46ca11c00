package common

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// List is a cursor over rows shown in a window of height rows: Cursor is
// the row under the cursor, Offset the first row in view. Its methods take
// the number of rows and the height, which belong to the pane.
type List struct{ Cursor, Offset int }

// Update moves the cursor on the navigation keys and says whether msg was
// one of them.
func (l *List) Update(msg tea.KeyPressMsg, k NavKeys, rows, height int) bool {
	d, ok := k.Delta(msg, height, rows)
	if ok {
		l.Move(d, rows, height)
	}
	return ok
}

// Mouse moves the cursor to the row clicked with the left button, or by a
// row for each notch of the wheel, and says whether it handled msg. row is
// the row of the window the pointer is on, 0 the first row in view; see
// RowAt.
func (l *List) Mouse(msg tea.MouseMsg, row, rows, height int) bool {
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft || row < 0 || row >= height || l.Offset+row >= rows {
			return false
		}
		l.Cursor = l.Offset + row
		l.Scroll(rows, height)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.Move(-1, rows, height)
		case tea.MouseWheelDown:
			l.Move(1, rows, height)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

// RowAt is the row of a window the pointer is on, for a window whose
// first row is top lines below the pane's top edge on a pane width cells
// wide; -1 when the pointer is left or right of the pane.
func RowAt(msg tea.MouseMsg, width, top int) int {
	m := msg.Mouse()
	if m.X < 0 || m.X >= width {
		return -1
	}
	return m.Y - top
}

// Move moves the cursor by d rows, staying on a row, and scrolls it into
// view. Move(0, …) puts a cursor left past the last row on the last row.
func (l *List) Move(d, rows, height int) {
	l.Cursor = Clamp(l.Cursor+d, 0, rows-1)
	l.Scroll(rows, height)
}

// Scroll moves the window as little as it can to show the cursor.
func (l *List) Scroll(rows, height int) {
	l.Offset = ScrollWindow(l.Offset, l.Cursor, height, rows)
}

// ScrollWindow returns the first row to show so that cursor stays within a
// window of height rows, moving the window as little as possible.
func ScrollWindow(offset, cursor, height, total int) int {
	if height <= 0 {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+height {
		offset = cursor - height + 1
	}
	if offset > total-height {
		offset = total - height
	}
	return max(0, offset)
}

// ListPane is a framed list: a header line, rows under a cursor with a
// scroll bar, and optional lines below them. It is what the layers, the
// history and the inefficient files of inspect and the lists of diff are
// drawn with. The pane that holds it owns the rows and draws each.
type ListPane struct {
	Styles  Styles
	Keys    NavKeys
	List    List
	Header  bool // the first inner line is a column header
	width   int  // outer
	height  int  // outer
	focused bool
	footer  int // lines below the rows
}

// SetSize sets the pane's outer size and the lines kept below the rows,
// and keeps the cursor in view of rows.
func (p *ListPane) SetSize(w, h, footer, rows int) {
	p.width, p.height, p.footer = w, h, footer
	p.List.Scroll(rows, p.RowsHeight())
}

// Size is the pane's outer size.
func (p ListPane) Size() (w, h int) { return p.width, p.height }

// Focus makes the pane take keys and draw its focused frame.
func (p *ListPane) Focus() { p.focused = true }

// Blur makes the pane ignore keys.
func (p *ListPane) Blur() { p.focused = false }

// Focused says whether the pane takes keys.
func (p ListPane) Focused() bool { return p.focused }

// top is how many lines come before the first row: the border and the
// header.
func (p ListPane) top() int {
	if p.Header {
		return 2
	}
	return 1
}

// RowsHeight is the number of rows in view.
func (p ListPane) RowsHeight() int { return max(0, p.height-1-p.top()-p.footer) }

// Update moves the cursor on the navigation keys (when focused), clicks
// and the wheel, and says whether it moved.
func (p *ListPane) Update(msg tea.Msg, rows int) bool {
	before := p.List
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if p.focused {
			p.List.Update(msg, p.Keys, rows, p.RowsHeight())
		}
	case tea.MouseMsg:
		p.List.Mouse(msg, RowAt(msg, p.width, p.top()), rows, p.RowsHeight())
	}
	return p.List != before
}

// Row draws row i of a list at width cells: its text and style.
type Row func(i, width int) (string, lipgloss.Style)

// View draws the pane: title in the top edge, header, rows from row (or
// empty when there are none), then footer.
func (p ListPane) View(title, header, empty string, rows int, row Row, footer []string) string {
	if p.width < 2 || p.height < 2 {
		return Blank(p.width, p.height)
	}
	w, h := p.width-2, p.height-2
	st := p.Styles
	lines := make([]string, 0, h)
	if p.Header {
		lead := ""
		if st.Markers {
			lead = "  "
		}
		lines = append(lines, st.Muted.Render(Pad(lead+header, w)))
	}
	rowsH := p.RowsHeight()
	textW := w
	if rows > rowsH {
		textW = w - 1
	}
	var body []string
	if rows == 0 {
		body = append(body, st.Muted.Render(Truncate(empty, w)))
	}
	for i := p.List.Offset; i < min(rows, p.List.Offset+rowsH); i++ {
		text, style := row(i, textW-markerWidth(st))
		body = append(body, st.Row(text, style, i == p.List.Cursor, p.focused, textW))
	}
	if rows > rowsH {
		body = WithBar(st, body, w, p.List.Offset, rows)
	}
	lines = append(lines, body...)
	if p.footer > 0 {
		for len(lines) < h-p.footer {
			lines = append(lines, "")
		}
		lines = append(lines, footer...)
	}
	return Frame(st, title, p.focused, w, h, lines)
}

func markerWidth(st Styles) int {
	if st.Markers {
		return 2
	}
	return 0
}
