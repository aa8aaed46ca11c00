package tree

import (
	"archive/tar"
	"io/fs"
)

func (t *Tree) present(n NodeID) bool {
	if n == Root {
		return true
	}
	last := t.node(n).last
	return last != NoEntry && t.entry(last).Death == Alive
}

func (t *Tree) linkLive(n NodeID) {
	p := t.node(n).parent
	head := t.node(p).liveFirst
	t.node(n).liveNext, t.node(n).livePrev = head, NoNode
	if head != NoNode {
		t.node(head).livePrev = n
	}
	t.node(p).liveFirst = n
}

func (t *Tree) unlinkLive(n NodeID) {
	nd := t.node(n)
	if nd.livePrev != NoNode {
		t.node(nd.livePrev).liveNext = nd.liveNext
	} else {
		t.node(nd.parent).liveFirst = nd.liveNext
	}
	if nd.liveNext != NoNode {
		t.node(nd.liveNext).livePrev = nd.livePrev
	}
	nd.liveNext, nd.livePrev = NoNode, NoNode
}

// killChildren ends, at layer k, every live version below n, for cause,
// and returns their total size. Each killed node is passed to removed.
func (t *Tree) killChildren(n NodeID, k int32, cause Cause, removed func(NodeID)) int64 {
	var size int64
	stack := []NodeID{n}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for c := t.node(p).liveFirst; c != NoNode; {
			next := t.node(c).liveNext
			v := t.node(c).last
			e := t.entry(v)
			e.Death = k
			t.deadBytes += e.Size
			size += e.Size
			t.died(v, k, cause, NoEntry)
			removed(c)
			stack = append(stack, c)
			t.node(c).liveNext, t.node(c).livePrev = NoNode, NoNode
			c = next
		}
		t.node(p).liveFirst = NoNode
	}
	return size
}

// kill ends, at layer k, the live version of n and everything below it.
// It returns the killed version and the total size removed.
func (t *Tree) kill(n NodeID, k int32, removed func(NodeID)) (EntryID, int64) {
	if n == Root {
		return NoEntry, t.killChildren(n, k, Deleted, removed)
	}
	if !t.present(n) {
		return NoEntry, 0
	}
	v := t.node(n).last
	t.entry(v).Death = k
	size := t.entry(v).Size
	t.deadBytes += size
	t.died(v, k, Deleted, NoEntry)
	removed(n)
	t.unlinkLive(n)
	return v, size + t.killChildren(n, k, Deleted, removed)
}

// supersede ends the live version of n at layer k because layer k writes n
// again; directories replaced by something else lose their children.
func (t *Tree) supersede(n NodeID, k int32, newIsDir bool, removed func(NodeID)) EntryID {
	v := t.node(n).last
	e := t.entry(v)
	e.Death = k
	t.deadBytes += e.Size
	if e.Layer == k {
		e.Superseded = true
	}
	if e.IsDir() && !newIsDir {
		t.killChildren(n, k, ParentReplaced, removed)
	}
	return v
}

// put adds a new live version of n at layer k.
func (t *Tree) put(n NodeID, k int32, e Entry, removed func(NodeID)) EntryID {
	t.ensureParent(n, k, removed)
	prev := t.node(n).last
	replaced := NoEntry
	if t.present(n) {
		replaced = t.supersede(n, k, e.Type == tar.TypeDir, removed)
	} else {
		t.linkLive(n)
	}
	e.Node, e.Layer, e.Death, e.prev = n, k, Alive, prev
	id := EntryID(t.entries.Add(e))
	t.node(n).last = id
	if replaced != NoEntry {
		t.died(replaced, k, Replaced, id)
	}
	return id
}

// ensureParent makes every parent of n a live directory, adding implied
// directory versions at layer k where the stack has none.
func (t *Tree) ensureParent(n NodeID, k int32, removed func(NodeID)) {
	p := t.node(n).parent
	if p == Root {
		return
	}
	if t.present(p) && t.entry(t.node(p).last).IsDir() {
		return
	}
	t.put(p, k, Entry{Type: tar.TypeDir, Kind: Implied, Mode: fs.ModeDir | 0o755}, removed)
}
