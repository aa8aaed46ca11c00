package layers

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the Layers pane's bindings. It feeds the help bar too.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	// CompareLayer and CompareAggregated switch the file tree's compare
	// mode, and ToFiles moves to the file tree: the parent acts on them.
	CompareLayer, CompareAggregated key.Binding
	ToFiles                         key.Binding
	// HideBase hides or shows the layers of the image's base, when it is
	// known.
	HideBase key.Binding
}

// DefaultKeyMap returns dive's keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys().WithEnds("first layer", "last layer")
	return KeyMap{
		Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		CompareLayer:      common.Bind("layer changes", "ctrl+l"),
		CompareAggregated: common.Bind("all changes", "ctrl+a"),
		ToFiles:           common.Bind("to the files", "right", "l"),
		HideBase:          common.Bind("base layers on/off", "b"),
	}
}

// Nav are the bindings that move the cursor.
func (k KeyMap) Nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{common.UpDown(k.Up, k.Down, "layer"), k.CompareLayer, k.CompareAggregated, k.HideBase}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Nav().FullHelp(), []key.Binding{k.CompareLayer, k.CompareAggregated, k.ToFiles, k.HideBase})
}
