package treeview

// This file moves the cursor and the window of rows in view. Each move
// walks rows from the cursor or the top of the window, never the whole
// tree, so that it costs the same on any tree.

// setHeight sets how many rows are in view.
func (r *rows) setHeight(h int) {
	r.height = max(1, h)
	r.keepCursorInView()
}

// setTop puts the window's first row on n, d rows after the old one (a
// d of 0 says that the distance is not known).
func (r *rows) setTop(n Node, d int) {
	if d == 0 || r.rank < 0 {
		r.rank = -1
	} else {
		r.rank += d
	}
	if n == r.top && d == 0 {
		return
	}
	r.top = n
}

// topRank is the number of rows before the first in view, for the scroll
// bar: kept as the window moves a row at a time, else counted again.
func (r *rows) topRank() int {
	if r.rank < 0 {
		r.rank = r.rankOf(r.top)
	}
	return r.rank
}

// rankOf counts the rows before n: one walk up its path, adding at each
// level the rows of the siblings before it.
func (r *rows) rankOf(n Node) int {
	if n == NoNode {
		return 0
	}
	rank := 0
	for c := n; c != Root; {
		p := r.tree.Parent(c)
		ks := r.sorted(p)
		for _, s := range ks[:r.pos[c]] {
			rank++
			if r.expanded(s) {
				rank += int(r.below[s])
			}
		}
		if p != Root {
			rank++
		}
		c = p
	}
	return rank
}

// keepCursorInView scrolls so that the cursor is one of the rows in view,
// and so that the rows fill the window when there are enough.
func (r *rows) keepCursorInView() {
	if r.cursor == NoNode {
		r.top, r.rank = NoNode, 0
		return
	}
	if r.top == NoNode {
		r.setTop(r.cursor, 0)
	}
	if r.indexInView(r.cursor) < 0 {
		// Put it on the last row when it is below, else on the first.
		below := r.isBelow(r.cursor)
		r.setTop(r.cursor, 0)
		if below {
			r.scrollUpBy(r.height - 1)
		}
	}
	n, shown := r.top, 0
	for ; n != NoNode && shown < r.height; n = r.next(n) {
		shown++
	}
	r.scrollUpBy(r.height - shown)
}

// indexInView is where n is among the rows in view, -1 when it is not.
func (r *rows) indexInView(n Node) int {
	c := r.top
	for i := 0; i < r.height && c != NoNode; i++ {
		if c == n {
			return i
		}
		c = r.next(c)
	}
	return -1
}

// scrollUpBy moves the top row up by n rows, as far as there are rows.
func (r *rows) scrollUpBy(n int) {
	for range n {
		p := r.prev(r.top)
		if p == NoNode {
			return
		}
		r.setTop(p, -1)
	}
}

// isBelow guesses whether n comes after the rows in view: it does when
// walking back from n meets the top row within two windows.
func (r *rows) isBelow(n Node) bool {
	for i := 0; i < 2*r.height+2 && n != NoNode; i++ {
		if n == r.top {
			return true
		}
		n = r.prev(n)
	}
	return false
}

// inView returns the rows in view, top first.
func (r *rows) inView() []Node {
	var out []Node
	for n := r.top; n != NoNode && len(out) < r.height; n = r.next(n) {
		out = append(out, n)
	}
	return out
}

// down moves the cursor n rows down.
func (r *rows) down(n int) {
	at := r.indexInView(r.cursor)
	for range n {
		next := r.next(r.cursor)
		if next == NoNode {
			break
		}
		switch {
		case at == r.height-1:
			r.setTop(r.next(r.top), 1)
		case at >= 0:
			at++
		}
		r.cursor = next
	}
	r.keepCursorInView()
}

// up moves the cursor n rows up.
func (r *rows) up(n int) {
	for range n {
		prev := r.prev(r.cursor)
		if prev == NoNode {
			break
		}
		if r.cursor == r.top {
			r.setTop(prev, -1)
		}
		r.cursor = prev
	}
	r.keepCursorInView()
}

// home moves the cursor to the first row.
func (r *rows) home() {
	r.cursor = r.first()
	r.top, r.rank = r.cursor, 0
}

// end moves the cursor to the last row.
func (r *rows) end() {
	r.cursor = r.last()
	r.setTop(r.cursor, 0)
	r.scrollUpBy(r.height - 1)
	r.rank = max(0, r.total()-r.height)
}

// selectNode puts the cursor on a shown node, expanding its parents.
func (r *rows) selectNode(n Node) bool {
	if !r.isVisible(n) {
		return false
	}
	opened := false
	for p := r.tree.Parent(n); p != Root && p != NoNode; p = r.tree.Parent(p) {
		if r.collapsed.has(p) {
			r.collapsed.set(p, false)
			opened = true
		}
	}
	if opened {
		r.derive()
	}
	r.cursor = n
	r.rank = -1
	r.keepCursorInView()
	return true
}

// setCollapsed folds or unfolds a directory, counting its rows in or out
// of every directory above it.
func (r *rows) setCollapsed(n Node, c bool) {
	if r.collapsed.has(n) == c || !r.isDir(n) {
		return
	}
	r.collapsed.set(n, c)
	r.forget()
	if r.isVisible(n) {
		d := r.below[n]
		if c {
			d = -d
		}
		for p := r.tree.Parent(n); p != NoNode; p = r.tree.Parent(p) {
			r.below[p] += d
		}
	}
	r.rank = -1
	r.keepCursorInView()
}

// toggle folds or unfolds the directory under the cursor.
func (r *rows) toggle() {
	if r.cursor != NoNode && r.isDir(r.cursor) {
		r.setCollapsed(r.cursor, !r.collapsed.has(r.cursor))
	}
}

// collapse folds the directory under the cursor or, when there is nothing
// to fold, moves to its parent (dive's left key).
func (r *rows) collapse() {
	n := r.cursor
	if n == NoNode {
		return
	}
	if r.isDir(n) && !r.collapsed.has(n) && r.firstChild(n) != NoNode {
		r.setCollapsed(n, true)
		return
	}
	if p := r.tree.Parent(n); p != Root {
		r.cursor = p
		r.keepCursorInView()
	}
}

// expand unfolds the directory under the cursor.
func (r *rows) expand() {
	if r.cursor != NoNode {
		r.setCollapsed(r.cursor, false)
	}
}

// toggleAll folds every directory or, when the top level is folded
// already, unfolds every one.
func (r *rows) toggleAll() {
	fold := false
	for _, c := range r.sorted(Root) {
		if r.isDir(c) && !r.collapsed.has(c) && r.hasRows(c) {
			fold = true
			break
		}
	}
	clear(r.collapsed)
	if fold {
		for id := len(r.visible) - 1; id >= 1; id-- {
			if r.visible[id] && r.dir[id] {
				r.collapsed.set(Node(id), true)
			}
		}
		for r.cursor != NoNode && r.tree.Parent(r.cursor) != Root {
			r.cursor = r.tree.Parent(r.cursor)
		}
	}
	r.derive()
	r.top, r.rank = r.first(), 0
	r.keepCursorInView()
}

// atLeftEdge says whether collapsing would do nothing: the cursor is on a
// top-level row that is not an expanded directory with rows.
func (r *rows) atLeftEdge() bool {
	n := r.cursor
	if n == NoNode {
		return true
	}
	if r.tree.Parent(n) != Root {
		return false
	}
	return !r.isDir(n) || r.collapsed.has(n) || !r.hasRows(n)
}
