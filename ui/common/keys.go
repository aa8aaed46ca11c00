package common

import (
	"slices"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Bind makes a binding whose help shows its keys, as KeyLabel spells
// them, and desc.
func Bind(desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(KeyLabel(keys), desc))
}

// Rebind gives a binding other keys, and the help that names them.
func Rebind(b *key.Binding, keys []string) {
	b.SetKeys(keys...)
	b.SetHelp(KeyLabel(keys), b.Help().Desc)
}

// KeyLabel is how the help spells keys: "↑/k", "pgdn", "ctrl+f, /".
func KeyLabel(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		case "pgdown":
			k = "pgdn"
		}
		names[i] = k
	}
	if slices.Contains(keys, "/") {
		return strings.Join(names, ", ")
	}
	return strings.Join(names, "/")
}

// Without is a copy of b without the keys other bindings take, and with
// the help that names the keys left: what b still does in a place where
// the others come first. It is disabled when no key is left.
func Without(b key.Binding, others ...key.Binding) key.Binding {
	var left []string
	for _, k := range b.Keys() {
		taken := false
		for _, o := range others {
			if o.Enabled() && slices.Contains(o.Keys(), k) {
				taken = true
			}
		}
		if !taken {
			left = append(left, k)
		}
	}
	out := key.NewBinding(key.WithKeys(left...), key.WithHelp(KeyLabel(left), b.Help().Desc))
	if len(left) == 0 {
		out.SetEnabled(false)
	}
	return out
}

// Printable says whether a key press types text: a filter or search line
// takes those, and the global keys that are not printable still work.
func Printable(msg tea.KeyPressMsg) bool {
	return msg.Text != "" && msg.Mod&^tea.ModShift == 0
}

// IsText says whether a key, as bindings name it, types text: a single
// character, or space.
func IsText(key string) bool { return key == "space" || utf8.RuneCountInString(key) == 1 }

// NotText are bindings without their keys that type text: what still
// works while a line is typed. Bindings left with no key are dropped.
func NotText(bs ...key.Binding) []key.Binding {
	var out []key.Binding
	for _, b := range bs {
		var ks []string
		for _, k := range b.Keys() {
			if !IsText(k) {
				ks = append(ks, k)
			}
		}
		if len(ks) > 0 {
			out = append(out, Bind(b.Help().Desc, ks...))
		}
	}
	return out
}

// NavKeys are the keys that move through the rows of a pane. A pane's
// KeyMap holds them as fields of its own of the same names.
type NavKeys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
}

// DefaultNavKeys returns dive's navigation keys.
func DefaultNavKeys() NavKeys {
	return NavKeys{
		Up:       Bind("up", "up", "k"),
		Down:     Bind("down", "down", "j"),
		PageUp:   Bind("page up", "pgup"),
		PageDown: Bind("page down", "pgdown"),
		Top:      Bind("top", "home", "g"),
		Bottom:   Bind("bottom", "end", "G"),
	}
}

// WithEnds returns the keys with Top and Bottom described in the help as
// top and bottom: "first layer", "last layer".
func (k NavKeys) WithEnds(top, bottom string) NavKeys {
	k.Top.SetHelp(k.Top.Help().Key, top)
	k.Bottom.SetHelp(k.Bottom.Help().Key, bottom)
	return k
}

// ShortHelp is the one-line help: one entry for up and down.
func (k NavKeys) ShortHelp() []key.Binding {
	return []key.Binding{UpDown(k.Up, k.Down, "move")}
}

// FullHelp is the expanded help, in columns.
func (k NavKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Top, k.Bottom}}
}

// UpDown is one help entry for two bindings: "↑↓ move" for up and down
// keys that are the arrows first.
func UpDown(up, down key.Binding, desc string) key.Binding {
	l := func(b key.Binding) string {
		if ks := b.Keys(); len(ks) > 0 {
			return KeyLabel(ks[:1])
		}
		return ""
	}
	b := key.NewBinding(key.WithKeys(append(slices.Clone(up.Keys()), down.Keys()...)...), key.WithHelp(l(up)+l(down), desc))
	b.SetEnabled(up.Enabled() || down.Enabled())
	return b
}

// Delta is how far a key moves: rows up (negative) or down, page being
// the rows in view (at least one is moved) and total all rows. ok is
// false for other keys.
func (k NavKeys) Delta(msg tea.KeyPressMsg, page, total int) (d int, ok bool) {
	page = max(1, page)
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -total, true
	case key.Matches(msg, k.Bottom):
		return total, true
	}
	return 0, false
}

// GlobalKeys are the keys that work whatever pane has the focus.
type GlobalKeys struct {
	// SwitchPane moves between the layers and the tree, as dive's tab.
	SwitchPane key.Binding
	// NextPane cycles through every pane.
	NextPane key.Binding
	// Pane1 to Pane5 focus the pane of that number.
	Pane1, Pane2, Pane3, Pane4, Pane5 key.Binding
	// Filter filters the tree's paths from any pane (in the file viewer it
	// searches the text).
	Filter key.Binding
	// Copy puts what is selected on the clipboard.
	Copy    key.Binding
	Help    key.Binding
	Quit    key.Binding
	Suspend key.Binding
}

// DefaultGlobalKeys returns dive's global keys.
func DefaultGlobalKeys() GlobalKeys {
	return GlobalKeys{
		SwitchPane: Bind("layers ↔ files", "tab"),
		NextPane:   Bind("next pane", "shift+tab"),
		Pane1:      Bind("pane 1", "1"),
		Pane2:      Bind("pane 2", "2"),
		Pane3:      Bind("pane 3", "3"),
		Pane4:      Bind("pane 4", "4"),
		Pane5:      Bind("pane 5", "5"),
		Filter:     Bind("filter", "ctrl+f", "/"),
		Copy:       Bind("copy", "y"),
		Help:       Bind("keys", "?"),
		Quit:       Bind("quit", "q", "ctrl+c"),
		Suspend:    Bind("suspend", "ctrl+z"),
	}
}

// Panes are the number keys, pane 1 first.
func (k GlobalKeys) Panes() []key.Binding {
	return []key.Binding{k.Pane1, k.Pane2, k.Pane3, k.Pane4, k.Pane5}
}

// PaneHelp is one help entry for the number keys of n panes: "1-5 pane".
func (k GlobalKeys) PaneHelp(n int) key.Binding {
	ps := k.Panes()[:n]
	var all []string
	for _, p := range ps {
		all = append(all, p.Keys()...)
	}
	label := KeyLabel(all)
	if first, last := ps[0].Keys(), ps[n-1].Keys(); len(all) == n && len(first) == 1 && len(last) == 1 {
		label = first[0] + "-" + last[0]
	}
	return key.NewBinding(key.WithKeys(all...), key.WithHelp(label, "pane"))
}

// InputKeys are the keys of a line being typed: a filter or a search.
// Every other printable key is text.
type InputKeys struct {
	Apply, Cancel key.Binding
}

// DefaultInputKeys returns the keys of a line being typed.
func DefaultInputKeys() InputKeys {
	return InputKeys{Apply: Bind("keep", "enter"), Cancel: Bind("clear", "esc")}
}

// LineEditor is a text input for a filter or a search, with prompt and a
// cursor that does not blink: a line being typed sends no ticks, and the
// screen is redrawn only when a key is pressed.
func LineEditor(prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt, in.Placeholder = prompt, placeholder
	s := in.Styles()
	s.Cursor.Blink = false
	in.SetStyles(s)
	return in
}
