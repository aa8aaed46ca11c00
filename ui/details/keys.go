package details

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the detail panes' bindings, the keys that scroll them. It
// feeds the help bar too.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	// ToFiles moves to the file tree: the parent acts on it.
	ToFiles key.Binding
}

// DefaultKeyMap returns dive's keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys()
	return KeyMap{Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		ToFiles: common.Bind("to the files", "right", "l")}
}

// Nav are the bindings that scroll.
func (k KeyMap) Nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{common.UpDown(k.Up, k.Down, "scroll"), k.ToFiles}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Nav().FullHelp(), []key.Binding{k.ToFiles})
}
