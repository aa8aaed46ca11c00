package filetree

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze"
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
	tree   *analyze.Tree
	view   *analyze.View
	hidden [4]bool
	filter *regexp.Regexp
	order  SortOrder

	collapsed map[analyze.NodeID]bool

	// Derived from the view, the filter and the hidden types.
	visible []bool  // the node is a row when its parents are expanded
	sizes   []int64 // total size at the layer: a file its size, a directory what is below it
	matches []bool  // the node's path matches the filter (nil: no filter)
	nodes   int     // the tree size the derived state was built for

	children map[analyze.NodeID][]analyze.NodeID // sorted children, all of them
	pos      map[analyze.NodeID]int32            // a node's place among its parent's sorted children

	cursor analyze.NodeID
	top    analyze.NodeID
	height int
}

// NewVM makes a view-model with nothing to show yet.
func NewVM() *VM {
	return &VM{collapsed: map[analyze.NodeID]bool{}, cursor: analyze.NoNode, top: analyze.NoNode}
}

// SetView shows another layer or compare mode, keeping the cursor on the
// same path where it can.
func (vm *VM) SetView(v *analyze.View) {
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
func (vm *VM) View() *analyze.View { return vm.view }

// SetHeight sets how many rows the pane shows.
func (vm *VM) SetHeight(h int) {
	vm.height = max(1, h)
	vm.keepCursorInView()
}

// Hidden says whether a change type is hidden.
func (vm *VM) Hidden(c analyze.ChangeType) bool { return vm.hidden[c] }

// ToggleHidden hides or shows paths of one change type.
func (vm *VM) ToggleHidden(c analyze.ChangeType) {
	vm.hidden[c] = !vm.hidden[c]
	vm.Refresh()
}

// SetHidden hides paths of one change type, or shows them.
func (vm *VM) SetHidden(c analyze.ChangeType, hide bool) {
	vm.hidden[c] = hide
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
			vm.matches[id] = vm.filter.MatchString(t.Path(analyze.NodeID(id)))
		}
	}
	vm.visible = grow(vm.visible, n)
	vm.sizes = grow(vm.sizes, n)
	clear(vm.visible)
	clear(vm.sizes)
	for id := n - 1; id >= 1; id-- {
		node := analyze.NodeID(id)
		if !v.Shown(node) {
			continue
		}
		if e, ok := v.Entry(node); ok && !e.IsDir() && v.Own(node) != analyze.Removed {
			vm.sizes[id] += e.Size
		}
		p := t.Parent(node)
		vm.sizes[p] += vm.sizes[id]
		own := !vm.hidden[v.Change(node)] && (vm.matches == nil || vm.matches[id])
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
func (vm *VM) sorted(n analyze.NodeID) []analyze.NodeID {
	if vm.children == nil {
		vm.children = map[analyze.NodeID][]analyze.NodeID{}
		vm.pos = map[analyze.NodeID]int32{}
	}
	if c, ok := vm.children[n]; ok {
		return c
	}
	var kids []analyze.NodeID
	vm.tree.Children(n, func(c analyze.NodeID) { kids = append(kids, c) })
	t := vm.tree
	slices.SortFunc(kids, func(a, b analyze.NodeID) int {
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
func (vm *VM) Visible(n analyze.NodeID) bool {
	return int(n) < len(vm.visible) && vm.visible[n]
}

// IsDir says whether the node is a directory at the view's layer.
func (vm *VM) IsDir(n analyze.NodeID) bool {
	if n == analyze.Root {
		return true
	}
	e, ok := vm.view.Entry(n)
	return ok && e.IsDir()
}

// Collapsed says whether a directory is collapsed.
func (vm *VM) Collapsed(n analyze.NodeID) bool { return vm.collapsed[n] }

func (vm *VM) expandedWithRows(n analyze.NodeID) bool {
	return (n == analyze.Root || !vm.collapsed[n]) && vm.IsDir(n) && vm.Visible(n) || n == analyze.Root
}

func (vm *VM) firstChild(n analyze.NodeID) analyze.NodeID {
	if !vm.expandedWithRows(n) {
		return analyze.NoNode
	}
	for _, c := range vm.sorted(n) {
		if vm.Visible(c) {
			return c
		}
	}
	return analyze.NoNode
}

func (vm *VM) lastChild(n analyze.NodeID) analyze.NodeID {
	if !vm.expandedWithRows(n) {
		return analyze.NoNode
	}
	kids := vm.sorted(n)
	for i := len(kids) - 1; i >= 0; i-- {
		if vm.Visible(kids[i]) {
			return kids[i]
		}
	}
	return analyze.NoNode
}

func (vm *VM) sibling(n analyze.NodeID, dir int) analyze.NodeID {
	kids := vm.sorted(vm.tree.Parent(n))
	for i := int(vm.pos[n]) + dir; i >= 0 && i < len(kids); i += dir {
		if vm.Visible(kids[i]) {
			return kids[i]
		}
	}
	return analyze.NoNode
}

// Next is the row after n, NoNode after the last.
func (vm *VM) Next(n analyze.NodeID) analyze.NodeID {
	if n == analyze.NoNode {
		return analyze.NoNode
	}
	if c := vm.firstChild(n); c != analyze.NoNode {
		return c
	}
	for n != analyze.Root {
		if s := vm.sibling(n, +1); s != analyze.NoNode {
			return s
		}
		n = vm.tree.Parent(n)
	}
	return analyze.NoNode
}

// Prev is the row before n, NoNode before the first.
func (vm *VM) Prev(n analyze.NodeID) analyze.NodeID {
	if n == analyze.NoNode || n == analyze.Root {
		return analyze.NoNode
	}
	s := vm.sibling(n, -1)
	if s == analyze.NoNode {
		if p := vm.tree.Parent(n); p != analyze.Root {
			return p
		}
		return analyze.NoNode
	}
	for {
		c := vm.lastChild(s)
		if c == analyze.NoNode {
			return s
		}
		s = c
	}
}

// First is the first row.
func (vm *VM) First() analyze.NodeID { return vm.firstChild(analyze.Root) }

// Last is the last row.
func (vm *VM) Last() analyze.NodeID {
	n := vm.lastChild(analyze.Root)
	for n != analyze.NoNode {
		c := vm.lastChild(n)
		if c == analyze.NoNode {
			return n
		}
		n = c
	}
	return n
}

// Cursor is the selected row, NoNode when there are no rows.
func (vm *VM) Cursor() analyze.NodeID { return vm.cursor }

// Top is the first row in view.
func (vm *VM) Top() analyze.NodeID { return vm.top }

// fixCursor moves the cursor to a row after what is shown changed: the
// same path when it is still a row, else its nearest shown parent.
func (vm *VM) fixCursor() {
	for vm.cursor != analyze.NoNode && vm.cursor != analyze.Root && !vm.isRow(vm.cursor) {
		vm.cursor = vm.tree.Parent(vm.cursor)
	}
	if vm.cursor == analyze.NoNode || vm.cursor == analyze.Root {
		vm.cursor = vm.First()
		vm.top = vm.cursor
	}
	if vm.top == analyze.NoNode || !vm.isRow(vm.top) {
		vm.top = vm.cursor
	}
	vm.keepCursorInView()
}

// isRow says whether n is a row: visible, and every parent expanded.
func (vm *VM) isRow(n analyze.NodeID) bool {
	if !vm.Visible(n) {
		return false
	}
	for p := vm.tree.Parent(n); p != analyze.Root; p = vm.tree.Parent(p) {
		if vm.collapsed[p] || !vm.Visible(p) {
			return false
		}
	}
	return true
}

// keepCursorInView scrolls so that the cursor is one of the rows in view.
func (vm *VM) keepCursorInView() {
	if vm.cursor == analyze.NoNode {
		vm.top = analyze.NoNode
		return
	}
	n := vm.top
	inView := false
	for i := 0; i < vm.height && n != analyze.NoNode; i++ {
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
	for n := vm.top; n != analyze.NoNode && rows < vm.height; n = vm.Next(n) {
		rows++
	}
	vm.scrollUpBy(vm.height - rows)
}

// scrollUpBy moves the top row up by n rows, as far as there are rows.
func (vm *VM) scrollUpBy(n int) {
	for range n {
		p := vm.Prev(vm.top)
		if p == analyze.NoNode {
			return
		}
		vm.top = p
	}
}

// isBelow guesses whether n comes after the rows in view: it does when
// walking back from n meets the top row within a screen.
func (vm *VM) isBelow(n analyze.NodeID) bool {
	for i := 0; i < 2*vm.height+2 && n != analyze.NoNode; i++ {
		if n == vm.top {
			return true
		}
		n = vm.Prev(n)
	}
	return false
}

// Rows returns the rows in view, top first.
func (vm *VM) Rows() []analyze.NodeID {
	var rows []analyze.NodeID
	for n := vm.top; n != analyze.NoNode && len(rows) < vm.height; n = vm.Next(n) {
		rows = append(rows, n)
	}
	return rows
}

// Down moves the cursor n rows down.
func (vm *VM) Down(n int) {
	for range n {
		next := vm.Next(vm.cursor)
		if next == analyze.NoNode {
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
		if prev == analyze.NoNode {
			break
		}
		if vm.cursor == vm.top {
			vm.top = prev
		}
		vm.cursor = prev
	}
	vm.keepCursorInView()
}

func (vm *VM) lastInView() analyze.NodeID {
	n := vm.top
	for i := 1; i < vm.height && n != analyze.NoNode; i++ {
		next := vm.Next(n)
		if next == analyze.NoNode {
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
func (vm *VM) Select(n analyze.NodeID) bool {
	if !vm.Visible(n) {
		return false
	}
	for p := vm.tree.Parent(n); p != analyze.Root; p = vm.tree.Parent(p) {
		delete(vm.collapsed, p)
	}
	vm.cursor = n
	vm.keepCursorInView()
	return true
}

// Toggle collapses or expands the directory under the cursor.
func (vm *VM) Toggle() {
	if vm.cursor == analyze.NoNode || !vm.IsDir(vm.cursor) {
		return
	}
	vm.setCollapsed(vm.cursor, !vm.collapsed[vm.cursor])
}

func (vm *VM) setCollapsed(n analyze.NodeID, c bool) {
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
	if n == analyze.NoNode {
		return
	}
	if vm.IsDir(n) && !vm.collapsed[n] && vm.firstChild(n) != analyze.NoNode {
		vm.setCollapsed(n, true)
		return
	}
	if p := vm.tree.Parent(n); p != analyze.Root {
		vm.cursor = p
		vm.keepCursorInView()
	}
}

// Expand expands the directory under the cursor.
func (vm *VM) Expand() {
	if vm.cursor != analyze.NoNode && vm.IsDir(vm.cursor) {
		vm.setCollapsed(vm.cursor, false)
	}
}

// ToggleAll collapses every directory, or when the top level is already
// collapsed, expands every one.
func (vm *VM) ToggleAll() {
	collapse := false
	for _, c := range vm.sorted(analyze.Root) {
		if vm.Visible(c) && vm.IsDir(c) && !vm.collapsed[c] {
			collapse = true
			break
		}
	}
	clear(vm.collapsed)
	if collapse {
		for id := 1; id < len(vm.visible); id++ {
			n := analyze.NodeID(id)
			if vm.visible[id] && vm.IsDir(n) {
				vm.collapsed[n] = true
			}
		}
		for vm.cursor != analyze.NoNode && vm.tree.Parent(vm.cursor) != analyze.Root {
			vm.cursor = vm.tree.Parent(vm.cursor)
		}
	}
	vm.top = vm.First()
	vm.keepCursorInView()
}

// Size is a node's total size at the view's layer.
func (vm *VM) Size(n analyze.NodeID) int64 {
	if int(n) >= len(vm.sizes) {
		return 0
	}
	return vm.sizes[n]
}

// Depth is how deep a node is: 0 for the root's children.
func (vm *VM) Depth(n analyze.NodeID) int {
	d := 0
	for p := vm.tree.Parent(n); p != analyze.Root && p != analyze.NoNode; p = vm.tree.Parent(p) {
		d++
	}
	return d
}

// IsLast says whether a node is the last shown child of its parent.
func (vm *VM) IsLast(n analyze.NodeID) bool { return vm.sibling(n, +1) == analyze.NoNode }

// HasRows says whether a directory has shown children.
func (vm *VM) HasRows(n analyze.NodeID) bool { return vm.firstChildAny(n) != analyze.NoNode }

func (vm *VM) firstChildAny(n analyze.NodeID) analyze.NodeID {
	for _, c := range vm.sorted(n) {
		if vm.Visible(c) {
			return c
		}
	}
	return analyze.NoNode
}
