package viewer

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the viewer's bindings. It feeds the help bar too. While the
// viewer is open its keys come before the global ones: q closes it, and
// the search keys search its text.
type KeyMap struct {
	Up, Down             key.Binding
	PageUp, PageDown     key.Binding
	Top, Bottom          key.Binding
	Left, Right          key.Binding
	Close                key.Binding
	Search               key.Binding
	NextMatch, PrevMatch key.Binding
}

// DefaultKeyMap returns the viewer's default keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys()
	return KeyMap{
		Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		Left:      common.Bind("scroll left", "left"),
		Right:     common.Bind("scroll right", "right"),
		Close:     common.Bind("close", "esc", "q"),
		Search:    common.Bind("search", "/", "ctrl+f"),
		NextMatch: common.Bind("next match", "n"),
		PrevMatch: common.Bind("previous match", "N"),
	}
}

// Nav are the bindings that scroll up and down.
func (k KeyMap) Nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{common.UpDown(k.Up, k.Down, "scroll"), k.Close, k.Search, k.NextMatch, k.PrevMatch, k.Left, k.Right}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Top, k.Bottom, k.Left, k.Right},
		{k.Search, k.NextMatch, k.PrevMatch, k.Close},
	}
}

// all are every binding, in the order they are matched.
func (k KeyMap) all() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right, k.Close, k.Search, k.NextMatch, k.PrevMatch}
}

// Takes says whether the viewer has a binding for a key: while it is
// open, it comes before the global keys.
func (k KeyMap) Takes(msg tea.KeyPressMsg) bool { return key.Matches(msg, k.all()...) }

// Bar is the help bar's keys while the viewer is open: its own, and the
// global keys it leaves (help, copy, and quit without q).
func (k KeyMap) Bar(g common.GlobalKeys) (pane, global []key.Binding) {
	for _, b := range []key.Binding{g.Help, g.Copy, g.Quit} {
		global = append(global, common.Without(b, k.all()...))
	}
	return k.ShortHelp(), global
}
