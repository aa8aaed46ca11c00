package treeview

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Request is what a key asked the parent to do with a node: open it (show
// its contents) or extract it. The parent reads it with Request after
// each Update, at once, so that the keys pressed next already find the
// viewer open.
type Request struct {
	Node    Node
	Extract bool
}

// Column is an attribute column, drawn left of the tree.
type Column struct {
	Title string
	Width int
	// Left aligns the cells left; they are right-aligned otherwise.
	Left bool
	// Drop orders which columns go first when the name column would be
	// too narrow: the highest first.
	Drop int
	// Cell is a node's cell; it is cut to Width.
	Cell func(Node) string
}

// minName is the narrowest the name column gets before attribute columns
// are dropped for it.
const minName = 20

// Model is the tree pane. Make one with New.
type Model struct {
	rows     *rows
	keys     KeyMap
	input    common.InputKeys
	styles   common.Styles
	width    int // outer
	height   int // outer
	focused  bool
	number   int
	attrs    bool
	columns  []Column
	suffix   func(Node) string
	opens    func(Node) bool
	title    string
	sortName string
	message  []string
	empty    string

	filtering bool
	editor    textinput.Model
	filterErr string
	request   *Request // what the last Update asked for
}

// New makes a pane with no tree.
func New(st common.Styles) Model {
	in := common.LineEditor("Filter: ", "regular expression or text")
	return Model{rows: newRows(), keys: DefaultKeyMap(), input: common.DefaultInputKeys(), styles: st, attrs: true,
		title: "Files", sortName: "by size", editor: in,
		empty: "nothing to show (see the filter and hidden change types)"}
}

// SetKeyMap replaces the tree's keys and the filter line's.
func (m *Model) SetKeyMap(k KeyMap, input common.InputKeys) { m.keys, m.input = k, input }

// KeyMap returns the tree's keys.
func (m Model) KeyMap() KeyMap { return m.keys }

// SetSize sets the pane's outer size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.rows.setHeight(m.rowsHeight())
	m.editor.SetWidth(max(1, w-12))
}

// SetNumber sets the number shown before the title.
func (m *Model) SetNumber(n int) { m.number = n }

// SetTitle sets the title; the hidden change types and the order are
// added to it.
func (m *Model) SetTitle(t string) { m.title = t }

// SetSortName names the size order in the title: "by size".
func (m *Model) SetSortName(s string) { m.sortName = s }

// SetEmpty sets what the pane says when no row is shown.
func (m *Model) SetEmpty(s string) { m.empty = s }

// SetColumns sets the attribute columns and what follows each name (a
// link's target); suffix must return text that is safe to draw.
func (m *Model) SetColumns(cols []Column, suffix func(Node) string) {
	m.columns, m.suffix = cols, suffix
}

// SetOpens says which nodes the Open key asks the parent to open; on the
// others it folds or unfolds the directory. The default opens what is
// not a directory.
func (m *Model) SetOpens(f func(Node) bool) { m.opens = f }

// ShowAttributes sets whether the attribute columns show.
func (m *Model) ShowAttributes(on bool) { m.attrs = on }

// SetMessage shows lines instead of the tree (why there is no tree yet);
// nil shows the tree again.
func (m *Model) SetMessage(lines []string) { m.message = lines }

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away; a filter being typed is kept.
func (m *Model) Blur() {
	m.focused = false
	m.stopTyping()
}

// Focused says whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// Filtering says whether the filter line is taking keys.
func (m Model) Filtering() bool { return m.filtering }

// SetTree shows another tree over the same nodes (another layer): the
// cursor stays on its node when it is still a row, and the window starts
// at the top as far as the cursor allows.
func (m *Model) SetTree(t Tree) {
	m.rows.setTree(t)
	m.rows.setHeight(m.rowsHeight())
}

// Reset forgets the cursor and the collapsed directories, before SetTree
// with a tree of other nodes.
func (m *Model) Reset() { m.rows.reset() }

// Tree is the tree shown, nil for none.
func (m Model) Tree() Tree { return m.rows.tree }

// Refresh recomputes the rows after the tree grew.
func (m *Model) Refresh() { m.rows.refresh() }

// Cursor is the selected node, NoNode for none.
func (m Model) Cursor() Node { return m.rows.cursor }

// Select puts the cursor on a node that is shown, expanding its parents.
func (m *Model) Select(n Node) bool { return m.rows.selectNode(n) }

// Total is a node's size with the sizes of the shown nodes below it.
func (m Model) Total(n Node) int64 {
	if n < 0 || int(n) >= len(m.rows.totals) {
		return 0
	}
	return m.rows.totals[n]
}

// Hide sets the change types hidden.
func (m *Model) Hide(hidden tree.ChangeSet) {
	m.rows.hidden = hidden
	m.rows.refresh()
}

// Hidden is the change types hidden.
func (m Model) Hidden() tree.ChangeSet { return m.rows.hidden }

// Order is the sort order.
func (m Model) Order() SortOrder { return m.rows.order }

// SetOrder sorts children by name or by size.
func (m *Model) SetOrder(o SortOrder) {
	m.rows.order = o
	m.rows.refresh()
}

