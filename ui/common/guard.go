package common

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// PanicMsg carries a panic out of a background command.
type PanicMsg struct{ Err error }

// Guard turns a panic in a command into a PanicMsg, so that the root can
// quit with the terminal restored and one line instead of a stack trace.
func Guard(cmd func() tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = PanicMsg{Recovered(r)}
			}
		}()
		return cmd()
	}
}

// Recovered is what a root reports for a panic it recovered from.
func Recovered(r any) error { return fmt.Errorf("internal error: %v", r) }

// Emit is a command that sends msg.
func Emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// TickMsg asks a root to redraw while something loads.
type TickMsg struct{}

// Tick sends a TickMsg after d.
func Tick(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return TickMsg{} })
}

// ScreenView is a root's view: render's screen on the alternate screen,
// with the mouse on and title as the window's title. A panic while
// drawing shows one line instead of ending the program.
func ScreenView(title string, render func() string) (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			v = tea.NewView(fmt.Sprintf("internal error while drawing: %v (press ctrl+c to quit)", r))
		}
	}()
	v = tea.NewView(render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = title
	return v
}
