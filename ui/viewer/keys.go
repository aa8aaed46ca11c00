package viewer

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the viewer's bindings. It feeds the help bar too.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Left, Right      key.Binding
	Close            key.Binding
}

// DefaultKeyMap returns the viewer's default keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys()
	return KeyMap{
		Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		Left:  key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "scroll left")),
		Right: key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "scroll right")),
		Close: key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "close")),
	}
}

// nav are the bindings that scroll up and down.
func (k KeyMap) nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Left, k.Right, k.Close}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Top, k.Bottom, k.Left, k.Right},
		{k.Close},
	}
}
