package filetree

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// OpenFileMsg asks to show a file's contents from the layer in view.
type OpenFileMsg struct {
	Node  tree.NodeID
	Path  string
	Layer int
}

// ExtractMsg asks to extract a file or directory as it is at the layer in
// view.
type ExtractMsg struct {
	Node  tree.NodeID
	Path  string
	Layer int
}

// Model is the file tree pane.
type Model struct {
	vm        *VM
	keys      KeyMap
	styles    common.Styles
	width     int
	height    int
	focused   bool
	attrs     bool
	filtering bool
	input     textinput.Model
	filterErr string
}

// New makes an empty file tree pane.
func New(st common.Styles) Model {
	in := textinput.New()
	in.Prompt = "Filter: "
	in.Placeholder = "regular expression or text"
	return Model{vm: NewVM(), keys: DefaultKeyMap(), styles: st, attrs: true, input: in}
}

// SetKeyMap replaces the keys.
func (m *Model) SetKeyMap(k KeyMap) { m.keys = k }

// KeyMap returns the keys, for the help bar.
func (m Model) KeyMap() KeyMap { return m.keys }

// SetStyles replaces the styles.
func (m *Model) SetStyles(st common.Styles) { m.styles = st }

// SetSize sets the outer size of the pane.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vm.SetHeight(m.rowsHeight())
	m.input.SetWidth(max(1, w-12))
}

func (m Model) rowsHeight() int {
	h := m.height - 3 // borders and the column header
	if m.filtering || m.vm.Filter() != "" {
		h--
	}
	return max(1, h)
}

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away.
func (m *Model) Blur() {
	m.focused = false
	m.filtering = false
	m.input.Blur()
}

// Focused says whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// Filtering says whether the filter line is taking keys.
func (m Model) Filtering() bool { return m.filtering }

// SetView shows another layer or compare mode.
func (m *Model) SetView(v *tree.View) { m.vm.SetView(v) }

// Refresh recomputes the tree after more layers were stacked.
func (m *Model) Refresh() { m.vm.Refresh() }

// VM exposes the view-model.
func (m Model) VM() *VM { return m.vm }

// ShowAttributes sets whether permission, owner and size columns show.
func (m *Model) ShowAttributes(on bool) { m.attrs = on }

// HideChanges sets the change types hidden from the start.
func (m *Model) HideChanges(hidden tree.ChangeSet) {
	for c := tree.Unmodified; c <= tree.Removed; c++ {
		m.vm.SetHidden(c, hidden.Has(c))
	}
}

// Update handles keys and mouse events.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.vm.View() == nil {
		return m, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.filtering {
			return m.updateFilter(msg)
		}
		return m.updateKeys(msg)
	case tea.MouseClickMsg:
		row := msg.Mouse().Y - 2 // border and header
		rows := m.vm.Rows()
		if row >= 0 && row < len(rows) {
			if rows[row] == m.vm.Cursor() && m.vm.IsDir(rows[row]) {
				m.vm.Toggle()
			} else {
				m.vm.Select(rows[row])
			}
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			m.vm.Up(3)
		case tea.MouseWheelDown:
			m.vm.Down(3)
		}
	}
	return m, nil
}

func (m Model) updateKeys(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k, vm := m.keys, m.vm
	page := max(1, m.rowsHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		vm.Up(1)
	case key.Matches(msg, k.Down):
		vm.Down(1)
	case key.Matches(msg, k.PageUp):
		vm.Up(page)
	case key.Matches(msg, k.PageDown):
		vm.Down(page)
	case key.Matches(msg, k.Home):
		vm.Home()
	case key.Matches(msg, k.End):
		vm.End()
	case key.Matches(msg, k.Collapse):
		vm.Collapse()
	case key.Matches(msg, k.Expand):
		vm.Expand()
	case key.Matches(msg, k.Toggle):
		vm.Toggle()
	case key.Matches(msg, k.ToggleAll):
		vm.ToggleAll()
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.input.SetValue(vm.Filter())
		m.input.CursorEnd()
		vm.SetHeight(m.rowsHeight())
		return m, m.input.Focus()
	case key.Matches(msg, k.ClearFilter):
		m.clearFilter()
	case key.Matches(msg, k.ToggleAdded):
		vm.ToggleHidden(tree.Added)
	case key.Matches(msg, k.ToggleRemoved):
		vm.ToggleHidden(tree.Removed)
	case key.Matches(msg, k.ToggleModified):
		vm.ToggleHidden(tree.Modified)
	case key.Matches(msg, k.ToggleUnmodified):
		vm.ToggleHidden(tree.Unmodified)
	case key.Matches(msg, k.Attributes):
		m.attrs = !m.attrs
	case key.Matches(msg, k.Sort):
		if vm.Order() == ByName {
			vm.SetOrder(BySize)
		} else {
			vm.SetOrder(ByName)
		}
	case key.Matches(msg, k.Open):
		if n := vm.Cursor(); n != tree.NoNode {
			if e, ok := vm.View().Entry(n); ok && !e.IsDir() {
				return m, m.emit(OpenFileMsg{Node: n, Path: vm.tree.Path(n), Layer: vm.View().Layer})
			}
			vm.Toggle()
		}
	case key.Matches(msg, k.Extract):
		if n := vm.Cursor(); n != tree.NoNode {
			return m, m.emit(ExtractMsg{Node: n, Path: vm.tree.Path(n), Layer: vm.View().Layer})
		}
	}
	return m, nil
}

func (m Model) emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

func (m *Model) clearFilter() {
	m.filtering = false
	m.filterErr = ""
	m.input.Blur()
	m.input.SetValue("")
	m.vm.SetFilter("")
	m.vm.SetHeight(m.rowsHeight())
}

