package diffview

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/filetree"
)

// treeVM is the differences tree's view-model, the same approach as
// filetree.VM: which nodes are rows is computed in one pass over the
// nodes, and the rows on screen are walked from the top row.
type treeVM struct {
	t      *diff.Tree
	hidden tree.ChangeSet
	filter *regexp.Regexp
	order  filetree.SortOrder

	collapsed map[diff.NodeID]bool
	visible   []bool // the node is a row when its parents are expanded
	matches   []bool // the node's path matches the filter (nil: no filter)
	kids      [][]diff.NodeID
	pos       []int32 // a node's place among its parent's kids

	cursor, top diff.NodeID
	height      int
}

func newTreeVM() *treeVM {
	return &treeVM{collapsed: map[diff.NodeID]bool{}, cursor: diff.NoNode, top: diff.NoNode, height: 1}
}

// setTree shows a tree of differences.
func (vm *treeVM) setTree(t *diff.Tree) {
	vm.t, vm.matches, vm.kids = t, nil, nil
	clear(vm.collapsed)
	vm.cursor, vm.top = diff.NoNode, diff.NoNode
	vm.refresh()
}

// change is the change a row shows: its own, or Modified for an otherwise
// unchanged directory with changes below it.
func (vm *treeVM) change(n diff.NodeID) tree.ChangeType {
	nd := vm.t.Node(n)
	if nd.Change == tree.Unmodified && nd.Below[tree.Added]+nd.Below[tree.Removed]+nd.Below[tree.Modified] > 0 {
		return tree.Modified
	}
	return nd.Change
}

func (vm *treeVM) toggleHidden(c tree.ChangeType) {
	vm.hidden = vm.hidden.With(c, !vm.hidden.Has(c))
	vm.refresh()
}

func (vm *treeVM) setHidden(h tree.ChangeSet) {
	vm.hidden = h
	vm.refresh()
}

func (vm *treeVM) setOrder(o filetree.SortOrder) {
	vm.order, vm.kids = o, nil
	vm.keepCursorInView()
}

func (vm *treeVM) filterText() string {
	if vm.filter == nil {
		return ""
	}
	return vm.filter.String()
}

// setFilter shows only paths matching a Go regular expression, and their
// parents; an invalid pattern returns its error and changes nothing.
func (vm *treeVM) setFilter(pattern string) error {
	if pattern == "" {
		vm.filter, vm.matches = nil, nil
		vm.refresh()
		return nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return err
	}
	vm.filter, vm.matches = re, nil
	vm.refresh()
	return nil
}

// refresh recomputes the rows in one pass from the last node to the
// first: a node's children always come after it.
func (vm *treeVM) refresh() {
	if vm.t == nil {
		return
	}
	n := vm.t.Len()
	if vm.filter != nil && vm.matches == nil {
		vm.matches = make([]bool, n)
		for id := 1; id < n; id++ {
			vm.matches[id] = vm.filter.MatchString(vm.t.Path(diff.NodeID(id)))
		}
	}
	if len(vm.visible) != n {
		vm.visible = make([]bool, n)
	}
	clear(vm.visible)
	for id := n - 1; id >= 1; id-- {
		node := diff.NodeID(id)
		own := !vm.hidden.Has(vm.change(node)) && (vm.matches == nil || vm.matches[id])
		if own || vm.visible[id] {
			vm.visible[id] = true
			vm.visible[vm.t.Node(node).Parent] = true
		}
	}
	vm.fixCursor()
}

// children returns a node's children in the sort order, shown or not.
func (vm *treeVM) children(n diff.NodeID) []diff.NodeID {
	if vm.kids == nil {
		vm.sortAll()
	}
	return vm.kids[n]
}

// sortAll orders every node's children: by name, or largest size change
// first (then the larger size, then the name).
func (vm *treeVM) sortAll() {
	t := vm.t
	vm.kids = make([][]diff.NodeID, t.Len())
	vm.pos = make([]int32, t.Len())
	abs := func(x int64) int64 { return max(x, -x) }
	for id := range t.Len() {
		kids := t.Node(diff.NodeID(id)).Children
		if vm.order == filetree.BySize {
			kids = slices.Clone(kids)
			slices.SortStableFunc(kids, func(a, b diff.NodeID) int {
				na, nb := t.Node(a), t.Node(b)
				if c := cmp.Compare(abs(nb.Delta()), abs(na.Delta())); c != 0 {
					return c
				}
				if c := cmp.Compare(max(nb.SizeA, nb.SizeB), max(na.SizeA, na.SizeB)); c != 0 {
					return c
				}
				return strings.Compare(na.Name, nb.Name)
			})
		}
		vm.kids[id] = kids
		for i, c := range kids {
			vm.pos[c] = int32(i)
		}
	}
}

