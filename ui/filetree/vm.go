package filetree

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze/tree"
)

// SortOrder orders a directory's children.
type SortOrder uint8

const (
	// ByName sorts children by name.
	ByName SortOrder = iota
	// BySize sorts children largest first; directories by their total size.
	BySize
)

// VM is the file tree's view-model. The zero value is not usable; make one
// with NewVM.
type VM struct {
	tree   *tree.Tree
	view   *tree.View
	hidden tree.ChangeSet
	filter *regexp.Regexp
	order  SortOrder

	collapsed map[tree.NodeID]bool

	// Derived from the view, the filter and the hidden types.
	visible []bool  // the node is a row when its parents are expanded
	sizes   []int64 // total size at the layer: a file its size, a directory what is below it
	matches []bool  // the node's path matches the filter (nil: no filter)
	nodes   int     // the tree size the derived state was built for

	children map[tree.NodeID][]tree.NodeID // sorted children, all of them
	pos      map[tree.NodeID]int32         // a node's place among its parent's sorted children

	cursor tree.NodeID
	top    tree.NodeID
	height int
}

// NewVM makes a view-model with nothing to show yet.
func NewVM() *VM {
	return &VM{collapsed: map[tree.NodeID]bool{}, cursor: tree.NoNode, top: tree.NoNode}
}

// SetView shows another layer or compare mode, keeping the cursor on the
// same path where it can.
func (vm *VM) SetView(v *tree.View) {
	if v.Tree != vm.tree {
		vm.tree = v.Tree
		vm.matches = nil
		vm.children = nil
	}
	vm.view = v
	vm.refresh()
}

// Refresh recomputes what is shown after the tree grew (a layer was stacked).
func (vm *VM) Refresh() {
	if vm.view != nil {
		vm.refresh()
	}
}

// View is the view shown.
func (vm *VM) View() *tree.View { return vm.view }

// SetHeight sets how many rows the pane shows.
func (vm *VM) SetHeight(h int) {
	vm.height = max(1, h)
	vm.keepCursorInView()
}

// Hidden says whether a change type is hidden.
func (vm *VM) Hidden(c tree.ChangeType) bool { return vm.hidden.Has(c) }

// ToggleHidden hides or shows paths of one change type.
func (vm *VM) ToggleHidden(c tree.ChangeType) {
	vm.hidden = vm.hidden.With(c, !vm.hidden.Has(c))
	vm.Refresh()
}

// SetHidden hides paths of one change type, or shows them.
func (vm *VM) SetHidden(c tree.ChangeType, hide bool) {
	vm.hidden = vm.hidden.With(c, hide)
	vm.Refresh()
}

// Order is the sort order.
func (vm *VM) Order() SortOrder { return vm.order }

// SetOrder sorts children by name or by size.
func (vm *VM) SetOrder(o SortOrder) {
	vm.order = o
	vm.children = nil
	vm.keepCursorInView()
}

// Filter is the filter pattern, "" for none.
func (vm *VM) Filter() string {
	if vm.filter == nil {
		return ""
	}
	return vm.filter.String()
}

// SetFilter shows only paths matching a Go regular expression (plain text
// matches as a substring), and their parents. An invalid pattern returns
// its error and leaves the filter as it was.
func (vm *VM) SetFilter(pattern string) error {
	if pattern == "" {
		vm.filter, vm.matches = nil, nil
		vm.Refresh()
		return nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return err
	}
	vm.filter, vm.matches = re, nil
	vm.Refresh()
	return nil
}

