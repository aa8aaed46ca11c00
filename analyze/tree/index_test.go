package tree

import (
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
