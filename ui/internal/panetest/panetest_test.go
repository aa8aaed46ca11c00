package panetest

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/ui/common"
)

// counter is a pane that counts the keys it gets.
type counter struct{ keys []string }

func (c counter) Update(msg tea.Msg) (counter, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		c.keys = append(c.keys, k.String())
	}
	return c, nil
}

func TestSend(t *testing.T) {
	c := Send(counter{}, Down, J, ShiftG, Esc, CtrlA, tea.MouseWheelMsg{})
	if got := strings.Join(c.keys, " "); got != "down j G esc ctrl+a" {
		t.Errorf("pressed %q", got)
	}
}

// A key pressed by its binding's name is the key that binding matches.
func TestPressMatchesTheBindingsKey(t *testing.T) {
	for _, name := range []string{"ctrl+a", "alt+m", "G", "?", "/", "*", "1", "shift+tab", "tab", "esc", "enter", "space", "ctrl+space", "ctrl+@", "pgdown", "home", "up", "y"} {
		b := key.NewBinding(key.WithKeys(name))
		if msg := Press(name); !key.Matches(msg, b) {
			t.Errorf("Press(%q) = %q does not match its binding", name, msg.String())
		}
	}
}

func TestInnerAndSize(t *testing.T) {
	view := common.Frame(NoColor(t), "T", false, 6, 2, []string{"ab", "c"})
	RequireSize(t, view, 8, 4)
	if got := strings.Join(Inner(view), "|"); got != "ab|c" {
		t.Errorf("inner %q", got)
	}
	if !Contains(Inner(view), "b") || Contains(Inner(view), "T") {
		t.Error("Contains")
	}
}
