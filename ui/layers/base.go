package layers

import "fmt"

// baseMark starts the command of a layer of the base, drawn dim.
const baseMark = "base · "

// SetBase marks the first n layers as the image's base's (0: no base is
// known, or its layers were not compared with the image's).
func (m *Model) SetBase(n int) {
	sel := m.Selected()
	m.base = max(0, n)
	if m.base == 0 {
		m.hideBase = false
	}
	m.SetSelected(max(sel, 0))
}

// Base is how many of the first layers are the base's.
func (m Model) Base() int { return m.base }

// BaseHidden says whether the base's layers are hidden.
func (m Model) BaseHidden() bool { return m.hideBase && m.first() > 0 }

// ToggleBase hides the base's layers, or shows them again (dive#441);
// the cursor stays on its layer, or goes to the first one shown.
func (m *Model) ToggleBase() {
	if m.base == 0 {
		return
	}
	sel := m.Selected()
	m.hideBase = !m.hideBase
	m.SetSelected(max(sel, m.first()))
	m.list.List.Move(0, m.shown(), m.list.RowsHeight())
}

// first is the first layer listed: past the base's when they are hidden
// (and some layer is above them).
func (m Model) first() int {
	if m.hideBase && m.base < len(m.declared) {
		return m.base
	}
	return 0
}

// shown is how many layers are listed.
func (m Model) shown() int { return len(m.declared) - m.first() }

// baseTitle says in the title that the base's layers are hidden.
func (m Model) baseTitle() string {
	if m.BaseHidden() {
		return fmt.Sprintf(" · base's %d hidden", m.first())
	}
	return ""
}
