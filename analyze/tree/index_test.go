package tree

import (
	"fmt"
	"testing"
	"unsafe"
)

// TestCompactLayout guards the memory per entry: the tree holds one Entry
// per tar entry and about one node per path, for every layer at once.
func TestCompactLayout(t *testing.T) {
	if s := unsafe.Sizeof(Entry{}); s > 64 {
		t.Errorf("an Entry takes %d bytes, more than 64", s)
	}
	if s := unsafe.Sizeof(node{}); s > 40 {
		t.Errorf("a node takes %d bytes, more than 40", s)
	}
}

// TestChildIndex finds every child of many parents, through the index's
// growth from 1,024 slots to 256k, and finds no child that was not added:
// a slot's hash bits only narrow the search, the name and the parent
// decide.
func TestChildIndex(t *testing.T) {
	tr := newTree()
	const dirs, per = 300, 400
	parents := make([]NodeID, dirs)
	for d := range parents {
		parents[d] = tr.child(Root, fmt.Sprintf("d%d", d))
	}
	want := map[[2]int]NodeID{}
	for d, p := range parents {
		for i := range per {
			want[[2]int{d, i}] = tr.child(p, fmt.Sprintf("f%d", i))
		}
	}
	if len(tr.index.slots) < 1<<17 {
		t.Fatalf("the index has %d slots: it did not grow as the test means it to", len(tr.index.slots))
	}
	for d, p := range parents {
		for i := range per {
			c, _, _ := tr.index.find(tr, p, fmt.Sprintf("f%d", i))
			if c != want[[2]int{d, i}] {
				t.Fatalf("d%d/f%d: found node %d, want %d", d, i, c, want[[2]int{d, i}])
			}
			if got := tr.Name(c); got != fmt.Sprintf("f%d", i) {
				t.Fatalf("d%d/f%d: found a node named %q", d, i, got)
			}
		}
		if c, _, _ := tr.index.find(tr, p, fmt.Sprintf("f%d", per)); c != NoNode {
			t.Fatalf("d%d: found node %d for a name never added", d, c)
		}
	}
	if c, _, _ := tr.index.find(tr, parents[0], "d1"); c != NoNode {
		t.Fatalf("found d1 under d0: node %d", c)
	}
}