func (vm *treeVM) isVisible(n diff.NodeID) bool {
	return n >= 0 && int(n) < len(vm.visible) && vm.visible[n]
}

func (vm *treeVM) isDir(n diff.NodeID) bool { return n == diff.Root || vm.t.Node(n).IsDir() }

func (vm *treeVM) expanded(n diff.NodeID) bool {
	return n == diff.Root || vm.isDir(n) && !vm.collapsed[n] && vm.isVisible(n)
}

func (vm *treeVM) firstChild(n diff.NodeID) diff.NodeID {
	if !vm.expanded(n) {
		return diff.NoNode
	}
	return vm.firstShown(n)
}

func (vm *treeVM) firstShown(n diff.NodeID) diff.NodeID {
	for _, c := range vm.children(n) {
		if vm.isVisible(c) {
			return c
		}
	}
	return diff.NoNode
}

func (vm *treeVM) lastChild(n diff.NodeID) diff.NodeID {
	if !vm.expanded(n) {
		return diff.NoNode
	}
	kids := vm.children(n)
	for i := len(kids) - 1; i >= 0; i-- {
		if vm.isVisible(kids[i]) {
			return kids[i]
		}
	}
	return diff.NoNode
}

func (vm *treeVM) sibling(n diff.NodeID, dir int) diff.NodeID {
	kids := vm.children(vm.t.Node(n).Parent)
	for i := int(vm.pos[n]) + dir; i >= 0 && i < len(kids); i += dir {
		if vm.isVisible(kids[i]) {
			return kids[i]
		}
	}
	return diff.NoNode
}

// next is the row after n, NoNode after the last.
func (vm *treeVM) next(n diff.NodeID) diff.NodeID {
	if n == diff.NoNode {
		return diff.NoNode
	}
	if c := vm.firstChild(n); c != diff.NoNode {
		return c
	}
	for n != diff.Root {
		if s := vm.sibling(n, +1); s != diff.NoNode {
			return s
		}
		n = vm.t.Node(n).Parent
	}
	return diff.NoNode
}

// prev is the row before n, NoNode before the first.
func (vm *treeVM) prev(n diff.NodeID) diff.NodeID {
	if n == diff.NoNode || n == diff.Root {
		return diff.NoNode
	}
	s := vm.sibling(n, -1)
	if s == diff.NoNode {
		if p := vm.t.Node(n).Parent; p != diff.Root {
			return p
		}
		return diff.NoNode
	}
	for c := vm.lastChild(s); c != diff.NoNode; c = vm.lastChild(s) {
		s = c
	}
	return s
}

func (vm *treeVM) first() diff.NodeID { return vm.firstChild(diff.Root) }

func (vm *treeVM) last() diff.NodeID {
	n := vm.lastChild(diff.Root)
	for n != diff.NoNode {
		c := vm.lastChild(n)
		if c == diff.NoNode {
			return n
		}
		n = c
	}
	return n
}

// isRow says whether n is a row: visible, with every parent expanded.
func (vm *treeVM) isRow(n diff.NodeID) bool {
	if !vm.isVisible(n) {
		return false
	}
	for p := vm.t.Node(n).Parent; p != diff.Root; p = vm.t.Node(p).Parent {
		if vm.collapsed[p] || !vm.isVisible(p) {
			return false
		}
	}
	return true
}

// fixCursor keeps the cursor on the same path when it is still a row,
// else on its nearest shown parent, else on the first row.
func (vm *treeVM) fixCursor() {
	for vm.cursor != diff.NoNode && vm.cursor != diff.Root && !vm.isRow(vm.cursor) {
		vm.cursor = vm.t.Node(vm.cursor).Parent
	}
	if vm.cursor == diff.NoNode || vm.cursor == diff.Root {
		vm.cursor = vm.first()
		vm.top = vm.cursor
	}
	if vm.top == diff.NoNode || !vm.isRow(vm.top) {
		vm.top = vm.cursor
	}
	vm.keepCursorInView()
}

func (vm *treeVM) setHeight(h int) {
	vm.height = max(1, h)
	vm.keepCursorInView()
}

// keepCursorInView scrolls so that the cursor is a row in view and the
// rows fill the window when there are enough.
func (vm *treeVM) keepCursorInView() {
	if vm.t == nil || vm.cursor == diff.NoNode {
		vm.top = diff.NoNode
		return
	}
	inView := false
	n := vm.top
	for i := 0; i < vm.height && n != diff.NoNode; i++ {
		if n == vm.cursor {
			inView = true
			break
		}
		n = vm.next(n)
	}
	if !inView {
		below := vm.isBelow(vm.cursor)
		vm.top = vm.cursor
		if below {
			vm.scrollUpBy(vm.height - 1)
		}
	}
	rows := 0
	for n := vm.top; n != diff.NoNode && rows < vm.height; n = vm.next(n) {
		rows++
	}
	vm.scrollUpBy(vm.height - rows)
}

