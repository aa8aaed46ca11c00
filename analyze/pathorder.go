package analyze

import (
	"cmp"
	"slices"
	"unsafe"

	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// PathOrder returns the indexes of es's entries in the order of the
// layer's file list: by the path the list shows ([tarparse.Entries.AppendListPath])
// in [tree.ComparePaths]'s order, whiteouts and opaque markers before
// other entries of the same path, then in tar order. It is the order of
// the layer's versions in the tree sorted by path, as the stack adds a
// layer's whiteouts and opaque markers before its other entries.
func PathOrder(es *tarparse.Entries) []int32 {
	type item struct {
		start, end int // the list path in paths
		index      int32
		ordinary   bool
	}
	n := es.Len()
	items := make([]item, 0, n)
	b := make([]byte, 0, n*48)
	for i := range n {
		e := es.At(i)
		start := len(b)
		b = es.AppendListPath(b, e)
		items = append(items, item{start, len(b), int32(i), e.Kind == tarparse.Ordinary})
	}
	// b is never written again: the comparisons read it as a string.
	paths := unsafe.String(unsafe.SliceData(b), len(b))
	slices.SortFunc(items, func(x, y item) int {
		if c := tree.ComparePaths(paths[x.start:x.end], paths[y.start:y.end]); c != 0 {
			return c
		}
		if x.ordinary != y.ordinary {
			if x.ordinary {
				return 1
			}
			return -1
		}
		return cmp.Compare(x.index, y.index)
	})
	order := make([]int32, n)
	for i, it := range items {
		order[i] = it.index
	}
	return order
}
