package filetree

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the file tree's keys. Where a dive key cannot be told apart
// in common terminals (ctrl+m is Enter, ctrl+space may arrive as ctrl+@),
// a second binding that works everywhere comes with it and shows in help.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Collapse, Expand, Toggle, ToggleAll   key.Binding
	Filter, ClearFilter, ApplyFilter      key.Binding
	ToggleAdded, ToggleRemoved            key.Binding
	ToggleModified, ToggleUnmodified      key.Binding
	Attributes, Sort, Open, Extract       key.Binding
}

// DefaultKeyMap returns dive's keys.
func DefaultKeyMap() KeyMap {
	nav := common.DefaultNavKeys().WithEnds("first", "last")
	return KeyMap{
		Up:               nav.Up,
		Down:             nav.Down,
		PageUp:           nav.PageUp,
		PageDown:         nav.PageDown,
		Home:             nav.Top,
		End:              nav.Bottom,
		Collapse:         key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "collapse")),
		Expand:           key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "expand")),
		Toggle:           key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "collapse/expand dir")),
		ToggleAll:        key.NewBinding(key.WithKeys("ctrl+space", "ctrl+@", "*"), key.WithHelp("ctrl+space/*", "collapse/expand all")),
		Filter:           key.NewBinding(key.WithKeys("ctrl+f", "/"), key.WithHelp("ctrl+f or /", "filter paths")),
		ClearFilter:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		ApplyFilter:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		ToggleAdded:      key.NewBinding(key.WithKeys("ctrl+a", "alt+a"), key.WithHelp("ctrl+a/alt+a", "added")),
		ToggleRemoved:    key.NewBinding(key.WithKeys("ctrl+r", "alt+r"), key.WithHelp("ctrl+r/alt+r", "removed")),
		ToggleModified:   key.NewBinding(key.WithKeys("ctrl+m", "alt+m"), key.WithHelp("ctrl+m/alt+m", "modified")),
		ToggleUnmodified: key.NewBinding(key.WithKeys("ctrl+u", "alt+u"), key.WithHelp("ctrl+u/alt+u", "unmodified")),
		Attributes:       key.NewBinding(key.WithKeys("ctrl+b"), key.WithHelp("ctrl+b", "attributes")),
		Sort:             key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "sort name/size")),
		Open:             key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "view file")),
		Extract:          key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "extract")),
	}
}

// ShortHelp is the help bar's line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Toggle, k.Filter, k.ToggleAdded, k.ToggleRemoved, k.ToggleModified, k.ToggleUnmodified, k.Open, k.Extract}
}

// FullHelp is the full help's columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Collapse, k.Expand, k.Toggle, k.ToggleAll, k.Sort, k.Attributes},
		{k.Filter, k.ClearFilter, k.ToggleAdded, k.ToggleRemoved, k.ToggleModified, k.ToggleUnmodified},
		{k.Open, k.Extract},
	}
}
