package treeview

import "github.com/strata-dev/strata/analyze/tree"

// Node is a node of a [Tree]: 0 is the root, and a node's children have
// larger numbers than it has.
type Node int32

const (
	// Root is the root node, never a row.
	Root Node = 0
	// NoNode stands for no node.
	NoNode Node = -1
)

// Info is what the pane needs to know of a node to lay the rows out;
// its name is asked for only where it is drawn, sorted or matched.
type Info struct {
	// Dir says that the node is a directory (it can be collapsed).
	Dir bool
	// Shown says that the node belongs in the view at all.
	Shown bool
	// Change colours the row and is what hiding a change type hides.
	Change tree.ChangeType
	// Size is the node's own size. A directory's total is what its shown
	// nodes' sizes add up to (Model.Total); the size order sorts by it,
	// largest first.
	Size int64
}

// Tree is what the pane shows: a tree of Len nodes.
type Tree interface {
	Len() int
	// Parent is a node's parent; the root's is NoNode.
	Parent(n Node) Node
	// Children calls f for every child of a node, in any order.
	Children(n Node, f func(Node))
	// Name is the last element of a node's path.
	Name(n Node) string
	// Info says how a node shows.
	Info(n Node) Info
}

// SortOrder orders a directory's children.
type SortOrder uint8

const (
	// ByName sorts children by name.
	ByName SortOrder = iota
	// BySize sorts children largest first, then by name.
	BySize
)
