package diffview

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/filetree"
)

// OpenFileMsg asks to show how a path differs from A to B.
type OpenFileMsg struct {
	Node diff.NodeID
	Path string
}

// treePane is the tree of the differences: every path of both final
// filesystems, coloured by its change from A to B, with the file tree's
// keys, filter, hiding and sort.
type treePane struct {
	vm        *treeVM
	keys      filetree.KeyMap
	styles    common.Styles
	width     int
	height    int
	focused   bool
	attrs     bool
	filtering bool
	input     textinput.Model
	filterErr string
}

func newTreePane(st common.Styles) treePane {
	in := textinput.New()
	in.Prompt = "Filter: "
	in.Placeholder = "regular expression or text"
	return treePane{vm: newTreeVM(), keys: filetree.DefaultKeyMap(), styles: st, attrs: true, input: in}
}

func (m *treePane) setSize(w, h int) {
	m.width, m.height = w, h
	m.vm.setHeight(m.rowsHeight())
	m.input.SetWidth(max(1, w-12))
}

func (m treePane) rowsHeight() int {
	h := m.height - 3 // borders and the column header
	if m.filtering || m.vm.filterText() != "" {
		h--
	}
	return max(1, h)
}

func (m *treePane) blur() {
	m.focused, m.filtering = false, false
	m.input.Blur()
}

func (m *treePane) setTree(t *diff.Tree) {
	m.vm.setTree(t)
	m.vm.setHeight(m.rowsHeight())
}

func (m treePane) update(msg tea.Msg) (treePane, tea.Cmd) {
	if m.vm.t == nil {
		return m, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.filtering {
			return m.updateFilter(msg)
		}
		return m.updateKeys(msg)
	case tea.MouseClickMsg:
		rows := m.vm.rows()
		if row := msg.Mouse().Y - 2; row >= 0 && row < len(rows) {
			if rows[row] == m.vm.cursor && m.vm.isDir(rows[row]) {
				m.vm.toggle()
			} else {
				m.vm.selectNode(rows[row])
			}
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			m.vm.up(3)
		case tea.MouseWheelDown:
			m.vm.down(3)
		}
	}
	return m, nil
}

func (m treePane) updateKeys(msg tea.KeyPressMsg) (treePane, tea.Cmd) {
	k, vm := m.keys, m.vm
	page := max(1, m.rowsHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		vm.up(1)
	case key.Matches(msg, k.Down):
		vm.down(1)
	case key.Matches(msg, k.PageUp):
		vm.up(page)
	case key.Matches(msg, k.PageDown):
		vm.down(page)
	case key.Matches(msg, k.Home):
		vm.home()
	case key.Matches(msg, k.End):
		vm.end()
	case key.Matches(msg, k.Collapse):
		vm.collapse()
	case key.Matches(msg, k.Expand):
		vm.expand()
	case key.Matches(msg, k.Toggle):
		vm.toggle()
	case key.Matches(msg, k.ToggleAll):
		vm.toggleAll()
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.input.SetValue(vm.filterText())
		m.input.CursorEnd()
		vm.setHeight(m.rowsHeight())
		return m, m.input.Focus()
	case key.Matches(msg, k.ClearFilter):
		m.clearFilter()
	case key.Matches(msg, k.ToggleAdded):
		vm.toggleHidden(tree.Added)
	case key.Matches(msg, k.ToggleRemoved):
		vm.toggleHidden(tree.Removed)
	case key.Matches(msg, k.ToggleModified):
		vm.toggleHidden(tree.Modified)
	case key.Matches(msg, k.ToggleUnmodified):
		vm.toggleHidden(tree.Unmodified)
	case key.Matches(msg, k.Attributes):
		m.attrs = !m.attrs
	case key.Matches(msg, k.Sort):
		if vm.order == filetree.ByName {
			vm.setOrder(filetree.BySize)
		} else {
			vm.setOrder(filetree.ByName)
		}
	case key.Matches(msg, k.Open):
		n := vm.cursor
		switch {
		case n == diff.NoNode:
		case vm.isDir(n) && !isFile(&vm.t.Node(n).A) && !isFile(&vm.t.Node(n).B):
			vm.toggle()
		default:
			msg := OpenFileMsg{Node: n, Path: vm.t.Path(n)}
			return m, func() tea.Msg { return msg }
		}
	}
	return m, nil
}

func (m *treePane) clearFilter() {
	m.filtering, m.filterErr = false, ""
	m.input.Blur()
	m.input.SetValue("")
	m.vm.setFilter("")
	m.vm.setHeight(m.rowsHeight())
}

// updateFilter applies the filter as it is typed; an invalid pattern
// shows its error and keeps the last good filter.
func (m treePane) updateFilter(msg tea.KeyPressMsg) (treePane, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ClearFilter):
		m.clearFilter()
		return m, nil
	case key.Matches(msg, m.keys.ApplyFilter):
		m.filtering = false
		m.input.Blur()
		m.vm.setHeight(m.rowsHeight())
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if err := m.vm.setFilter(m.input.Value()); err != nil {
		m.filterErr = err.Error()
	} else {
		m.filterErr = ""
	}
	m.vm.setHeight(m.rowsHeight())
	return m, cmd
}