// refresh recomputes which nodes are rows, in one pass from the last node
// to the first: a node's children always come after it.
func (vm *VM) refresh() {
	t, v := vm.tree, vm.view
	n := t.Len()
	if vm.nodes != n {
		vm.children = nil
	}
	vm.nodes = n
	if vm.filter != nil && len(vm.matches) != n {
		vm.matches = make([]bool, n)
		for id := 1; id < n; id++ {
			vm.matches[id] = vm.filter.MatchString(t.Path(tree.NodeID(id)))
		}
	}
	vm.visible = grow(vm.visible, n)
	vm.sizes = grow(vm.sizes, n)
	clear(vm.visible)
	clear(vm.sizes)
	for id := n - 1; id >= 1; id-- {
		node := tree.NodeID(id)
		if !v.Shown(node) {
			continue
		}
		if e, ok := v.Entry(node); ok && !e.IsDir() && v.Own(node) != tree.Removed {
			vm.sizes[id] += e.Size
		}
		p := t.Parent(node)
		vm.sizes[p] += vm.sizes[id]
		own := !vm.hidden.Has(v.Change(node)) && (vm.matches == nil || vm.matches[id])
		if own || vm.visible[id] {
			vm.visible[id] = true
			vm.visible[p] = true
		}
	}
	if vm.order == BySize {
		vm.children = nil
	}
	vm.fixCursor()
}

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// sorted returns a node's children in the sort order, all of them, shown
// or not.
func (vm *VM) sorted(n tree.NodeID) []tree.NodeID {
	if vm.children == nil {
		vm.children = map[tree.NodeID][]tree.NodeID{}
		vm.pos = map[tree.NodeID]int32{}
	}
	if c, ok := vm.children[n]; ok {
		return c
	}
	var kids []tree.NodeID
	vm.tree.Children(n, func(c tree.NodeID) { kids = append(kids, c) })
	t := vm.tree
	slices.SortFunc(kids, func(a, b tree.NodeID) int {
		if vm.order == BySize {
			if c := cmp.Compare(vm.sizes[b], vm.sizes[a]); c != 0 {
				return c
			}
		}
		return strings.Compare(t.Name(a), t.Name(b))
	})
	for i, c := range kids {
		vm.pos[c] = int32(i)
	}
	vm.children[n] = kids
	return kids
}

// Visible says whether a node is a row when its parents are expanded.
func (vm *VM) Visible(n tree.NodeID) bool {
	return int(n) < len(vm.visible) && vm.visible[n]
}

// IsDir says whether the node is a directory at the view's layer.
func (vm *VM) IsDir(n tree.NodeID) bool {
	if n == tree.Root {
		return true
	}
	e, ok := vm.view.Entry(n)
	return ok && e.IsDir()
}

// Collapsed says whether a directory is collapsed.
func (vm *VM) Collapsed(n tree.NodeID) bool { return vm.collapsed[n] }

func (vm *VM) expandedWithRows(n tree.NodeID) bool {
	return (n == tree.Root || !vm.collapsed[n]) && vm.IsDir(n) && vm.Visible(n) || n == tree.Root
}

func (vm *VM) firstChild(n tree.NodeID) tree.NodeID {
	if !vm.expandedWithRows(n) {
		return tree.NoNode
	}
	for _, c := range vm.sorted(n) {
		if vm.Visible(c) {
			return c
		}
	}
	return tree.NoNode
}

func (vm *VM) lastChild(n tree.NodeID) tree.NodeID {
	if !vm.expandedWithRows(n) {
		return tree.NoNode
	}
	kids := vm.sorted(n)
	for i := len(kids) - 1; i >= 0; i-- {
		if vm.Visible(kids[i]) {
			return kids[i]
		}
	}
	return tree.NoNode
}

func (vm *VM) sibling(n tree.NodeID, dir int) tree.NodeID {
	kids := vm.sorted(vm.tree.Parent(n))
	for i := int(vm.pos[n]) + dir; i >= 0 && i < len(kids); i += dir {
		if vm.Visible(kids[i]) {
			return kids[i]
		}
	}
	return tree.NoNode
}

// Next is the row after n, NoNode after the last.
func (vm *VM) Next(n tree.NodeID) tree.NodeID {
	if n == tree.NoNode {
		return tree.NoNode
	}
	if c := vm.firstChild(n); c != tree.NoNode {
		return c
	}
	for n != tree.Root {
		if s := vm.sibling(n, +1); s != tree.NoNode {
			return s
		}
		n = vm.tree.Parent(n)
	}
	return tree.NoNode
}

// Prev is the row before n, NoNode before the first.
func (vm *VM) Prev(n tree.NodeID) tree.NodeID {
	if n == tree.NoNode || n == tree.Root {
		return tree.NoNode
	}
	s := vm.sibling(n, -1)
	if s == tree.NoNode {
		if p := vm.tree.Parent(n); p != tree.Root {
			return p
		}
		return tree.NoNode
	}
	for {
		c := vm.lastChild(s)
		if c == tree.NoNode {
			return s
		}
		s = c
	}
}

