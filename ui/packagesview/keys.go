package packagesview

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the view's bindings. It feeds the help bar too.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	// Sort orders the packages by name or by size.
	Sort key.Binding
	// Files shows the selected package's files in the tree; Close shows
	// the tree as it was. The parent acts on both.
	Files, Close key.Binding
	// Open shows the view in the file tree's place, or the tree again,
	// from any pane; the parent acts on it.
	Open key.Binding
}

// DefaultKeyMap returns the view's default keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys().WithEnds("first", "last")
	return KeyMap{
		Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		Sort:  common.Bind("sort name/size", "ctrl+o"),
		Files: common.Bind("its files", "enter"),
		Close: common.Bind("back to files", "esc"),
		Open:  common.Bind("packages", "P"),
	}
}

// Nav are the bindings that move the cursor.
func (k KeyMap) Nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{common.UpDown(k.Up, k.Down, "package"), k.Files, k.Sort, k.Close}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Nav().FullHelp(), []key.Binding{k.Files, k.Sort, k.Close})
}
