package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Panes is the focus among a root's panes, numbered on screen from 1 in
// the order of the number keys.
type Panes struct {
	// Focus is the focused pane, 0 for the pane numbered 1.
	Focus int
	// Count is how many panes there are (at most 5).
	Count int
	// Home and Tree are the panes the switch key moves between: from the
	// tree to Home, from anywhere else to the tree.
	Home, Tree int
}

// Key moves the focus on the global pane keys and says whether msg was
// one of them.
func (p *Panes) Key(msg tea.KeyPressMsg, k GlobalKeys) bool {
	switch {
	case key.Matches(msg, k.SwitchPane):
		if p.Focus == p.Tree {
			p.Focus = p.Home
		} else {
			p.Focus = p.Tree
		}
	case key.Matches(msg, k.NextPane):
		p.Focus = (p.Focus + 1) % p.Count
	default:
		for i, b := range k.Panes()[:p.Count] {
			if key.Matches(msg, b) {
				p.Focus = i
				return true
			}
		}
		return false
	}
	return true
}

// Help is the help entries of the pane keys.
func (p Panes) Help(k GlobalKeys) []key.Binding {
	return []key.Binding{k.SwitchPane, k.NextPane, k.PaneHelp(p.Count)}
}
