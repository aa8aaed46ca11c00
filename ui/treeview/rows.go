package treeview

import (
	"cmp"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze/tree"
)

// rows is what the pane shows of its tree: which nodes are rows, in which
// order, the cursor and the window of rows in view. Make one with newRows.
type rows struct {
	tree   Tree
	hidden tree.ChangeSet
	filter *matcher // nil: no filter
	order  SortOrder

	collapsed marks

	// Derived from the tree, the filter, the hidden change types and the
	// collapsed directories by derive.
	visible []bool  // the node is a row when its parents are expanded
	dir     []bool  // the node is a directory
	below   []int32 // how many rows a node has below it when expanded
	totals  []int64 // the sizes of a node and the shown nodes below it
	matches []bool  // the node's path matches the filter (nil: no filter)
	nodes   int     // the tree's size matches was made for

	// The shown children of each directory walked so far, sorted: those of
	// n are kids[kidsAt[n]:][:kidsLen[n]] (kidsAt -1: not sorted yet); pos
	// is a node's place among its parent's.
	kidsAt, kidsLen []int32
	kids            []Node
	pos             []int32
	// Walks remembered until what is shown changes: the row after a
	// node's subtree, and a node's last row (down its last children).
	after, lastRow []Node

	cursor, top Node
	rank        int // the rows before top, -1 when not known
	height      int
}

func newRows() *rows {
	return &rows{cursor: NoNode, top: NoNode, height: 1}
}

// setTree shows another tree over the same nodes, as another layer of an
// image is. The cursor stays on its node when that is still a row, and
// the window then starts at the top as far as the cursor allows; without
// that node the cursor goes to the first row.
func (r *rows) setTree(t Tree) {
	r.tree = t
	r.derive()
	if r.cursor == NoNode || r.nearestRow(r.cursor) != r.cursor {
		r.cursor = r.first()
	}
	r.top, r.rank = r.first(), 0
	r.keepCursorInView()
}

// reset forgets the cursor and the collapsed directories, for a tree of
// other nodes.
func (r *rows) reset() {
	r.collapsed = nil
	r.cursor, r.top, r.nodes = NoNode, NoNode, -1
}

// refresh recomputes the rows after the tree grew or what is shown
// changed: the cursor stays on its node, or goes to the nearest shown
// parent; the window stays where it was as far as it can.
func (r *rows) refresh() {
	if r.tree == nil {
		return
	}
	r.derive()
	r.cursor = r.nearestRow(r.cursor)
	if r.cursor == NoNode {
		r.cursor = r.first()
		r.top = r.cursor
	}
	if r.top == NoNode || r.nearestRow(r.top) != r.top {
		r.top = r.cursor
	}
	r.rank = -1
	r.keepCursorInView()
}

// derive computes which nodes are rows in one pass from the last node to
// the first: a node's children always come after it.
func (r *rows) derive() {
	n := r.tree.Len()
	if r.filter != nil && (r.matches == nil || r.nodes != n) {
		r.matches = r.filter.match(r.tree)
	}
	r.nodes = n
	r.visible = grow(r.visible, n)
	r.dir = grow(r.dir, n)
	r.below = grow(r.below, n)
	r.totals = grow(r.totals, n)
	r.kidsAt = grow(r.kidsAt, n)
	r.kidsLen = grow(r.kidsLen, n)
	r.pos = grow(r.pos, n)
	r.after = grow(r.after, n)
	r.lastRow = grow(r.lastRow, n)
	r.kids = r.kids[:0]
	clear(r.visible)
	clear(r.below)
	clear(r.totals)
	fill(r.kidsAt, -1)
	r.forget()
	if n == 0 {
		return
	}
	r.dir[Root] = true
	for id := n - 1; id >= 1; id-- {
		node := Node(id)
		info := r.tree.Info(node)
		r.dir[id] = info.Dir
		if !info.Shown {
			continue
		}
		p := r.tree.Parent(node)
		r.totals[id] += info.Size
		r.totals[p] += r.totals[id]
		own := !r.hidden.Has(info.Change) && (r.matches == nil || r.matches[id])
		if !own && !r.visible[id] {
			continue
		}
		r.visible[id], r.visible[p] = true, true
		add := int32(1)
		if info.Dir && !r.collapsed.has(node) {
			add += r.below[id]
		}
		r.below[p] += add
	}
}

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

func fill[T any](s []T, v T) {
	for i := range s {
		s[i] = v
	}
}

// unknown marks a walk not remembered.
const unknown Node = -2

// forget forgets the walks remembered, after rows were folded or
// unfolded.
func (r *rows) forget() {
	fill(r.after, unknown)
	fill(r.lastRow, unknown)
}

// marks is a set of nodes.
type marks []bool

func (s marks) has(n Node) bool { return n >= 0 && int(n) < len(s) && s[n] }

func (s *marks) set(n Node, on bool) {
	if int(n) >= len(*s) {
		if !on {
			return
		}
		*s = append(*s, make([]bool, int(n)+1-len(*s))...)
	}
	(*s)[n] = on
}

