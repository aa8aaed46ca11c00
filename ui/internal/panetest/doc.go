// Package panetest helps the UI's tests read the way a user uses strata:
// press keys taken from a KeyMap, let the commands they cause run (Run, as
// the Bubble Tea runtime would but synchronously), then look at the screen
// as plain text, line by line, or compare it with a golden file.
package panetest
