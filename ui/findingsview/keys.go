package findingsview

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the overlay's bindings. While it is open they come before
// the global ones, as the viewer's do.
type KeyMap struct {
	Up, Down             key.Binding
	PageUp, PageDown     key.Binding
	Top, Bottom          key.Binding
	ScrollUp, ScrollDown key.Binding // the selected finding's details
	// Jump closes the overlay and shows the finding's layer and path.
	Jump  key.Binding
	Close key.Binding
	// Open opens the overlay from any pane; the parent acts on it.
	Open key.Binding
}

// DefaultKeyMap returns the overlay's default keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys().WithEnds("largest", "smallest")
	return KeyMap{
		Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		ScrollUp:   common.Bind("scroll details up", "shift+up", "K"),
		ScrollDown: common.Bind("scroll details down", "shift+down", "J"),
		Jump:       common.Bind("go to its layer and path", "enter"),
		Close:      common.Bind("close", "esc", "q", "F"),
		Open:       common.Bind("findings", "F"),
	}
}

// Nav are the bindings that move through the findings.
func (k KeyMap) Nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{common.UpDown(k.Up, k.Down, "finding"), k.Jump, k.Close, k.ScrollDown}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Top, k.Bottom, k.ScrollUp, k.ScrollDown},
		{k.Jump, k.Close},
	}
}

func (k KeyMap) all() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollUp, k.ScrollDown, k.Jump, k.Close}
}

// Takes says whether the overlay has a binding for a key: while it is
// open, it comes before the global keys.
func (k KeyMap) Takes(msg tea.KeyPressMsg) bool { return key.Matches(msg, k.all()...) }

// Bar is the help bar's keys while the overlay is open: its own, and the
// global keys it leaves (help, and quit without q).
func (k KeyMap) Bar(g common.GlobalKeys) (pane, global []key.Binding) {
	for _, b := range []key.Binding{g.Help, g.Quit} {
		global = append(global, common.Without(b, k.all()...))
	}
	return k.ShortHelp(), global
}
