package diff

// maxCells bounds the table of the longest common subsequence: past it the
// middle of two long sequences, after their common prefix and suffix, is
// left unpaired rather than costing quadratic memory.
const maxCells = 1 << 22

// align pairs equal keys of a and b in order, as many as a longest common
// subsequence has, and returns the rows: the pairs, and between two pairs
// the rest of a, then the rest of b, with -1 on the side a row lacks.
func align[K comparable](a, b []K) [][2]int {
	var rows [][2]int
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		rows = append(rows, [2]int{pre, pre})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	var pairs [][2]int // in the middle, relative to pre
	if len(ma) > 0 && len(mb) > 0 && len(ma)*len(mb) <= maxCells {
		pairs = lcs(ma, mb)
	}
	i, j := 0, 0
	flush := func(ti, tj int) {
		for ; i < ti; i++ {
			rows = append(rows, [2]int{pre + i, -1})
		}
		for ; j < tj; j++ {
			rows = append(rows, [2]int{-1, pre + j})
		}
	}
	for _, p := range pairs {
		flush(p[0], p[1])
		rows = append(rows, [2]int{pre + p[0], pre + p[1]})
		i, j = p[0]+1, p[1]+1
	}
	flush(len(ma), len(mb))
	for k := range suf {
		rows = append(rows, [2]int{len(a) - suf + k, len(b) - suf + k})
	}
	return rows
}

// lcs returns the index pairs of a longest common subsequence of a and b.
func lcs[K comparable](a, b []K) [][2]int {
	n, m := len(a), len(b)
	// l[i*(m+1)+j] is the length of the LCS of a[i:] and b[j:].
	l := make([]int32, (n+1)*(m+1))
	at := func(i, j int) int32 { return l[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			v := max(at(i+1, j), at(i, j+1))
			if a[i] == b[j] {
				v = at(i+1, j+1) + 1
			}
			l[i*(m+1)+j] = v
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			pairs = append(pairs, [2]int{i, j})
			i++
			j++
		case at(i+1, j) >= at(i, j+1):
			i++
		default:
			j++
		}
	}
	return pairs
}
