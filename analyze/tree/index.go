package tree

import (
	"hash/maphash"
)

// childIndex finds a node's child by name. It is an open-addressing hash
// table of node ids: eight bytes a slot, the node id and the high 32 bits
// of its key's hash, which choose the slot and let a probe skip the slots
// of other keys without reading their nodes; the key is read back from
// the node only where those bits match. (With four-byte slots every probe
// read a node and its name from wherever they lie in memory, and a name
// not yet in the tree — the most common lookup while a layer is stacked —
// read the nodes of its whole probe sequence.)
// The seed is random, so that no image can choose names that collide.
type childIndex struct {
	seed  maphash.Seed
	slots []indexSlot // emptySlot where empty; a power of two long
	n     int
}

// indexSlot is a node id in the low 32 bits and the high 32 bits of its
// key's hash above them.
type indexSlot uint64

const (
	emptySlot = indexSlot(NoNode)
	hashBits  = indexSlot(0xffffffff_00000000)
)

func (s indexSlot) id() NodeID { return NodeID(s) }

// home is the slot where a probe for s starts, in a table of mask+1.
func (s indexSlot) home(mask int) int { return int(s>>32) & mask }

func newChildIndex() childIndex {
	ix := childIndex{seed: maphash.MakeSeed(), slots: make([]indexSlot, 1024)}
	for i := range ix.slots {
		ix.slots[i] = emptySlot
	}
	return ix
}

// key is the hash bits of parent's child called name, as slots hold them.
func (ix *childIndex) key(parent NodeID, name string) indexSlot {
	return indexSlot(maphash.String(ix.seed, name)^uint64(parent)*0x9e3779b97f4a7c15) & hashBits
}

// find returns the child of parent called name, or NoNode and the slot
// where it would go, filled in by [childIndex.add].
func (ix *childIndex) find(t *Tree, parent NodeID, name string) (NodeID, indexSlot, int) {
	k := ix.key(parent, name)
	mask := len(ix.slots) - 1
	for i := k.home(mask); ; i = (i + 1) & mask {
		s := ix.slots[i]
		if s == emptySlot {
			return NoNode, k, i
		}
		if s&hashBits != k {
			continue
		}
		if nd := t.node(s.id()); nd.parent == parent && t.names.Get(nd.name) == name {
			return s.id(), k, i
		}
	}
}

// add puts node id, not yet in the index, into the slot find returned with
// its key.
func (ix *childIndex) add(k indexSlot, slot int, id NodeID) {
	ix.slots[slot] = k | indexSlot(id)
	ix.n++
	if ix.n*4 < len(ix.slots)*3 {
		return
	}
	old := ix.slots
	ix.slots = make([]indexSlot, 2*len(old))
	for i := range ix.slots {
		ix.slots[i] = emptySlot
	}
	mask := len(ix.slots) - 1
	for _, s := range old {
		if s == emptySlot {
			continue
		}
		i := s.home(mask)
		for ix.slots[i] != emptySlot {
			i = (i + 1) & mask
		}
		ix.slots[i] = s
	}
}
