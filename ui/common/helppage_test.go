package common_test

import (
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// TestHelpPageAnswer: each key on the open page does what every view
// that shows the page does with it.
func TestHelpPageAnswer(t *testing.T) {
	g := common.DefaultGlobalKeys()
	for _, tc := range []struct {
		name      string
		key       key.Binding
		closed    bool
		cancelled bool
		want      tea.Msg
	}{
		{"the help key closes", g.Help, true, false, nil},
		{"cancel closes", common.DefaultInputKeys().Cancel, true, false, nil},
		{"quit cancels and quits", g.Quit, false, true, tea.QuitMsg{}},
		{"suspend suspends", g.Suspend, false, false, tea.SuspendMsg{}},
		{"a scroll key stays", common.DefaultNavKeys().Down, false, false, nil},
	} {
		h := common.NewHelpPage(common.DefaultStyles())
		h.Open()
		cancelled := false
		closed, cmd := h.Answer(panetest.Key(tc.key), func() { cancelled = true })
		if closed != tc.closed || h.IsOpen() == tc.closed || cancelled != tc.cancelled {
			t.Errorf("%s: closed %v, open %v, cancelled %v", tc.name, closed, h.IsOpen(), cancelled)
		}
		var got tea.Msg
		if cmd != nil {
			got = cmd()
		}
		if got != tc.want {
			t.Errorf("%s: the command gives %#v, want %#v", tc.name, got, tc.want)
		}
	}
}
