// Package viewer is the file viewer pane: the contents of one regular file
// of one layer, shown over the file tree, or any text a parent gives it
// (diff's unified diff of a file).
//
// Text is shown with line numbers and a scroll bar; a file with a NUL byte
// or invalid UTF-8 in its first 8 KB is shown as a hex dump instead.
// Nothing of the file reaches the terminal raw: tabs are expanded, and
// control characters, invisible format characters (bidi overrides, zero
// widths) and invalid bytes are shown escaped. The Search key searches the
// text (plain text, case-insensitive unless it has capitals), NextMatch
// and PrevMatch move between the matches.
//
// The parent opens a file with SetLoading and the tea.Cmd of [Load], which
// reads it in the background and answers with a [FileContentMsg]; Update
// shows it. The pane asks to be closed by Closed, read after Update. Mouse messages
// carry coordinates relative to the pane; the wheel scrolls. The pane
// takes every key it is given: the parent sends it keys only while open,
// and its keys come before the global ones.
package viewer
