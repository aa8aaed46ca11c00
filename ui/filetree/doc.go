// Package filetree is the file tree pane: the stacked filesystem at the
// selected layer, each entry coloured by its change.
//
// The pane is split in two. VM is a pure view-model over a tree.View —
// cursor, collapsed directories, the path filter, hidden change types,
// sorting — that never builds the whole tree as rows: it walks from the
// first row in view, so a keystroke costs the rows on screen, and a layer
// switch one pass over the nodes. Model is the Bubble Tea pane around it.
package filetree