func (m treePane) title() string {
	t := "Differences, A → B"
	var hidden []string
	for c := tree.Unmodified; c <= tree.Removed; c++ {
		if m.vm.hidden.Has(c) {
			hidden = append(hidden, c.String())
		}
	}
	if len(hidden) > 0 {
		t += " · hiding " + strings.Join(hidden, ", ")
	}
	if m.vm.order == filetree.BySize {
		t += " · by size change"
	}
	return t
}

func (m treePane) view() string {
	w, h := m.width-2, m.height-2
	if w < 1 || h < 1 {
		return common.Blank(m.width, m.height)
	}
	if m.vm.t == nil {
		return common.Frame(m.styles, "Differences", m.focused, w, h,
			[]string{m.styles.Muted.Render("waiting for both images to be analyzed…")})
	}
	lines := []string{m.styles.Label.Render(m.header())}
	rows := m.vm.rows()
	for _, n := range rows {
		lines = append(lines, m.row(n, w))
	}
	if len(rows) == 0 {
		msg := "no differences"
		if m.vm.filter != nil || m.vm.hidden.Has(tree.Added) || m.vm.hidden.Has(tree.Removed) || m.vm.hidden.Has(tree.Modified) {
			msg = "nothing to show (see the filter and hidden change types)"
		}
		lines = append(lines, m.styles.Muted.Render(msg))
	}
	if m.filtering || m.vm.filterText() != "" {
		for len(lines) < h-1 {
			lines = append(lines, "")
		}
		lines = lines[:h-1]
		errText := ""
		if m.filterErr != "" {
			errText = "  " + m.styles.Error.Render(m.filterErr)
		}
		f := "Filter: " + m.vm.filterText()
		if m.filtering {
			in := m.input
			in.SetWidth(max(1, w-len("Filter: ")-1-len(m.filterErr)-2))
			f = in.View()
		}
		lines = append(lines, common.Pad(f, max(0, w-len(m.filterErr)-2))+errText)
	}
	return common.Frame(m.styles, m.title(), m.focused, w, h, lines)
}

func (m treePane) header() string {
	if !m.attrs {
		return "Name"
	}
	return fmt.Sprintf("%-10s %11s %8s %8s %9s  %s", "Permission", "UID:GID", "Size A", "Size B", "Δ Size", "Name")
}

// size shows a file's size, or a directory's total, on one side.
func size(present, dir bool, n int64) string {
	switch {
	case !present:
		return "-"
	case dir && n == 0:
		return "-"
	}
	return humanize.Bytes(uint64(max(0, n)))
}

// row draws one tree row.
func (m treePane) row(n diff.NodeID, width int) string {
	vm := m.vm
	nd := vm.t.Node(n)
	shown := &nd.B // B's attributes, or A's for a removed path
	if !shown.Present {
		shown = &nd.A
	}
	var b strings.Builder
	if m.attrs {
		delta := diff.FormatDelta(nd.Delta())
		if nd.IsDir() && nd.Delta() == 0 {
			delta = ""
		}
		fmt.Fprintf(&b, "%-10s %11s %8s %8s %9s  ", tree.FormatMode(shown.Mode), fmt.Sprintf("%d:%d", shown.UID, shown.GID),
			size(nd.A.Present, nd.A.IsDir(), nd.SizeA), size(nd.B.Present, nd.B.IsDir(), nd.SizeB), delta)
	}
	b.WriteString(m.guides(n))
	change := vm.change(n)
	if !m.styles.Color {
		b.WriteString([]string{" ", "+", "~", "-"}[change] + " ")
	}
	name := nd.Name
	if vm.isDir(n) && vm.collapsed[n] && vm.firstShown(n) != diff.NoNode {
		name = "⊕ " + name
	}
	if shown.Link != "" {
		switch shown.Type {
		case '2':
			name += " → " + shown.Link
		case '1':
			name += " ⇒ /" + strings.TrimPrefix(shown.Link, "/")
		}
	}
	b.WriteString(common.Sanitize(name))
	if nd.Change == tree.Modified {
		b.WriteString("  [" + common.Sanitize(strings.Join(diff.Describe(nd), ", ")) + "]")
	}
	line := common.Pad(b.String(), width)
	style := m.styles.Change[change]
	if n == vm.cursor {
		if m.focused {
			style = style.Inherit(m.styles.Selected)
		} else {
			style = style.Inherit(m.styles.SelectedBlurred)
		}
	}
	return style.Render(line)
}

// guides draws the tree lines before a node's name.
func (m treePane) guides(n diff.NodeID) string {
	vm := m.vm
	var parts []string
	if vm.isLast(n) {
		parts = append(parts, "└── ")
	} else {
		parts = append(parts, "├── ")
	}
	for p := vm.t.Node(n).Parent; p != diff.Root; p = vm.t.Node(p).Parent {
		if vm.isLast(p) {
			parts = append(parts, "    ")
		} else {
			parts = append(parts, "│   ")
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// treeShortHelp is the help bar's line for the tree: the file tree's keys
// but extract, which a diff does not offer.
func treeShortHelp(k filetree.KeyMap) []key.Binding {
	return []key.Binding{k.Toggle, k.Filter, k.ToggleAdded, k.ToggleRemoved, k.ToggleModified, k.ToggleUnmodified, k.Sort, k.Open}
}

func treeFullHelp(k filetree.KeyMap) [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Collapse, k.Expand, k.Toggle, k.ToggleAll, k.Sort, k.Attributes},
		{k.Filter, k.ClearFilter, k.ToggleAdded, k.ToggleRemoved, k.ToggleModified, k.ToggleUnmodified},
		{k.Open},
	}
}
