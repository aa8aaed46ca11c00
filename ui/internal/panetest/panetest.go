// Package panetest helps the panes' tests read the way a user uses a
// pane: press keys, then look at the screen as plain text.
package panetest

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/strata-dev/strata/ui/common"
)

// The keys the tests press.
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

// Pane is a pane's model: Update returns its own type.
type Pane[M any] interface {
	Update(tea.Msg) (M, tea.Cmd)
}

// Press sends the messages to the pane in turn, dropping the commands.
func Press[M Pane[M]](m M, msgs ...tea.Msg) M {
	for _, msg := range msgs {
		m, _ = m.Update(msg)
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

// RequireGolden compares the view without colours with the test's
// golden file, testdata/<test name>.golden; -update rewrites it.
func RequireGolden(t testing.TB, view string) {
	t.Helper()
	golden.RequireEqual(t, ansi.Strip(view))
}

// NoColor are the dark theme's styles without colour, as with NO_COLOR.
func NoColor(t testing.TB) common.Styles {
	t.Helper()
	theme, err := common.LookupTheme("dark")
	if err != nil {
		t.Fatal(err)
	}
	return common.NewStyles(theme, false)
}

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
