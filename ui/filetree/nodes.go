package filetree

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/treeview"
)

// nodes is a layer's view of an image's tree, as the tree pane walks it.
type nodes struct {
	view  *tree.View
	sizes []int64 // total size at the layer: a file its size, a directory what is below it
	kind  []uint8 // shown and dir bits of each node at the layer
}

const (
	shown = 1 << iota
	dir
)

var _ treeview.Tree = (*nodes)(nil)

// newNodes makes the pane's tree of a view, with each directory's total
// size, in one pass from the last node to the first.
func newNodes(v *tree.View) *nodes {
	t := v.Tree
	n := &nodes{view: v, sizes: make([]int64, t.Len()), kind: make([]uint8, t.Len())}
	n.kind[tree.Root] = shown | dir
	for id := t.Len() - 1; id >= 1; id-- {
		node := tree.NodeID(id)
		e, ok := v.Entry(node)
		if !ok {
			continue
		}
		n.kind[id] = shown
		if e.IsDir() {
			n.kind[id] |= dir
		}
		if !e.IsDir() && v.Own(node) != tree.Removed {
			n.sizes[id] += e.Size
		}
		n.sizes[t.Parent(node)] += n.sizes[id]
	}
	return n
}

func (n *nodes) Len() int { return n.view.Tree.Len() }

func (n *nodes) Parent(x treeview.Node) treeview.Node {
	p := n.view.Tree.Parent(tree.NodeID(x))
	if p == tree.NoNode {
		return treeview.NoNode
	}
	return treeview.Node(p)
}

func (n *nodes) Children(x treeview.Node, f func(treeview.Node)) {
	n.view.Tree.Children(tree.NodeID(x), func(c tree.NodeID) { f(treeview.Node(c)) })
}

func (n *nodes) Name(x treeview.Node) string { return n.view.Tree.Name(tree.NodeID(x)) }

// Info is read from what newNodes found: nodes the tree grew after it are
// not shown at the layer.
func (n *nodes) Info(x treeview.Node) treeview.Info {
	if int(x) >= len(n.kind) {
		return treeview.Info{}
	}
	k := n.kind[x]
	return treeview.Info{Shown: k&shown != 0, Dir: k&dir != 0, Change: n.view.Change(tree.NodeID(x)), Size: n.sizes[x]}
}

// columns are the permission, owner and size columns; the size is the
// last to go when the pane is narrow.
func (n *nodes) columns() []treeview.Column {
	entry := func(x treeview.Node) (*tree.Entry, bool) { return n.view.Entry(tree.NodeID(x)) }
	return []treeview.Column{
		{Title: "Permission", Width: 10, Left: true, Drop: 2, Cell: func(x treeview.Node) string {
			if e, ok := entry(x); ok {
				return tree.FormatMode(e.Mode)
			}
			return ""
		}},
		{Title: "UID:GID", Width: 11, Drop: 3, Cell: func(x treeview.Node) string {
			if e, ok := entry(x); ok {
				return fmt.Sprintf("%d:%d", e.UID, e.GID)
			}
			return ""
		}},
		{Title: "Size", Width: 8, Drop: 1, Cell: func(x treeview.Node) string {
			e, ok := entry(x)
			switch {
			case !ok:
				return ""
			case n.view.Own(tree.NodeID(x)) == tree.Removed && !e.IsDir():
				return humanize.Bytes(uint64(max(0, e.Size))) // what was removed
			case e.IsDir() && n.sizes[x] == 0:
				return "-"
			}
			return humanize.Bytes(uint64(max(0, n.sizes[x])))
		}},
	}
}

// maxLink bounds how much of a link's target a row shows.
const maxLink = 256

// suffix is what follows a link's name: its target.
func (n *nodes) suffix(x treeview.Node) string {
	e, ok := n.view.Entry(tree.NodeID(x))
	if !ok {
		return ""
	}
	link := n.view.Tree.Link(e)
	if link == "" {
		return ""
	}
	switch e.Type {
	case '2':
		return " → " + common.Truncate(link, maxLink)
	case '1':
		return " ⇒ /" + common.Truncate(strings.TrimPrefix(link, "/"), maxLink)
	}
	return ""
}
