package packagesview

import (
	"cmp"
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Package is one row: a package the layer's step changed (Change set) or
// one present after the layer (Change empty).
type Package struct {
	// Change is what the step did to it; empty for a package it left as
	// it was.
	Change    packages.ChangeKind
	Ecosystem packages.Ecosystem
	// Name and Version come from the image: drawn through Truncate.
	Name, Version string
	// From is the version before the step, for an upgrade or a downgrade.
	From string
	// Size and Files are what its files take after the layer (before it,
	// for a removed package).
	Size  int64
	Files int
	// Nodes are its files at the layer, for the tree's filter; none for a
	// removed package.
	Nodes []tree.NodeID
}

// Action is what a key asks the parent to do.
type Action uint8

// The actions.
const (
	// Stay: the view stays.
	Stay Action = iota
	// Close shows the file tree again.
	Close
	// Files shows the selected package's files in the tree.
	Files
)

// Model is the packages view. Make one with New.
type Model struct {
	styles  common.Styles
	keys    KeyMap
	list    common.ListPane
	layer   int
	rows    []Package // the changed ones first, then the present
	changed int       // how many rows are changes
	bySize  bool
	message string
	number  int
	asked   Action // what the last Update asked the parent to do
}

// New makes an empty view.
func New(st common.Styles) Model {
	m := Model{styles: st, keys: DefaultKeyMap(), layer: -1, message: "no layer analyzed yet"}
	m.list = common.ListPane{Styles: st, Keys: m.keys.Nav(), Header: true}
	return m
}

// SetKeyMap replaces the bindings.
func (m *Model) SetKeyMap(k KeyMap) {
	m.keys = k
	m.list.Keys = k.Nav()
}

// KeyMap returns the bindings, for the help.
func (m Model) KeyMap() KeyMap { return m.keys }

// SetNumber sets the number drawn in the title, the key that focuses it.
func (m *Model) SetNumber(n int) { m.number = n }

// Focus makes the view take keys.
func (m *Model) Focus() { m.list.Focus() }

// Blur makes it ignore keys.
func (m *Model) Blur() { m.list.Blur() }

// SetSize sets the outer size.
func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h, 1, len(m.rows)) }

// Layer is the layer shown, -1 for none.
func (m Model) Layer() int { return m.layer }

// SetPackages shows layer k's packages: those its step changed and those
// present after it. The cursor goes to the first row when the layer is
// another.
func (m *Model) SetPackages(k int, changed, present []Package) {
	if k != m.layer {
		m.list.List = common.List{}
	}
	m.layer, m.message = k, ""
	m.changed = len(changed)
	m.rows = append(slices.Clone(changed), present...)
	m.sort()
	w, h := m.list.Size()
	m.SetSize(w, h)
}

// SetMessage says why there are no packages to show for layer k.
func (m *Model) SetMessage(k int, s string) {
	m.layer, m.rows, m.changed, m.message = k, nil, 0, s
	m.list.List = common.List{}
}

// Selected is the package under the cursor.
func (m Model) Selected() (Package, bool) {
	if c := m.list.List.Cursor; c >= 0 && c < len(m.rows) {
		return m.rows[c], true
	}
	return Package{}, false
}

// sort orders each part, the changes and the present, by name or by
// size (the largest first).
func (m *Model) sort() {
	by := func(a, b Package) int {
		if m.bySize {
			if c := cmp.Compare(b.Size, a.Size); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Ecosystem, b.Ecosystem), cmp.Compare(a.Version, b.Version))
	}
	slices.SortStableFunc(m.rows[:m.changed], by)
	slices.SortStableFunc(m.rows[m.changed:], by)
}

// Asked is what the last Update asked the parent to do: Stay for
// nothing, Close, or show the selected package's Files.
func (m Model) Asked() Action { return m.asked }

// Update moves the cursor and sorts on the sort key; the parent reads
// what a key asked of it with Asked.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.asked = Stay
	if k, ok := msg.(tea.KeyPressMsg); ok && m.list.Focused() {
		switch {
		case key.Matches(k, m.keys.Close):
			m.asked = Close
			return m, nil
		case key.Matches(k, m.keys.Files):
			if p, ok := m.Selected(); ok && len(p.Nodes) > 0 {
				m.asked = Files
			}
			return m, nil
		case key.Matches(k, m.keys.Sort):
			m.bySize = !m.bySize
			m.sort()
			return m, nil
		}
	}
	m.list.Update(msg, len(m.rows))
	return m, nil
}

// sizeWidth fits every humanize.Bytes result.
const sizeWidth = 7

// View draws the view at its outer size.
func (m Model) View() string {
	head := fmt.Sprintf("%-10s %*s %6s  %s", "Change", sizeWidth, "Size", "Files", "Package")
	row := func(i, width int) (string, lipgloss.Style) {
		p := m.rows[i]
		change := string(p.Change)
		style := lipgloss.NewStyle()
		switch p.Change {
		case "":
			change = "·"
		case packages.Removed:
			style = m.styles.Change[tree.Removed]
		case packages.Added:
			style = m.styles.Change[tree.Added]
		default:
			style = m.styles.Change[tree.Modified]
		}
		text := fmt.Sprintf("%-10s %*s %6d  ", change, sizeWidth, size(p.Size), p.Files)
		name := p.Name + " " + p.Version
		if p.From != "" {
			name = p.Name + " " + p.From + " → " + p.Version
		}
		return text + common.Truncate(name, max(1, width-len(text))), style
	}
	order := "by name"
	if m.bySize {
		order = "largest first"
	}
	title := "Packages"
	if m.number > 0 {
		title = fmt.Sprintf("[%d] Packages", m.number)
	}
	if m.layer >= 0 {
		title += fmt.Sprintf(" · layer %d · %s", m.layer, order)
	}
	empty := m.message
	if empty == "" {
		empty = "no package known at this layer"
	}
	return m.list.View(title, head, empty, len(m.rows), row, []string{m.footer()})
}

// footer says what enter does for the selected package.
func (m Model) footer() string {
	w, _ := m.list.Size()
	p, ok := m.Selected()
	if !ok {
		return ""
	}
	s := fmt.Sprintf("%d changed, %d present · %s: ", m.changed, len(m.rows)-m.changed, p.Ecosystem)
	switch {
	case len(p.Nodes) > 0:
		s += fmt.Sprintf("enter shows its %d %s", len(p.Nodes), plural(len(p.Nodes), "path", "paths"))
	case p.Change == packages.Removed:
		s += "removed here, no files"
	default:
		s += "no files of its own"
	}
	return m.styles.Muted.Render(common.Truncate(s, max(1, w-2)))
}

func size(n int64) string {
	if n <= 0 {
		return "-"
	}
	return humanize.Bytes(uint64(n))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
