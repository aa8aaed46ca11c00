package analyze

import (
	"archive/tar"
	"io/fs"
)

func (t *Tree) present(n NodeID) bool {
	if n == Root {
		return true
	}
	last := t.nodes[n].last
	return last != NoEntry && t.entries[last].Death == Alive
}

func (t *Tree) linkLive(n NodeID) {
	p := t.nodes[n].parent
	head := t.nodes[p].liveFirst
	t.nodes[n].liveNext, t.nodes[n].livePrev = head, NoNode
	if head != NoNode {
		t.nodes[head].livePrev = n
	}
	t.nodes[p].liveFirst = n
}

func (t *Tree) unlinkLive(n NodeID) {
	nd := &t.nodes[n]
	if nd.livePrev != NoNode {
		t.nodes[nd.livePrev].liveNext = nd.liveNext
	} else {
		t.nodes[nd.parent].liveFirst = nd.liveNext
	}
	if nd.liveNext != NoNode {
		t.nodes[nd.liveNext].livePrev = nd.livePrev
	}
	nd.liveNext, nd.livePrev = NoNode, NoNode
}

// killChildren ends, at layer k, every live version below n, and returns
// their total size. Each killed node is passed to removed.
func (t *Tree) killChildren(n NodeID, k int32, removed func(NodeID)) int64 {
	var size int64
	stack := []NodeID{n}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for c := t.nodes[p].liveFirst; c != NoNode; {
			next := t.nodes[c].liveNext
			e := &t.entries[t.nodes[c].last]
			e.Death = k
			size += e.Size
			removed(c)
			stack = append(stack, c)
			t.nodes[c].liveNext, t.nodes[c].livePrev = NoNode, NoNode
			c = next
		}
		t.nodes[p].liveFirst = NoNode
	}
	return size
}

// kill ends, at layer k, the live version of n and everything below it.
// It returns the killed version and the total size removed.
func (t *Tree) kill(n NodeID, k int32, removed func(NodeID)) (EntryID, int64) {
	if n == Root {
		return NoEntry, t.killChildren(n, k, removed)
	}
	if !t.present(n) {
		return NoEntry, 0
	}
	v := t.nodes[n].last
	t.entries[v].Death = k
	size := t.entries[v].Size
	removed(n)
	t.unlinkLive(n)
	return v, size + t.killChildren(n, k, removed)
}

// supersede ends the live version of n at layer k because layer k writes n
// again; directories replaced by something else lose their children.
func (t *Tree) supersede(n NodeID, k int32, newIsDir bool, removed func(NodeID)) EntryID {
	v := t.nodes[n].last
	e := &t.entries[v]
	e.Death = k
	if e.Layer == k {
		e.Superseded = true
	}
	if e.IsDir() && !newIsDir {
		t.killChildren(n, k, removed)
	}
	return v
}

// put adds a new live version of n at layer k.
func (t *Tree) put(n NodeID, k int32, e Entry, removed func(NodeID)) EntryID {
	t.ensureParent(n, k, removed)
	prev := t.nodes[n].last
	if t.present(n) {
		t.supersede(n, k, e.Type == tar.TypeDir, removed)
	} else {
		t.linkLive(n)
	}
	e.Node, e.Layer, e.Death, e.prev = n, k, Alive, prev
	id := EntryID(len(t.entries))
	t.entries = append(t.entries, e)
	t.nodes[n].last = id
	return id
}

// ensureParent makes every parent of n a live directory, adding implied
// directory versions at layer k where the stack has none.
func (t *Tree) ensureParent(n NodeID, k int32, removed func(NodeID)) {
	p := t.nodes[n].parent
	if p == Root {
		return
	}
	if t.present(p) && t.entries[t.nodes[p].last].IsDir() {
		return
	}
	t.put(p, k, Entry{Type: tar.TypeDir, Kind: Implied, Mode: fs.ModeDir | 0o755}, removed)
}