// First is the first row.
func (vm *VM) First() tree.NodeID { return vm.firstChild(tree.Root) }

// Last is the last row.
func (vm *VM) Last() tree.NodeID {
	n := vm.lastChild(tree.Root)
	for n != tree.NoNode {
		c := vm.lastChild(n)
		if c == tree.NoNode {
			return n
		}
		n = c
	}
	return n
}

// Cursor is the selected row, NoNode when there are no rows.
func (vm *VM) Cursor() tree.NodeID { return vm.cursor }

// Top is the first row in view.
func (vm *VM) Top() tree.NodeID { return vm.top }

// fixCursor moves the cursor to a row after what is shown changed: the
// same path when it is still a row, else its nearest shown parent.
func (vm *VM) fixCursor() {
	for vm.cursor != tree.NoNode && vm.cursor != tree.Root && !vm.isRow(vm.cursor) {
		vm.cursor = vm.tree.Parent(vm.cursor)
	}
	if vm.cursor == tree.NoNode || vm.cursor == tree.Root {
		vm.cursor = vm.First()
		vm.top = vm.cursor
	}
	if vm.top == tree.NoNode || !vm.isRow(vm.top) {
		vm.top = vm.cursor
	}
	vm.keepCursorInView()
}

// isRow says whether n is a row: visible, and every parent expanded.
func (vm *VM) isRow(n tree.NodeID) bool {
	if !vm.Visible(n) {
		return false
	}
	for p := vm.tree.Parent(n); p != tree.Root; p = vm.tree.Parent(p) {
		if vm.collapsed[p] || !vm.Visible(p) {
			return false
		}
	}
	return true
}

// keepCursorInView scrolls so that the cursor is one of the rows in view.
func (vm *VM) keepCursorInView() {
	if vm.cursor == tree.NoNode {
		vm.top = tree.NoNode
		return
	}
	n := vm.top
	inView := false
	for i := 0; i < vm.height && n != tree.NoNode; i++ {
		if n == vm.cursor {
			inView = true
			break
		}
		n = vm.Next(n)
	}
	if !inView {
		// Put it on the last row when it is below, else on the first.
		below := vm.isBelow(vm.cursor)
		vm.top = vm.cursor
		if below {
			vm.scrollUpBy(vm.height - 1)
		}
	}
	// Fill the screen when the rows after the top do not.
	rows := 0
	for n := vm.top; n != tree.NoNode && rows < vm.height; n = vm.Next(n) {
		rows++
	}
	vm.scrollUpBy(vm.height - rows)
}

// scrollUpBy moves the top row up by n rows, as far as there are rows.
func (vm *VM) scrollUpBy(n int) {
	for range n {
		p := vm.Prev(vm.top)
		if p == tree.NoNode {
			return
		}
		vm.top = p
	}
}

// isBelow guesses whether n comes after the rows in view: it does when
// walking back from n meets the top row within a screen.
func (vm *VM) isBelow(n tree.NodeID) bool {
	for i := 0; i < 2*vm.height+2 && n != tree.NoNode; i++ {
		if n == vm.top {
			return true
		}
		n = vm.Prev(n)
	}
	return false
}

// Rows returns the rows in view, top first.
func (vm *VM) Rows() []tree.NodeID {
	var rows []tree.NodeID
	for n := vm.top; n != tree.NoNode && len(rows) < vm.height; n = vm.Next(n) {
		rows = append(rows, n)
	}
	return rows
}

// Down moves the cursor n rows down.
func (vm *VM) Down(n int) {
	for range n {
		next := vm.Next(vm.cursor)
		if next == tree.NoNode {
			break
		}
		if vm.cursor == vm.lastInView() {
			vm.top = vm.Next(vm.top)
		}
		vm.cursor = next
	}
	vm.keepCursorInView()
}

// Up moves the cursor n rows up.
func (vm *VM) Up(n int) {
	for range n {
		prev := vm.Prev(vm.cursor)
		if prev == tree.NoNode {
			break
		}
		if vm.cursor == vm.top {
			vm.top = prev
		}
		vm.cursor = prev
	}
	vm.keepCursorInView()
}