// Filter is the filter, "" for none.
func (m Model) Filter() string {
	if m.rows.filter == nil {
		return ""
	}
	return m.rows.filter.String()
}

// SetFilter shows only paths matching a Go regular expression (plain text
// matches as a substring), and their parents. An invalid pattern returns
// its error and leaves the filter as it was.
func (m *Model) SetFilter(pattern string) error {
	var f *matcher
	if pattern != "" {
		var err error
		if f, err = newMatcher(pattern); err != nil {
			return err
		}
	}
	m.rows.filter, m.rows.matches = f, nil
	m.rows.refresh()
	m.rows.setHeight(m.rowsHeight())
	return nil
}

// StartFilter opens the filter line with the filter in it.
func (m *Model) StartFilter() tea.Cmd {
	m.filtering = true
	m.editor.SetValue(m.Filter())
	m.editor.CursorEnd()
	m.rows.setHeight(m.rowsHeight())
	return m.editor.Focus()
}

func (m *Model) stopTyping() {
	m.filtering = false
	m.editor.Blur()
	m.rows.setHeight(m.rowsHeight())
}

func (m *Model) clearFilter() {
	m.stopTyping()
	m.filterErr = ""
	m.editor.SetValue("")
	m.SetFilter("")
}

// Request is what the last Update asked the parent to do, if anything.
func (m Model) Request() (Request, bool) {
	if m.request == nil {
		return Request{}, false
	}
	return *m.request, true
}

// AtLeftEdge says whether the collapse key would do nothing: the cursor is
// on a top-level row that is not an expanded directory. The parent then
// moves the focus left.
func (m Model) AtLeftEdge() bool { return m.rows.atLeftEdge() }

// rowsHeight is the rows in view: the inner height less the header, and
// the filter line when there is one.
func (m Model) rowsHeight() int {
	h := m.height - 3
	if m.filtering || m.Filter() != "" {
		h--
	}
	return max(1, h)
}

// Update handles keys (when focused) and the mouse.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.request = nil
	if k, ok := msg.(tea.KeyPressMsg); ok && m.focused && m.filtering {
		return m.typeFilter(k)
	}
	if m.rows.tree == nil || m.message != nil {
		return m, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if !m.focused {
			return m, nil
		}
		return m.key(msg)
	case tea.MouseClickMsg:
		in := m.rows.inView()
		if row := msg.Mouse().Y - 2; msg.Button == tea.MouseLeft && row >= 0 && row < len(in) {
			if in[row] == m.rows.cursor && m.rows.isDir(in[row]) {
				m.rows.toggle()
			} else {
				m.rows.selectNode(in[row])
			}
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.rows.up(3)
		case tea.MouseWheelDown:
			m.rows.down(3)
		}
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k, r := m.keys, m.rows
	page := max(1, m.rowsHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		r.up(1)
	case key.Matches(msg, k.Down):
		r.down(1)
	case key.Matches(msg, k.PageUp):
		r.up(page)
	case key.Matches(msg, k.PageDown):
		r.down(page)
	case key.Matches(msg, k.Top):
		r.home()
	case key.Matches(msg, k.Bottom):
		r.end()
	case key.Matches(msg, k.Collapse):
		r.collapse()
	case key.Matches(msg, k.Expand):
		r.expand()
	case key.Matches(msg, k.Toggle):
		r.toggle()
	case key.Matches(msg, k.ToggleAll):
		r.toggleAll()
	case key.Matches(msg, k.ClearFilter):
		m.clearFilter()
	case key.Matches(msg, k.ToggleAdded):
		m.toggleHidden(tree.Added)
	case key.Matches(msg, k.ToggleRemoved):
		m.toggleHidden(tree.Removed)
	case key.Matches(msg, k.ToggleModified):
		m.toggleHidden(tree.Modified)
	case key.Matches(msg, k.ToggleUnmodified):
		m.toggleHidden(tree.Unmodified)
	case key.Matches(msg, k.Attributes):
		m.attrs = !m.attrs
	case key.Matches(msg, k.Sort):
		m.SetOrder(1 - m.rows.order)
	case key.Matches(msg, k.Open):
		n := r.cursor
		switch {
		case n == NoNode:
		case m.opens != nil && m.opens(n), m.opens == nil && !r.isDir(n):
			m.request = &Request{Node: n}
		default:
			r.toggle()
		}
	case key.Matches(msg, k.Extract):
		if n := r.cursor; n != NoNode {
			m.request = &Request{Node: n, Extract: true}
		}
	}
	return m, nil
}

func (m *Model) toggleHidden(c tree.ChangeType) { m.Hide(m.rows.hidden.With(c, !m.rows.hidden.Has(c))) }

// typeFilter edits the filter live: every keystroke applies the pattern;
// an invalid one shows its error and keeps the last good filter.
func (m Model) typeFilter(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.input.Cancel):
		m.clearFilter()
		return m, nil
	case key.Matches(msg, m.input.Apply):
		m.stopTyping()
		return m, nil
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.Update(msg)
	if err := m.SetFilter(m.editor.Value()); err != nil {
		m.filterErr = err.Error()
	} else {
		m.filterErr = ""
	}
	return m, cmd
}
