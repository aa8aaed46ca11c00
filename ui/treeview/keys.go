package treeview

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the tree's keys, dive's file tree keys. Where a dive key
// cannot be told apart in common terminals (ctrl+m is Enter, ctrl+space
// may arrive as ctrl+@), a second binding that works everywhere comes
// with it and shows in help. The filter is opened by the global filter
// key, and typed with common.InputKeys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Collapse, Expand, Toggle, ToggleAll     key.Binding
	ClearFilter                             key.Binding
	ToggleAdded, ToggleRemoved              key.Binding
	ToggleModified, ToggleUnmodified        key.Binding
	Attributes, Sort, Open, Extract         key.Binding
}

// DefaultKeyMap returns dive's keys.
func DefaultKeyMap() KeyMap {
	nav := common.DefaultNavKeys().WithEnds("first", "last")
	return KeyMap{
		Up: nav.Up, Down: nav.Down, PageUp: nav.PageUp, PageDown: nav.PageDown, Top: nav.Top, Bottom: nav.Bottom,
		Collapse:         common.Bind("collapse", "left", "h"),
		Expand:           common.Bind("expand", "right", "l"),
		Toggle:           common.Bind("fold dir", "space"),
		ToggleAll:        common.Bind("fold all", "ctrl+space", "ctrl+@", "*"),
		ClearFilter:      common.Bind("clear filter", "esc"),
		ToggleAdded:      common.Bind("added on/off", "ctrl+a", "alt+a"),
		ToggleRemoved:    common.Bind("removed on/off", "ctrl+r", "alt+r"),
		ToggleModified:   common.Bind("modified on/off", "ctrl+m", "alt+m"),
		ToggleUnmodified: common.Bind("unmodified on/off", "ctrl+u", "alt+u"),
		Attributes:       common.Bind("columns on/off", "ctrl+b"),
		Sort:             common.Bind("sort name/size", "ctrl+o"),
		Open:             common.Bind("view file", "enter"),
		Extract:          common.Bind("extract", "ctrl+e"),
	}
}

// Nav are the keys that move the cursor.
func (k KeyMap) Nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the help bar's line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{common.UpDown(k.Up, k.Down, "move"), k.Toggle, k.Open, k.ToggleAdded, k.ToggleRemoved, k.ToggleModified,
		k.ToggleUnmodified, k.Extract, k.Sort, k.Attributes}
}

// FullHelp is every key, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Collapse, k.Expand, k.Toggle, k.ToggleAll, k.Sort, k.Attributes},
		{k.ClearFilter, k.ToggleAdded, k.ToggleRemoved, k.ToggleModified, k.ToggleUnmodified},
		{k.Open, k.Extract},
	}
}
