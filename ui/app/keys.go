package app

import "github.com/strata-dev/strata/ui/keymap"

// Keys are every pane's keys; see keymap.Keys. The name is kept for
// cmd/strata's config command.
type Keys = keymap.Keys

// DefaultKeys returns dive's keys for every pane.
func DefaultKeys() Keys { return keymap.Default() }
