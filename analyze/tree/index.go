package tree

import (
	"hash/maphash"
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
		if nd := t.node(c); nd.parent == parent && t.names.Get(nd.name) == name {
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
		i := int(ix.hash(nd.parent, t.names.Get(nd.name))) & mask
		for ix.slots[i] != NoNode {
			i = (i + 1) & mask
		}
		ix.slots[i] = c
	}
}
