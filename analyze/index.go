package analyze

import (
	"hash/maphash"
	"math"
	"strings"
)

// childIndex finds a node's child by name. It is an open-addressing hash
// table of node ids: four bytes a slot, the key read back from the node.
// The seed is random, so that no image can choose names that collide.
type childIndex struct {
	seed  maphash.Seed
	slots []NodeID // NoNode where empty; a power of two long
	n     int
}

func newChildIndex() childIndex {
	ix := childIndex{seed: maphash.MakeSeed(), slots: make([]NodeID, 1024)}
	for i := range ix.slots {
		ix.slots[i] = NoNode
	}
	return ix
}

func (ix *childIndex) hash(parent NodeID, name string) uint64 {
	return maphash.String(ix.seed, name) ^ uint64(parent)*0x9e3779b97f4a7c15
}

// find returns the child of parent called name, or the slot where it
// would go.
func (ix *childIndex) find(t *Tree, parent NodeID, name string) (NodeID, int) {
	mask := len(ix.slots) - 1
	for i := int(ix.hash(parent, name)) & mask; ; i = (i + 1) & mask {
		c := ix.slots[i]
		if c == NoNode {
			return NoNode, i
		}
		if nd := t.node(c); nd.parent == parent && t.names.get(nd.name) == name {
			return c, i
		}
	}
}

// add puts node id, not yet in the index, into the slot find returned.
func (ix *childIndex) add(t *Tree, slot int, id NodeID) {
	ix.slots[slot] = id
	ix.n++
	if ix.n*4 < len(ix.slots)*3 {
		return
	}
	old := ix.slots
	ix.slots = make([]NodeID, 2*len(old))
	for i := range ix.slots {
		ix.slots[i] = NoNode
	}
	mask := len(ix.slots) - 1
	for _, c := range old {
		if c == NoNode {
			continue
		}
		nd := t.node(c)
		i := int(ix.hash(nd.parent, t.names.get(nd.name))) & mask
		for ix.slots[i] != NoNode {
			i = (i + 1) & mask
		}
		ix.slots[i] = c
	}
}

// nameArena keeps strings in shared 64 KiB strings instead of one
// allocation each.
type nameArena struct {
	b strings.Builder
}

const nameChunk = 64 << 10

func (a *nameArena) intern(s string) string { return a.internAfter("", s) }

// internAfter keeps prefix+s, for the cost of copying it once.
func (a *nameArena) internAfter(prefix, s string) string {
	n := len(prefix) + len(s)
	if n > nameChunk/16 {
		return prefix + s
	}
	if a.b.Cap()-a.b.Len() < n {
		a.b = strings.Builder{}
		a.b.Grow(nameChunk)
	}
	start := a.b.Len()
	a.b.WriteString(prefix)
	a.b.WriteString(s)
	// The Builder only appends within its capacity, so the bytes behind
	// earlier results never change.
	return a.b.String()[start:]
}

// nameRef is a name kept in a nameStore. Unlike a string it holds no
// pointer, so the garbage collector need not look into the nodes that
// hold one.
type nameRef struct {
	off uint32 // chunk<<16 | position in the chunk, or the index in long
	len uint32 // longName for names kept in long
}

const longName = math.MaxUint32

// nameStore keeps the tree's node names in 64 KiB chunks.
type nameStore struct {
	chunks []*strings.Builder
	long   []string // names too long for a chunk, or past the last chunk
}

func (s *nameStore) add(name string) nameRef {
	if name == "" {
		return nameRef{}
	}
	if len(name) > nameChunk/16 || len(s.chunks) > math.MaxUint16 {
		s.long = append(s.long, strings.Clone(name))
		return nameRef{off: uint32(len(s.long) - 1), len: longName}
	}
	last := len(s.chunks) - 1
	if last < 0 || s.chunks[last].Cap()-s.chunks[last].Len() < len(name) {
		b := new(strings.Builder)
		b.Grow(nameChunk)
		s.chunks = append(s.chunks, b)
		last++
		if last > math.MaxUint16 {
			return s.add(name)
		}
	}
	b := s.chunks[last]
	start := b.Len()
	b.WriteString(name) // within its capacity: the bytes never move
	return nameRef{off: uint32(last)<<16 | uint32(start), len: uint32(len(name))}
}

func (s *nameStore) get(r nameRef) string {
	switch r.len {
	case 0:
		return ""
	case longName:
		return s.long[r.off]
	}
	start := int(r.off & 0xffff)
	return s.chunks[r.off>>16].String()[start : start+int(r.len)]
}
