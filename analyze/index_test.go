package analyze

import (
	"strings"
	"testing"
	"unsafe"
)

func TestNameStore(t *testing.T) {
	var s nameStore
	names := []string{"", "a", strings.Repeat("x", nameChunk/16), strings.Repeat("y", nameChunk/16+1), "é\x00/"}
	for i := range 40_000 { // more than one chunk
		names = append(names, strings.Repeat("n", i%37)+string(rune('a'+i%26)))
	}
	refs := make([]nameRef, len(names))
	for i, n := range names {
		refs[i] = s.add(n)
	}
	for i, n := range names {
		if got := s.get(refs[i]); got != n {
			t.Fatalf("name %d: got %q (%d bytes), want %q (%d bytes)", i, got, len(got), n, len(n))
		}
	}
	if len(s.chunks) < 2 || len(s.long) != 1 {
		t.Fatalf("%d chunks and %d long names, want several chunks and 1 long name", len(s.chunks), len(s.long))
	}
}

func TestPaged(t *testing.T) {
	var p paged[int]
	for i := range 3<<pageBits + 5 {
		if got := p.add(i * 2); got != i {
			t.Fatalf("add returned %d, want %d", got, i)
		}
	}
	first := p.at(1 << pageBits) // in a full page: must not move
	p.grow(5 << pageBits)
	if p.len() != 5<<pageBits {
		t.Fatalf("len %d after grow, want %d", p.len(), 5<<pageBits)
	}
	if first != p.at(1<<pageBits) || *first != 2<<pageBits {
		t.Fatal("an element of a full page moved or changed")
	}
	for i := range 3<<pageBits + 5 {
		if *p.at(i) != i*2 {
			t.Fatalf("element %d is %d, want %d", i, *p.at(i), i*2)
		}
	}
	if *p.at(5<<pageBits - 1) != 0 {
		t.Fatal("grow added a non-zero element")
	}
}

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
