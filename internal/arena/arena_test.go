package arena

import (
	"strings"
	"testing"
)

func TestStrings(t *testing.T) {
	var s Strings
	names := []string{"", "a", strings.Repeat("x", longString), strings.Repeat("y", longString+1), "é\x00/"}
	for i := range 40_000 { // more than one chunk
		names = append(names, strings.Repeat("n", i%37)+string(rune('a'+i%26)))
	}
	refs := make([]Ref, len(names))
	for i, n := range names {
		refs[i] = s.Add(n)
	}
	for i, n := range names {
		if got := s.Get(refs[i]); got != n {
			t.Fatalf("name %d: got %q (%d bytes), want %q (%d bytes)", i, got, len(got), n, len(n))
		}
	}
	if len(s.chunks) < 2 || len(s.long) != 1 {
		t.Fatalf("%d chunks and %d long names, want several chunks and 1 long name", len(s.chunks), len(s.long))
	}
}

func TestPaged(t *testing.T) {
	var p Paged[int]
	for i := range 3<<pageBits + 5 {
		if got := p.Add(i * 2); got != i {
			t.Fatalf("add returned %d, want %d", got, i)
		}
	}
	first := p.At(1 << pageBits) // in a full page: must not move
	p.Grow(5 << pageBits)
	if p.Len() != 5<<pageBits {
		t.Fatalf("len %d after grow, want %d", p.Len(), 5<<pageBits)
	}
	if first != p.At(1<<pageBits) || *first != 2<<pageBits {
		t.Fatal("an element of a full page moved or changed")
	}
	for i := range 3<<pageBits + 5 {
		if *p.At(i) != i*2 {
			t.Fatalf("element %d is %d, want %d", i, *p.At(i), i*2)
		}
	}
	if *p.At(5<<pageBits - 1) != 0 {
		t.Fatal("grow added a non-zero element")
	}
}
