package filetree

import (
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/treeview"
)

// nodes is a layer's view of an image's tree, as the tree pane walks it.
type nodes struct {
	view  *tree.View
	total func(treeview.Node) int64 // a directory's total size, from the pane
}

var _ treeview.Tree = (*nodes)(nil)

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

// Info shows the paths of the layer, removed ones included; a file's size
// counts towards its directories' unless the layer removed it.
func (n *nodes) Info(x treeview.Node) treeview.Info {
	id := tree.NodeID(x)
	v := n.view
	e, ok := v.Entry(id)
	if id == tree.Root {
		return treeview.Info{Shown: true, Dir: true}
	}
	if !ok {
		return treeview.Info{}
	}
	info := treeview.Info{Shown: true, Dir: e.IsDir(), Change: v.Change(id)}
	if !info.Dir && v.Own(id) != tree.Removed {
		info.Size = e.Size
	}
	return info
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
				return n.view.Tree.FormatOwner(e)
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
			case e.IsDir() && n.total(x) == 0:
				return "-"
			case !e.IsDir():
				return humanize.Bytes(uint64(max(0, e.Size)))
			}
			return humanize.Bytes(uint64(max(0, n.total(x))))
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