// updateFilter edits the filter live: every keystroke applies the pattern;
// an invalid one shows its error and keeps the last good filter.
func (m Model) updateFilter(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ClearFilter):
		m.clearFilter()
		return m, nil
	case key.Matches(msg, m.keys.ApplyFilter):
		m.filtering = false
		m.input.Blur()
		m.vm.SetHeight(m.rowsHeight())
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if err := m.vm.SetFilter(m.input.Value()); err != nil {
		m.filterErr = err.Error()
	} else {
		m.filterErr = ""
	}
	m.vm.SetHeight(m.rowsHeight())
	return m, cmd
}

// Title is the pane's title.
func (m Model) Title() string {
	v := m.vm.View()
	if v == nil {
		return "Files"
	}
	t := fmt.Sprintf("Layer %d contents", v.Layer)
	if v.Mode == tree.CompareAggregated {
		t = fmt.Sprintf("Aggregated contents, layers 1–%d", v.Layer)
		if v.Layer == 0 {
			t = "Aggregated contents, layer 0"
		}
	}
	var hidden []string
	for c := tree.Unmodified; c <= tree.Removed; c++ {
		if m.vm.Hidden(c) {
			hidden = append(hidden, c.String())
		}
	}
	if len(hidden) > 0 {
		t += " · hiding " + strings.Join(hidden, ", ")
	}
	if m.vm.Order() == BySize {
		t += " · by size"
	}
	return t
}

// View draws the pane at its size.
func (m Model) View() string {
	w, h := m.width-2, m.height-2
	if w < 1 || h < 1 {
		return ""
	}
	var lines []string
	if m.vm.View() == nil {
		lines = []string{m.styles.Muted.Render("waiting for the layer to be analyzed…")}
		return common.Frame(m.styles, "Files", m.focused, w, h, lines)
	}
	lines = append(lines, m.styles.Label.Render(m.header()))
	rows := m.vm.Rows()
	for _, n := range rows {
		lines = append(lines, m.row(n, w))
	}
	if len(rows) == 0 {
		lines = append(lines, m.styles.Muted.Render("nothing to show (see the filter and hidden change types)"))
	}
	if m.filtering || m.vm.Filter() != "" {
		for len(lines) < h-1 {
			lines = append(lines, "")
		}
		lines = lines[:h-1]
		errText := ""
		if m.filterErr != "" {
			errText = "  " + m.styles.Error.Render(m.filterErr)
		}
		f := "Filter: " + m.vm.Filter()
		if m.filtering {
			in := m.input
			in.SetWidth(max(1, w-len("Filter: ")-1-len(m.filterErr)-2))
			f = in.View()
		}
		f = common.Pad(f, max(0, w-len(m.filterErr)-2)) + errText
		lines = append(lines, f)
	}
	return common.Frame(m.styles, m.Title(), m.focused, w, h, lines)
}

func (m Model) header() string {
	if !m.attrs {
		return "Name"
	}
	return fmt.Sprintf("%-10s %11s %8s  %s", "Permission", "UID:GID", "Size", "Name")
}

// row draws one tree row.
func (m Model) row(n tree.NodeID, width int) string {
	vm, v := m.vm, m.vm.View()
	var b strings.Builder
	if m.attrs {
		if e, ok := v.Entry(n); ok {
			size := humanize.Bytes(uint64(vm.Size(n)))
			switch {
			case v.Own(n) == tree.Removed && !e.IsDir():
				size = humanize.Bytes(uint64(e.Size)) // what was removed
			case e.IsDir() && vm.Size(n) == 0:
				size = "-"
			}
			fmt.Fprintf(&b, "%-10s %11s %8s  ", tree.FormatMode(e.Mode), v.Tree.FormatOwner(e), size)
		} else {
			fmt.Fprintf(&b, "%-10s %11s %8s  ", "", "", "")
		}
	}
	b.WriteString(m.guides(n))
	change := v.Change(n)
	if !m.styles.Color {
		b.WriteString([]string{" ", "+", "~", "-"}[change] + " ")
	}
	name := vm.tree.Name(n)
	if vm.IsDir(n) && vm.Collapsed(n) && vm.HasRows(n) {
		name = "⊕ " + name
	}
	if e, ok := v.Entry(n); ok && v.Tree.Link(e) != "" {
		switch link := v.Tree.Link(e); e.Type {
		case '2':
			name += " → " + link
		case '1':
			name += " ⇒ /" + strings.TrimPrefix(link, "/")
		}
	}
	b.WriteString(common.Sanitize(name))
	line := common.Pad(b.String(), width)
	style := m.styles.Change[change]
	if n == vm.Cursor() {
		if m.focused {
			style = style.Inherit(m.styles.Selected)
		} else {
			style = style.Inherit(m.styles.SelectedBlurred)
		}
	}
	return style.Render(line)
}

// guides draws the tree lines before a node's name.
func (m Model) guides(n tree.NodeID) string {
	vm := m.vm
	var parts []string
	if vm.IsLast(n) {
		parts = append(parts, "└── ")
	} else {
		parts = append(parts, "├── ")
	}
	for p := vm.tree.Parent(n); p != tree.Root && p != tree.NoNode; p = vm.tree.Parent(p) {
		if vm.IsLast(p) {
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

// AtLeftEdge says whether collapsing would do nothing: the cursor is on a
// top-level row that is not an expanded directory. The root model then
// moves the focus left, to the layers.
func (m Model) AtLeftEdge() bool {
	vm := m.vm
	n := vm.Cursor()
	if n == tree.NoNode {
		return true
	}
	if vm.tree.Parent(n) != tree.Root {
		return false
	}
	return !vm.IsDir(n) || vm.Collapsed(n) || !vm.HasRows(n)
}
