package arena

import (
	"iter"
	"slices"
)

// pageBits sets the size of a Paged array's pages: 4096 elements.
const pageBits = 12

// Paged is a growable array kept in fixed-size pages. Growing it never
// copies what it holds — a slice that doubles keeps its old and new arrays
// alive together for a while, half as much memory again at the worst time —
// and an element, once its page is full, never moves. The zero value is an
// empty array.
type Paged[T any] struct {
	pages [][]T
	n     int
}

// At returns element i.
func (p *Paged[T]) At(i int) *T {
	return &p.pages[i>>pageBits][i&(1<<pageBits-1)]
}

// Len is the number of elements.
func (p *Paged[T]) Len() int { return p.n }

// Add appends v and returns its index.
func (p *Paged[T]) Add(v T) int {
	last := len(p.pages) - 1
	if last < 0 || len(p.pages[last]) == 1<<pageBits {
		c := 0 // the first page grows as needed: most arrays are small
		if last >= 0 {
			c = 1 << pageBits
		}
		p.pages = append(p.pages, make([]T, 0, c))
		last++
	}
	p.pages[last] = append(p.pages[last], v)
	p.n++
	return p.n - 1
}

// Reserve makes room for n more elements where the first page is still
// to grow, so that an array whose length is known is not copied as it
// fills its first page.
func (p *Paged[T]) Reserve(n int) {
	switch {
	case len(p.pages) == 0:
		p.pages = append(p.pages, make([]T, 0, min(n, 1<<pageBits)))
	case len(p.pages) == 1 && cap(p.pages[0]) < 1<<pageBits:
		p.pages[0] = slices.Grow(p.pages[0], min(len(p.pages[0])+n, 1<<pageBits)-len(p.pages[0]))
	}
}

// Grow appends zero elements until there are n.
func (p *Paged[T]) Grow(n int) {
	var zero T
	for p.n < n {
		p.Add(zero)
	}
}

// All yields every element in order.
func (p *Paged[T]) All() iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for _, page := range p.pages {
			for i := range page {
				if !yield(&page[i]) {
					return
				}
			}
		}
	}
}