func (vm *treeVM) scrollUpBy(n int) {
	for range n {
		p := vm.prev(vm.top)
		if p == diff.NoNode {
			return
		}
		vm.top = p
	}
}

func (vm *treeVM) isBelow(n diff.NodeID) bool {
	for i := 0; i < 2*vm.height+2 && n != diff.NoNode; i++ {
		if n == vm.top {
			return true
		}
		n = vm.prev(n)
	}
	return false
}

// rows returns the rows in view, top first.
func (vm *treeVM) rows() []diff.NodeID {
	var rows []diff.NodeID
	for n := vm.top; n != diff.NoNode && len(rows) < vm.height; n = vm.next(n) {
		rows = append(rows, n)
	}
	return rows
}

func (vm *treeVM) down(k int) {
	for range k {
		n := vm.next(vm.cursor)
		if n == diff.NoNode {
			break
		}
		vm.cursor = n
	}
	vm.keepCursorInView()
}

func (vm *treeVM) up(k int) {
	for range k {
		p := vm.prev(vm.cursor)
		if p == diff.NoNode {
			break
		}
		if vm.cursor == vm.top {
			vm.top = p
		}
		vm.cursor = p
	}
	vm.keepCursorInView()
}

func (vm *treeVM) home() {
	vm.cursor = vm.first()
	vm.top = vm.cursor
}

func (vm *treeVM) end() {
	vm.cursor = vm.last()
	vm.keepCursorInView()
}

// selectNode puts the cursor on a visible node, expanding its parents.
func (vm *treeVM) selectNode(n diff.NodeID) bool {
	if !vm.isVisible(n) {
		return false
	}
	for p := vm.t.Node(n).Parent; p != diff.Root; p = vm.t.Node(p).Parent {
		delete(vm.collapsed, p)
	}
	vm.cursor = n
	vm.keepCursorInView()
	return true
}

func (vm *treeVM) setCollapsed(n diff.NodeID, c bool) {
	if c {
		vm.collapsed[n] = true
	} else {
		delete(vm.collapsed, n)
	}
	vm.keepCursorInView()
}

func (vm *treeVM) toggle() {
	if vm.cursor != diff.NoNode && vm.isDir(vm.cursor) {
		vm.setCollapsed(vm.cursor, !vm.collapsed[vm.cursor])
	}
}

// collapse folds the directory under the cursor or, when there is nothing
// to fold, moves to its parent.
func (vm *treeVM) collapse() {
	n := vm.cursor
	if n == diff.NoNode {
		return
	}
	if vm.isDir(n) && !vm.collapsed[n] && vm.firstChild(n) != diff.NoNode {
		vm.setCollapsed(n, true)
		return
	}
	if p := vm.t.Node(n).Parent; p != diff.Root {
		vm.cursor = p
		vm.keepCursorInView()
	}
}

func (vm *treeVM) expand() {
	if vm.cursor != diff.NoNode && vm.isDir(vm.cursor) {
		vm.setCollapsed(vm.cursor, false)
	}
}

// toggleAll collapses every directory or, when the top level is folded
// already, expands every one.
func (vm *treeVM) toggleAll() {
	collapse := false
	for _, c := range vm.children(diff.Root) {
		if vm.isVisible(c) && vm.isDir(c) && !vm.collapsed[c] {
			collapse = true
			break
		}
	}
	clear(vm.collapsed)
	if collapse {
		for id := 1; id < len(vm.visible); id++ {
			if n := diff.NodeID(id); vm.visible[id] && vm.isDir(n) {
				vm.collapsed[n] = true
			}
		}
		for vm.cursor != diff.NoNode && vm.t.Node(vm.cursor).Parent != diff.Root {
			vm.cursor = vm.t.Node(vm.cursor).Parent
		}
	}
	vm.top = vm.first()
	vm.keepCursorInView()
}

// isLast says whether a node is the last shown child of its parent.
func (vm *treeVM) isLast(n diff.NodeID) bool { return vm.sibling(n, +1) == diff.NoNode }

// atLeftEdge says whether collapsing would do nothing: the cursor is on a
// top-level row that is not an expanded directory.
func (vm *treeVM) atLeftEdge() bool {
	n := vm.cursor
	if n == diff.NoNode {
		return true
	}
	if vm.t.Node(n).Parent != diff.Root {
		return false
	}
	return !vm.isDir(n) || vm.collapsed[n] || vm.firstShown(n) == diff.NoNode
}
