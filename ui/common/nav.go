package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// NavKeys are the keys that move through the rows of a pane. A pane's
// KeyMap keeps them as fields of its own with the same names (by
// declaring itself as NavKeys, or by copying them), because the config
// file names each direct key.Binding field of a KeyMap: layers.up,
// history.page-down, details.top.
type NavKeys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
}

// DefaultNavKeys returns dive's navigation keys.
func DefaultNavKeys() NavKeys {
	return NavKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
	}
}

// WithEnds returns the keys with Top and Bottom described in the help as
// top and bottom: "first layer", "last layer".
func (k NavKeys) WithEnds(top, bottom string) NavKeys {
	k.Top.SetHelp(k.Top.Help().Key, top)
	k.Bottom.SetHelp(k.Bottom.Help().Key, bottom)
	return k
}

// ShortHelp is the one-line help: up, down and the pages.
func (k NavKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown}
}

// FullHelp is the expanded help, in columns.
func (k NavKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Top, k.Bottom}}
}

// Delta is how far a key moves: rows up (negative) or down, page being
// the rows in view (at least one is moved) and total all rows. ok is
// false for other keys.
func (k NavKeys) Delta(msg tea.KeyPressMsg, page, total int) (d int, ok bool) {
	page = max(1, page)
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -total, true
	case key.Matches(msg, k.Bottom):
		return total, true
	}
	return 0, false
}

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

// Clamp limits v to [lo, hi]; it is lo when hi < lo.
func Clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}
