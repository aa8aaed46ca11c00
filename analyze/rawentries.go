package analyze

import "iter"

// rawBlock is how many entries a block of rawEntries holds.
const rawBlock = 2048

// rawEntries are a parsed layer's entries, in blocks: a layer of any size
// grows without copying what it holds, and without keeping spare room for
// half as many again.
type rawEntries struct {
	blocks [][]rawEntry
	n      int
}

func (r *rawEntries) add(e rawEntry) {
	if len(r.blocks) == 0 || len(r.blocks[len(r.blocks)-1]) == rawBlock {
		c := 0 // the first block grows as needed: most layers are small
		if len(r.blocks) > 0 {
			c = rawBlock
		}
		r.blocks = append(r.blocks, make([]rawEntry, 0, c))
	}
	b := &r.blocks[len(r.blocks)-1]
	*b = append(*b, e)
	r.n++
}

// all yields every entry in tar order.
func (r *rawEntries) all() iter.Seq[*rawEntry] {
	return func(yield func(*rawEntry) bool) {
		for _, b := range r.blocks {
			for i := range b {
				if !yield(&b[i]) {
					return
				}
			}
		}
	}
}
