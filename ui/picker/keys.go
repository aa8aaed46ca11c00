package picker

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the picker's bindings. It feeds the help bar too.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	// Open opens the selected platform: the parent acts on it.
	Open key.Binding
	// Attestations shows the in-toto statements (SBOM, provenance) of the
	// selected platform's attestations in the viewer: the parent acts on
	// it.
	Attestations key.Binding
	// Back returns from an opened platform to the picker; the parent
	// acts on it, in every pane of the image.
	Back key.Binding
}

// DefaultKeyMap returns the picker's default keys.
func DefaultKeyMap() KeyMap {
	n := common.DefaultNavKeys().WithEnds("first platform", "last platform")
	return KeyMap{
		Up: n.Up, Down: n.Down, PageUp: n.PageUp, PageDown: n.PageDown, Top: n.Top, Bottom: n.Bottom,
		Open:         common.Bind("open platform", "enter"),
		Attestations: common.Bind("attestations", "a"),
		Back:         common.Bind("platforms", "p"),
	}
}

// Nav are the bindings that move the cursor.
func (k KeyMap) Nav() common.NavKeys {
	return common.NavKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{common.UpDown(k.Up, k.Down, "platform"), k.Open, k.Attestations}
}

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Nav().FullHelp(), []key.Binding{k.Open, k.Attestations, k.Back})
}
