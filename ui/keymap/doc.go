// Package keymap gathers the keys of every pane of strata's terminal UIs
// into one Keys, and names each action for the configuration file with an
// explicit table ([Actions]): "global.quit", "files.toggle-added",
// "viewer.search". Renaming a Go field never renames an action.
//
// A configuration rebinds actions with [Keys.Apply], which refuses an
// action that does not exist (suggesting the nearest name) and a key that
// would then do two things at once (naming both actions). Keys of the
// same scope, and keys of a pane's scope and the global scope, must
// differ; the scopes that take the keyboard over — a line being typed and
// the file viewer — come before the global keys instead, by design: q
// closes the viewer, / searches it.
package keymap
