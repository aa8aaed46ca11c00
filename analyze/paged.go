package analyze

// pageBits sets the size of a paged array's pages: 4096 elements.
const pageBits = 12

// paged is a growable array kept in fixed-size pages. Growing it never
// copies what it holds — a slice that doubles keeps its old and new arrays
// alive together for a while, half as much memory again at the worst time —
// and an element, once its page is full, never moves.
type paged[T any] struct {
	pages [][]T
	n     int
}

// at returns element i.
func (p *paged[T]) at(i int) *T {
	return &p.pages[i>>pageBits][i&(1<<pageBits-1)]
}

// len is the number of elements.
func (p *paged[T]) len() int { return p.n }

// add appends v and returns its index.
func (p *paged[T]) add(v T) int {
	last := len(p.pages) - 1
	if last < 0 || len(p.pages[last]) == 1<<pageBits {
		c := 0 // the first page grows as needed: most trees are small
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

// grow appends zero elements until there are n.
func (p *paged[T]) grow(n int) {
	var zero T
	for p.n < n {
		p.add(zero)
	}
}
