package app

import "charm.land/bubbles/v2/key"

// KeyMap are the keys that work whatever pane has the focus.
type KeyMap struct {
	NextPane, PrevPane key.Binding
	Help               key.Binding
	Quit               key.Binding
	Suspend            key.Binding
}

// DefaultKeyMap returns dive's global keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Suspend:  key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend")),
	}
}

// ShortHelp is the global part of the help bar.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Help, k.Quit}
}

// FullHelp is the global column of the full help.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.NextPane, k.PrevPane, k.Help, k.Quit, k.Suspend}}
}
