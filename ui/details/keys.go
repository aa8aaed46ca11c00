package details

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
)

// KeyMap are the detail panes' bindings, the keys that scroll them. It
// feeds the help bar too.
type KeyMap common.NavKeys

// DefaultKeyMap returns dive's keys.
func DefaultKeyMap() KeyMap { return KeyMap(common.DefaultNavKeys()) }

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding { return common.NavKeys(k).ShortHelp() }

// FullHelp is the expanded help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding { return common.NavKeys(k).FullHelp() }
