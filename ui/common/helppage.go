package common

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// HelpPage is the page of every key, drawn over the panes while open. It
// scrolls like text; the help key and Cancel close it, and the quit key
// quits from it, as its help bar says.
type HelpPage struct {
	open   bool
	styles Styles
	scroll Scroller
	global GlobalKeys
	cancel key.Binding
	nav    NavKeys
}

// HelpAction is what a key did on the help page.
type HelpAction uint8

// What a key on the help page asks the root to do.
const (
	HelpStays HelpAction = iota
	HelpClosed
	HelpQuit
	HelpSuspend
)

// NewHelpPage makes a closed help page.
func NewHelpPage(st Styles) HelpPage {
	return HelpPage{styles: st, scroll: NewScroller(st), global: DefaultGlobalKeys(), cancel: DefaultInputKeys().Cancel, nav: DefaultNavKeys()}
}

// SetKeys sets the global keys, the key that closes the page besides the
// help key, and those that scroll it.
func (h *HelpPage) SetKeys(g GlobalKeys, cancel key.Binding, nav NavKeys) {
	h.global, h.cancel, h.nav = g, cancel, nav
	h.scroll.SetKeys(nav, Bind(""), Bind(""))
}

// Open shows the page.
func (h *HelpPage) Open() { h.open = true }

// IsOpen says whether the page is shown.
func (h HelpPage) IsOpen() bool { return h.open }

// SetSize sets the page's outer size and lays the sections out for it.
func (h *HelpPage) SetSize(w, ht int, sections []HelpSection) {
	h.scroll.SetSize(w-2, max(1, ht-2))
	h.scroll.SetLines(FullHelp(h.styles, w-4, sections))
}

// Key handles a key while the page is open.
func (h *HelpPage) Key(msg tea.KeyPressMsg) HelpAction {
	g := h.global
	switch {
	case key.Matches(msg, g.Help, h.cancel):
		h.open = false
		return HelpClosed
	case key.Matches(msg, g.Quit):
		return HelpQuit
	case key.Matches(msg, g.Suspend):
		return HelpSuspend
	}
	h.scroll.Update(msg)
	return HelpStays
}

// Answer handles a key while the page is open, as every view does: quit
// calls cancel and returns tea.Quit, suspend returns tea.Suspend, and
// closed says the page has closed (the view lays itself out again).
func (h *HelpPage) Answer(msg tea.KeyPressMsg, cancel func()) (closed bool, cmd tea.Cmd) {
	switch h.Key(msg) {
	case HelpClosed:
		return true, nil
	case HelpQuit:
		cancel()
		return false, tea.Quit
	case HelpSuspend:
		return false, tea.Suspend
	}
	return false, nil
}

// View draws the page at w×ht.
func (h HelpPage) View(w, ht int) string {
	title := "All keys · " + KeyLabel(h.global.Help.Keys()) + " or " + KeyLabel(h.cancel.Keys()) + " to close"
	return Frame(h.styles, title, true, w-2, ht-2, h.scroll.View())
}

// Bar is the help bar's keys while the page is open.
func (h HelpPage) Bar() (pane, global []key.Binding) {
	return []key.Binding{UpDown(h.nav.Up, h.nav.Down, "scroll"), Bind("close", slices.Concat(h.global.Help.Keys(), h.cancel.Keys())...)},
		[]key.Binding{h.global.Quit}
}

// TypingBar is the help bar's keys while a line is typed: the input's,
// described as apply and cancel, and the global keys that are not text.
func TypingBar(in InputKeys, g GlobalKeys, apply, cancel string, panes bool) (pane, global []key.Binding) {
	a, c := in.Apply, in.Cancel
	a.SetHelp(a.Help().Key, apply)
	c.SetHelp(c.Help().Key, cancel)
	if panes {
		return []key.Binding{a, c}, NotText(g.SwitchPane, g.NextPane, g.Quit)
	}
	return []key.Binding{a, c}, NotText(g.Quit)
}
