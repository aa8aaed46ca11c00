// Package filetree is inspect's file tree pane: the stacked filesystem
// at the selected layer, each path coloured by its change, drawn by the
// shared tree pane of ui/treeview over a tree.View. It adds what is
// particular to an image's layer: the permission, owner and size columns,
// link targets after the names, the title naming the layer and compare
// mode, and, for the file viewer, the target of a symlink or hard link
// (Resolve).
package filetree
