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
	// CompareLayer and CompareAggregated are shown in the help while the
	// pane is focused, but the parent acts on them: the pane ignores them.
	CompareLayer, CompareAggregated key.Binding
}

// DefaultKeyMap returns dive's keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys().WithEnds("first layer", "last layer")
	return KeyMap{
		Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		CompareLayer:      key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "compare: layer")),
		CompareAggregated: key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "compare: aggregated")),
	}
}

// nav are the bindings that move the cursor.
func (k KeyMap) nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.CompareLayer, k.CompareAggregated}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.nav().FullHelp(), []key.Binding{k.CompareLayer, k.CompareAggregated})
}