func (vm *VM) lastInView() tree.NodeID {
	n := vm.top
	for i := 1; i < vm.height && n != tree.NoNode; i++ {
		next := vm.Next(n)
		if next == tree.NoNode {
			break
		}
		n = next
	}
	return n
}

// Home moves the cursor to the first row.
func (vm *VM) Home() {
	vm.cursor = vm.First()
	vm.top = vm.cursor
}

// End moves the cursor to the last row.
func (vm *VM) End() {
	vm.cursor = vm.Last()
	vm.top = vm.cursor
	vm.keepCursorInView()
}

// Select puts the cursor on a node, expanding its parents.
func (vm *VM) Select(n tree.NodeID) bool {
	if !vm.Visible(n) {
		return false
	}
	for p := vm.tree.Parent(n); p != tree.Root; p = vm.tree.Parent(p) {
		delete(vm.collapsed, p)
	}
	vm.cursor = n
	vm.keepCursorInView()
	return true
}

// Toggle collapses or expands the directory under the cursor.
func (vm *VM) Toggle() {
	if vm.cursor == tree.NoNode || !vm.IsDir(vm.cursor) {
		return
	}
	vm.setCollapsed(vm.cursor, !vm.collapsed[vm.cursor])
}

func (vm *VM) setCollapsed(n tree.NodeID, c bool) {
	if c {
		vm.collapsed[n] = true
	} else {
		delete(vm.collapsed, n)
	}
	vm.keepCursorInView()
}

// Collapse collapses the directory under the cursor, or when it is not an
// expanded directory moves the cursor to its parent (dive's left key).
func (vm *VM) Collapse() {
	n := vm.cursor
	if n == tree.NoNode {
		return
	}
	if vm.IsDir(n) && !vm.collapsed[n] && vm.firstChild(n) != tree.NoNode {
		vm.setCollapsed(n, true)
		return
	}
	if p := vm.tree.Parent(n); p != tree.Root {
		vm.cursor = p
		vm.keepCursorInView()
	}
}

// Expand expands the directory under the cursor.
func (vm *VM) Expand() {
	if vm.cursor != tree.NoNode && vm.IsDir(vm.cursor) {
		vm.setCollapsed(vm.cursor, false)
	}
}

// ToggleAll collapses every directory, or when the top level is already
// collapsed, expands every one.
func (vm *VM) ToggleAll() {
	collapse := false
	for _, c := range vm.sorted(tree.Root) {
		if vm.Visible(c) && vm.IsDir(c) && !vm.collapsed[c] {
			collapse = true
			break
		}
	}
	clear(vm.collapsed)
	if collapse {
		for id := 1; id < len(vm.visible); id++ {
			n := tree.NodeID(id)
			if vm.visible[id] && vm.IsDir(n) {
				vm.collapsed[n] = true
			}
		}
		for vm.cursor != tree.NoNode && vm.tree.Parent(vm.cursor) != tree.Root {
			vm.cursor = vm.tree.Parent(vm.cursor)
		}
	}
	vm.top = vm.First()
	vm.keepCursorInView()
}

// Size is a node's total size at the view's layer.
func (vm *VM) Size(n tree.NodeID) int64 {
	if int(n) >= len(vm.sizes) {
		return 0
	}
	return vm.sizes[n]
}

// Depth is how deep a node is: 0 for the root's children.
func (vm *VM) Depth(n tree.NodeID) int {
	d := 0
	for p := vm.tree.Parent(n); p != tree.Root && p != tree.NoNode; p = vm.tree.Parent(p) {
		d++
	}
	return d
}

// IsLast says whether a node is the last shown child of its parent.
func (vm *VM) IsLast(n tree.NodeID) bool { return vm.sibling(n, +1) == tree.NoNode }

// HasRows says whether a directory has shown children.
func (vm *VM) HasRows(n tree.NodeID) bool { return vm.firstChildAny(n) != tree.NoNode }

func (vm *VM) firstChildAny(n tree.NodeID) tree.NodeID {
	for _, c := range vm.sorted(n) {
		if vm.Visible(c) {
			return c
		}
	}
	return tree.NoNode
}
