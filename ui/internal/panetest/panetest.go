package panetest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/strata-dev/strata/ui/common"
)

// The keys the tests of single panes press.
var (
	Down   = tea.KeyPressMsg{Code: tea.KeyDown}
	Up     = tea.KeyPressMsg{Code: tea.KeyUp}
	Left   = tea.KeyPressMsg{Code: tea.KeyLeft}
	Right  = tea.KeyPressMsg{Code: tea.KeyRight}
	J      = tea.KeyPressMsg{Code: 'j', Text: "j"}
	K      = tea.KeyPressMsg{Code: 'k', Text: "k"}
	PgDown = tea.KeyPressMsg{Code: tea.KeyPgDown}
	PgUp   = tea.KeyPressMsg{Code: tea.KeyPgUp}
	Home   = tea.KeyPressMsg{Code: tea.KeyHome}
	End    = tea.KeyPressMsg{Code: tea.KeyEnd}
	G      = tea.KeyPressMsg{Code: 'g', Text: "g"}
	ShiftG = tea.KeyPressMsg{Code: 'g', ShiftedCode: 'G', Mod: tea.ModShift, Text: "G"}
	Esc    = tea.KeyPressMsg{Code: tea.KeyEscape}
	Q      = tea.KeyPressMsg{Code: 'q', Text: "q"}
	CtrlA  = tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl}
)

// named are the key names of bubbletea and their codes.
func named(name string) (rune, bool) {
	codes := map[string]rune{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "backspace": tea.KeyBackspace, "esc": tea.KeyEscape,
		"space": tea.KeySpace, "up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"insert": tea.KeyInsert, "delete": tea.KeyDelete, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd,
	}
	c, ok := codes[name]
	return c, ok
}

// Press is the key press of a key as bindings name it: "ctrl+a", "G",
// "shift+tab", "pgdown", "?".
func Press(name string) tea.KeyPressMsg {
	parts := strings.Split(name, "+")
	base := parts[len(parts)-1]
	if strings.HasSuffix(name, "++") || name == "+" {
		base, parts = "+", parts[:len(parts)-1]
	}
	var msg tea.KeyPressMsg
	for _, mod := range parts[:len(parts)-1] {
		msg.Mod |= map[string]tea.KeyMod{"ctrl": tea.ModCtrl, "alt": tea.ModAlt, "shift": tea.ModShift, "meta": tea.ModMeta}[mod]
	}
	if c, ok := named(base); ok {
		msg.Code = c
		if c == tea.KeySpace && msg.Mod == 0 {
			msg.Text = " "
		}
		return msg
	}
	r, _ := utf8.DecodeRuneInString(base)
	msg.Code = r
	if msg.Mod&^tea.ModShift == 0 {
		msg.Text = base
	}
	return msg
}

// Key is the key press of a binding's first key: what a user of the
// binding presses, whatever it is bound to.
func Key(b key.Binding) tea.KeyPressMsg {
	ks := b.Keys()
	if len(ks) == 0 {
		panic("panetest: a binding with no keys")
	}
	return Press(ks[0])
}

// Keys are the key presses of bindings' first keys.
func Keys(bs ...key.Binding) []tea.Msg {
	out := make([]tea.Msg, len(bs))
	for i, b := range bs {
		out[i] = Key(b)
	}
	return out
}

// Type is the key presses that type text.
func Type(text string) []tea.Msg {
	var out []tea.Msg
	for _, r := range text {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// Pane is a pane's model: Update returns its own type.
type Pane[M any] interface {
	Update(tea.Msg) (M, tea.Cmd)
}

// Send gives the messages to the pane in turn, dropping the commands.
func Send[M Pane[M]](m M, msgs ...tea.Msg) M {
	for _, msg := range msgs {
		m, _ = m.Update(msg)
	}
	return m
}

// Run delivers msgs to a root model and everything the commands they
// cause send back, as the Bubble Tea runtime does but synchronously:
// commands run on goroutines of their own, their messages are delivered
// in turn, and Run returns when none is left (ticks are dropped) or the
// model quits.
func Run[M tea.Model](t testing.TB, m M, msgs ...tea.Msg) M {
	t.Helper()
	queue := append([]tea.Msg(nil), msgs...)
	results := make(chan tea.Msg, 64)
	pending := 0
	start := func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		pending++
		go func() { results <- cmd() }()
	}
	deadline := time.After(30 * time.Second)
	for len(queue) > 0 || pending > 0 {
		var msg tea.Msg
		if len(queue) > 0 {
			msg, queue = queue[0], queue[1:]
		} else {
			select {
			case msg = <-results:
				pending--
			case <-deadline:
				t.Fatal("commands did not finish")
			}
		}
		switch msg := msg.(type) {
		case nil, common.TickMsg:
			continue
		case tea.BatchMsg:
			for _, c := range msg {
				start(c)
			}
			continue
		case tea.QuitMsg:
			return m
		}
		next, cmd := m.Update(msg)
		m = next.(M)
		start(cmd)
	}
	return m
}

// Screen is what the user reads: the view without colours, line by line.
func Screen(view string) []string { return strings.Split(ansi.Strip(view), "\n") }

// Inner is the screen inside the border, each line right-trimmed of
// spaces and the scroll bar.
func Inner(view string) []string {
	lines := Screen(view)
	return Unframe(lines[1 : len(lines)-1])
}

// Unframe cuts the border's columns off screen lines and right-trims
// each of spaces and the scroll bar.
func Unframe(lines []string) []string {
	var out []string
	for _, l := range lines {
		l = ansi.Cut(l, 1, ansi.StringWidth(l)-1)
		out = append(out, strings.TrimRight(l, " │┃"))
	}
	return out
}

// Contains says whether any of the lines holds s.
func Contains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// RequireSize fails the test unless the view is exactly w cells wide and
// h lines high.
func RequireSize(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := Screen(view)
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d:\n%s", len(lines), h, ansi.Strip(view))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, lw, w, l)
		}
	}
}

// RequireLines fails the test unless the lines are want, in full.
func RequireLines(t testing.TB, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// RequireGolden compares the view without colours with the test's
// golden file, testdata/<test name>.golden; -update rewrites it.
func RequireGolden(t testing.TB, view string) {
	t.Helper()
	golden.RequireEqual(t, ansi.Strip(view))
}

// Styles are the dark theme's styles in a mode: common.NoColour as with
// NO_COLOR, common.Plain as with TERM=dumb.
func Styles(t testing.TB, mode common.Mode) common.Styles {
	t.Helper()
	theme, err := common.LookupTheme("dark")
	if err != nil {
		t.Fatal(err)
	}
	return common.NewStyles(theme, mode)
}

// NoColor are the dark theme's styles without colour, as with NO_COLOR.
func NoColor(t testing.TB) common.Styles { return Styles(t, common.NoColour) }

// RequireMonochromeSelection fails the test unless the view, drawn
// without colour, shows a selection in reverse video and no foreground
// colour.
func RequireMonochromeSelection(t testing.TB, view string) {
	t.Helper()
	if !strings.Contains(view, "\x1b[7m") {
		t.Errorf("no reverse video for the selection without colour:\n%q", view)
	}
	if strings.Contains(view, "\x1b[38") {
		t.Errorf("a foreground colour without colour:\n%q", view)
	}
}
