package treeview

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Title is the pane's title: the one set, the hidden change types and the
// order.
func (m Model) Title() string {
	t := m.title
	var hidden []string
	for c := tree.Unmodified; c <= tree.Removed; c++ {
		if m.rows.hidden.Has(c) {
			hidden = append(hidden, c.String())
		}
	}
	if len(hidden) > 0 {
		t += " · hiding " + strings.Join(hidden, ", ")
	}
	if m.rows.order == BySize {
		t += " · " + m.sortName
	}
	return common.Title(m.number, t)
}

// shownColumns are the attribute columns that fit: the ones dropped last
// stay while the name column would be narrower than minName.
func (m Model) shownColumns(width int) []Column {
	if !m.attrs {
		return nil
	}
	cols := slices.Clone(m.columns)
	for len(cols) > 0 {
		used := 0
		for _, c := range cols {
			used += c.Width + 1
		}
		if width-used-1 >= minName {
			break
		}
		drop := 0
		for i, c := range cols {
			if c.Drop > cols[drop].Drop {
				drop = i
			}
		}
		cols = slices.Delete(cols, drop, drop+1)
	}
	return cols
}

func cell(c Column, s string) string {
	s = ansi.Truncate(s, c.Width, "…")
	pad := strings.Repeat(" ", max(0, c.Width-ansi.StringWidth(s)))
	if c.Left {
		return s + pad
	}
	return pad + s
}

// View draws the pane at its size.
func (m Model) View() string {
	w, h := m.width-2, m.height-2
	if w < 1 || h < 1 {
		return common.Blank(m.width, m.height)
	}
	st := m.styles
	if m.rows.tree == nil || m.message != nil {
		var lines []string
		for _, l := range m.message {
			for _, part := range common.WrapMessage(l, w) {
				lines = append(lines, st.Muted.Render(part))
			}
		}
		return common.Frame(st, common.Title(m.number, m.title), m.focused, w, h, m.withFilterLine(lines, w, h))
	}
	lead := 0
	if st.Markers {
		lead = 2
	}
	textW := w
	total, rowsH := m.rows.total(), m.rowsHeight()
	if total > rowsH {
		textW-- // the scroll bar
	}
	cols := m.shownColumns(textW - lead)
	head := strings.Repeat(" ", lead)
	for _, c := range cols {
		head += cell(c, c.Title) + " "
	}
	if len(cols) > 0 {
		head += " "
	}
	lines := []string{st.Label.Render(common.Pad(head+"Name", w))}
	in := m.rows.inView()
	var body []string
	for _, n := range in {
		body = append(body, m.row(n, cols, textW))
	}
	if total > rowsH && len(body) > 0 {
		for len(body) < rowsH {
			body = append(body, "")
		}
		body = common.WithBar(st, body, w, m.rows.topRank(), total)
	}
	if len(in) == 0 {
		body = append(body, st.Muted.Render(common.Truncate(m.empty, w)))
	}
	lines = append(lines, body...)
	return common.Frame(st, m.Title(), m.focused, w, h, m.withFilterLine(lines, w, h))
}

// withFilterLine puts the filter line last, while there is a filter.
func (m Model) withFilterLine(lines []string, w, h int) []string {
	if !m.filtering && m.Filter() == "" {
		return lines
	}
	for len(lines) < h-1 {
		lines = append(lines, "")
	}
	lines = lines[:max(0, h-1)]
	errText := ""
	if m.filterErr != "" {
		room := max(10, w-len("Filter: ")-ansi.StringWidth(m.editor.Value())-3)
		errText = "  " + m.styles.Error.Render(common.Truncate(strings.TrimPrefix(m.filterErr, "error parsing regexp: "), room))
	}
	room := max(0, w-ansi.StringWidth(errText))
	f := "Filter: " + common.Truncate(m.Filter(), max(0, room-8))
	if m.filtering {
		in := m.editor
		in.SetWidth(max(1, room-len(in.Prompt)-1))
		f = in.View()
	}
	return append(lines, common.Pad(f, room)+errText)
}

// minGuided is the least room the tree's lines leave for a name: deeper
// levels give way to "…" first.
const minGuided = 8

// row draws one row: the attribute cells, the tree's guides, the name and
// what follows it.
func (m Model) row(n Node, cols []Column, width int) string {
	st := m.styles
	info := m.rows.tree.Info(n)
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(cell(c, c.Cell(n)))
		b.WriteByte(' ')
	}
	if len(cols) > 0 {
		b.WriteByte(' ')
	}
	lead := 0
	if st.Markers {
		lead = 2
	}
	used := ansi.StringWidth(b.String())
	// The tree's lines leave the name its width, up to minName cells, and
	// never less than minGuided.
	name := m.rows.tree.Name(n)
	keep := common.Clamp(ansi.StringWidth(common.Truncate(name, minName))+2, minGuided, minName)
	b.WriteString(m.guides(n, max(0, width-lead-used-keep)))
	if !st.Color {
		b.WriteString(common.ChangeMark(info.Change) + " ")
	}
	if info.Dir && m.rows.collapsed.has(n) && m.rows.hasRows(n) {
		name = "⊕ " + name
	}
	room := max(1, width-lead-ansi.StringWidth(b.String()))
	b.WriteString(common.Truncate(name, room))
	if m.suffix != nil {
		if s := m.suffix(n); s != "" {
			b.WriteString(s)
		}
	}
	return st.Row(b.String(), st.Change[info.Change], n == m.rows.cursor, m.focused, width)
}

// guides draws the tree's lines before a node's name in at most width
// cells: when the node is too deep, the levels nearest the root give way
// to "…", so a row costs the same at any depth.
func (m Model) guides(n Node, width int) string {
	levels := max(1, width/4)
	var parts []string
	c := n
	for ; c != Root && c != NoNode && len(parts) < levels; c = m.rows.tree.Parent(c) {
		switch {
		case c == n && m.rows.isLast(c):
			parts = append(parts, "└── ")
		case c == n:
			parts = append(parts, "├── ")
		case m.rows.isLast(c):
			parts = append(parts, "    ")
		default:
			parts = append(parts, "│   ")
		}
	}
	var b strings.Builder
	if c != Root && c != NoNode {
		// Deeper than the width: say so where the cut levels would be.
		parts[len(parts)-1] = fmt.Sprintf("%-4s", "…")
	}
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}
