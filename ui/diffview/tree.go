package diffview

import (
	"archive/tar"
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/treeview"
)

// diffNodes is the tree of the differences as the tree pane walks it:
// every path of both final filesystems.
type diffNodes struct{ t *diff.Tree }

var _ treeview.Tree = diffNodes{}

func (d diffNodes) Len() int { return d.t.Len() }

func (d diffNodes) Parent(n treeview.Node) treeview.Node {
	return treeview.Node(d.t.Node(diff.NodeID(n)).Parent)
}

func (d diffNodes) Children(n treeview.Node, f func(treeview.Node)) {
	for _, c := range d.t.Node(diff.NodeID(n)).Children {
		f(treeview.Node(c))
	}
}

// Info shows every path; a directory unchanged itself but with changes
// below it shows as modified; the size order is by how much the files
// below a path changed.
func (d diffNodes) Info(n treeview.Node) treeview.Info {
	nd := d.t.Node(diff.NodeID(n))
	info := treeview.Info{Dir: n == treeview.Root || nd.IsDir(), Shown: true, Change: change(nd)}
	if !info.Dir {
		info.Size = max(nd.Delta(), -nd.Delta())
	}
	return info
}

func (d diffNodes) Name(n treeview.Node) string { return d.t.Node(diff.NodeID(n)).Name }

func change(nd *diff.Node) tree.ChangeType {
	if nd.Change == tree.Unmodified && nd.Below[tree.Added]+nd.Below[tree.Removed]+nd.Below[tree.Modified] > 0 {
		return tree.Modified
	}
	return nd.Change
}

// shown is the version a row describes: B's, or A's for a removed path.
func shown(nd *diff.Node) *diff.Version {
	if nd.B.Present {
		return &nd.B
	}
	return &nd.A
}

// sideSize shows a file's size, or a directory's total, on one side.
func sideSize(present, dir bool, n int64) string {
	if !present || dir && n == 0 {
		return "-"
	}
	return humanize.Bytes(uint64(max(0, n)))
}

// columns are the permission, owner and both sizes and their change; the
// change is the last to go when the pane is narrow.
func columns(t *diff.Tree) []treeview.Column {
	node := func(n treeview.Node) *diff.Node { return t.Node(diff.NodeID(n)) }
	return []treeview.Column{
		{Title: "Permission", Width: 10, Left: true, Drop: 4, Cell: func(n treeview.Node) string { return tree.FormatMode(shown(node(n)).Mode) }},
		{Title: "UID:GID", Width: 11, Drop: 5, Cell: func(n treeview.Node) string {
			v := shown(node(n))
			return fmt.Sprintf("%d:%d", v.UID, v.GID)
		}},
		{Title: "Size A", Width: 8, Drop: 3, Cell: func(n treeview.Node) string {
			nd := node(n)
			return sideSize(nd.A.Present, nd.A.IsDir(), nd.SizeA)
		}},
		{Title: "Size B", Width: 8, Drop: 2, Cell: func(n treeview.Node) string {
			nd := node(n)
			return sideSize(nd.B.Present, nd.B.IsDir(), nd.SizeB)
		}},
		{Title: "Δ Size", Width: 9, Drop: 1, Cell: func(n treeview.Node) string {
			nd := node(n)
			if nd.IsDir() && nd.Delta() == 0 {
				return ""
			}
			return diff.FormatDelta(nd.Delta())
		}},
	}
}

// maxSuffix bounds what follows a name.
const maxSuffix = 256

// suffix is what follows a path's name: a link's target, and for a
// modified path what differs.
func suffix(t *diff.Tree) func(treeview.Node) string {
	return func(n treeview.Node) string {
		nd := t.Node(diff.NodeID(n))
		v := shown(nd)
		var b strings.Builder
		switch v.Type {
		case tar.TypeSymlink:
			b.WriteString(" → " + common.Truncate(v.Link, maxSuffix))
		case tar.TypeLink:
			b.WriteString(" ⇒ /" + common.Truncate(strings.TrimPrefix(v.Link, "/"), maxSuffix))
		}
		if nd.Change == tree.Modified {
			b.WriteString("  [" + common.TruncateMessage(strings.Join(diff.Describe(nd), ", "), maxSuffix) + "]")
		}
		return b.String()
	}
}

// opens says which paths Enter opens: those that are a regular file on
// either side; on other directories it folds or unfolds them.
func opens(t *diff.Tree) func(treeview.Node) bool {
	return func(n treeview.Node) bool {
		nd := t.Node(diff.NodeID(n))
		return !nd.IsDir() || isFile(&nd.A) || isFile(&nd.B)
	}
}

func isFile(v *diff.Version) bool { return v.Present && v.Type == tar.TypeReg }