// total is the number of rows.
func (r *rows) total() int {
	if len(r.below) == 0 {
		return 0
	}
	return int(r.below[Root])
}

// sorted returns the shown children of a directory in the sort order.
func (r *rows) sorted(n Node) []Node {
	if at := r.kidsAt[n]; at >= 0 {
		return r.kids[at : at+r.kidsLen[n]]
	}
	type kid struct {
		n    Node
		name string
		size int64
	}
	var ks []kid
	r.tree.Children(n, func(c Node) {
		if r.visible[c] {
			ks = append(ks, kid{c, r.tree.Name(c), r.totals[c]})
		}
	})
	slices.SortFunc(ks, func(a, b kid) int {
		if r.order == BySize {
			if c := cmp.Compare(b.size, a.size); c != 0 {
				return c
			}
		}
		return strings.Compare(a.name, b.name)
	})
	at := len(r.kids)
	for i, k := range ks {
		r.kids = append(r.kids, k.n)
		r.pos[k.n] = int32(i)
	}
	r.kidsAt[n], r.kidsLen[n] = int32(at), int32(len(ks))
	return r.kids[at : at+len(ks)]
}

func (r *rows) isVisible(n Node) bool { return n >= 0 && int(n) < len(r.visible) && r.visible[n] }

func (r *rows) isDir(n Node) bool { return n >= 0 && int(n) < len(r.dir) && r.dir[n] }

// expanded says whether a node's children are rows when it is one.
func (r *rows) expanded(n Node) bool {
	return n == Root || r.dir[n] && !r.collapsed.has(n) && r.visible[n]
}

func (r *rows) firstChild(n Node) Node {
	if !r.expanded(n) {
		return NoNode
	}
	if ks := r.sorted(n); len(ks) > 0 {
		return ks[0]
	}
	return NoNode
}

func (r *rows) lastChild(n Node) Node {
	if !r.expanded(n) {
		return NoNode
	}
	if ks := r.sorted(n); len(ks) > 0 {
		return ks[len(ks)-1]
	}
	return NoNode
}

// hasRows says whether a directory has shown children.
func (r *rows) hasRows(n Node) bool { return r.isDir(n) && len(r.sorted(n)) > 0 }

func (r *rows) sibling(n Node, d int) Node {
	ks := r.sorted(r.tree.Parent(n))
	if i := int(r.pos[n]) + d; i >= 0 && i < len(ks) {
		return ks[i]
	}
	return NoNode
}

// isLast says whether a node is the last shown child of its parent.
func (r *rows) isLast(n Node) bool { return r.sibling(n, +1) == NoNode }

// next is the row after n, NoNode after the last.
func (r *rows) next(n Node) Node {
	if n == NoNode {
		return NoNode
	}
	if c := r.firstChild(n); c != NoNode {
		return c
	}
	return r.rowAfter(n)
}

// rowAfter is the row after n and everything below it: its next sibling,
// or its parent's. The nodes climbed remember the answer, so a walk up a
// long path is made once.
func (r *rows) rowAfter(n Node) Node {
	var climbed []Node
	found := NoNode
	for c := n; c != Root; c = r.tree.Parent(c) {
		if a := r.after[c]; a != unknown {
			found = a
			break
		}
		climbed = append(climbed, c)
		if s := r.sibling(c, +1); s != NoNode {
			found = s
			break
		}
	}
	for _, c := range climbed {
		r.after[c] = found
	}
	return found
}

// prev is the row before n, NoNode before the first.
func (r *rows) prev(n Node) Node {
	if n == NoNode || n == Root {
		return NoNode
	}
	s := r.sibling(n, -1)
	if s == NoNode {
		if p := r.tree.Parent(n); p != Root {
			return p
		}
		return NoNode
	}
	return r.lastUnder(s)
}

// lastUnder is the last row of n and everything below it, down its last
// children; the nodes passed remember it.
func (r *rows) lastUnder(n Node) Node {
	var passed []Node
	c := n
	for {
		if l := r.lastRow[c]; l != unknown {
			c = l
			break
		}
		passed = append(passed, c)
		k := r.lastChild(c)
		if k == NoNode {
			break
		}
		c = k
	}
	for _, p := range passed {
		r.lastRow[p] = c
	}
	return c
}

func (r *rows) first() Node {
	if r.tree == nil || r.tree.Len() == 0 {
		return NoNode
	}
	return r.firstChild(Root)
}

func (r *rows) last() Node {
	if n := r.lastChild(Root); n != NoNode {
		return r.lastUnder(n)
	}
	return NoNode
}

// nearestRow is n when it is a row, else its nearest parent that is one,
// else NoNode: one walk up the path.
func (r *rows) nearestRow(n Node) Node {
	if int(n) >= len(r.visible) {
		return NoNode
	}
	best := NoNode
	for c := n; c != Root && c != NoNode; c = r.tree.Parent(c) {
		switch {
		case !r.isVisible(c):
			best = NoNode
		case best == NoNode:
			best = c
		case r.dir[c] && r.collapsed.has(c):
			best = c
		}
	}
	return best
}
