package findings

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
)

// wasteKey is one waste finding: its kind, the layer that wrote the files
// and the layer that ended them.
type wasteKey struct {
	id   ID
	a, b int32
}

// group tallies the versions of one waste finding, keeping the largest.
type group struct {
	bytes int64
	count int
	top   bySize // a min-heap of the largest
}

type sized struct {
	id   tree.EntryID
	size int64
}

// bySize is a min-heap by size, ties broken by id so that the order does
// not depend on the heap's history.
type bySize []sized

func (h bySize) Len() int { return len(h) }
func (h bySize) Less(i, j int) bool {
	if h[i].size != h[j].size {
		return h[i].size < h[j].size
	}
	return h[i].id > h[j].id
}
func (h bySize) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *bySize) Push(x any)   { *h = append(*h, x.(sized)) }
func (h *bySize) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// add counts one version, keeping it if it is among the n largest.
func (g *group) add(id tree.EntryID, size int64, n int) {
	g.bytes += size
	g.count++
	s := sized{id, size}
	switch {
	case len(g.top) < n:
		heap.Push(&g.top, s)
	case bySize{g.top[0], s}.Less(0, 1):
		g.top[0] = s
		heap.Fix(&g.top, 0)
	}
}

// paths returns the kept versions as paths, largest first.
func (g *group) paths(t *tree.Tree) []Path {
	top := slices.Clone(g.top)
	slices.SortFunc(top, func(a, b sized) int {
		if c := cmp.Compare(b.size, a.size); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]Path, len(top))
	for i, s := range top {
		e := t.Entry(s.id)
		out[i] = Path{Path: t.Path(e.Node), Size: s.size, Layer: int(e.Layer)}
	}
	return out
}

func (a *Analyzer) wasteFindings(res *analyze.Result) []Finding {
	var out []Finding
	for k, g := range a.waste {
		if g.count == 0 {
			continue
		}
		f := Finding{ID: k.id, Severity: Info, Bytes: g.bytes, PathCount: g.count, Paths: g.paths(res.Tree)}
		if g.bytes >= 1<<20 {
			f.Severity = Warning
		}
		f.Steps = []Step{stepOf(res, int(k.a))}
		if k.b != k.a {
			f.Steps = append(f.Steps, stepOf(res, int(k.b)))
		}
		f.Title, f.Fix = wasteText(k, f.Steps, f.Paths)
		out = append(out, f)
	}
	return out
}

// stepOf is the history step that made layer k.
func stepOf(res *analyze.Result, k int) Step {
	if k < 0 || k >= len(res.Layers) {
		return Step{Layer: k, History: -1}
	}
	l := res.Layers[k]
	return Step{Layer: k, History: l.HistoryIndex, Command: RedactCommand(tree.ShortCommand(l.CreatedBy))}
}

// cmdOf quotes a step's command for a sentence, shortened.
func cmdOf(s Step) string {
	c := s.Command
	if c == "" {
		return fmt.Sprintf("the step of layer %d", s.Layer)
	}
	if r := []rune(c); len(r) > 60 {
		c = string(r[:59]) + "…"
	}
	return fmt.Sprintf("layer %d's `%s`", s.Layer, c)
}

// wasteText is a waste finding's title and fix.
func wasteText(k wasteKey, steps []Step, paths []Path) (string, string) {
	a, b := steps[0], steps[len(steps)-1]
	same := k.a == k.b
	switch k.id {
	case DeletedLater:
		if same {
			return fmt.Sprintf("files written in layer %d and removed with their directory in the same step", k.a),
				fmt.Sprintf("Write only what the image keeps in %s: it writes these files, then replaces a directory above them.", cmdOf(a))
		}
		fix := fmt.Sprintf("Delete these files in the same RUN as %s, which writes them, instead of in %s: a later deletion leaves them in the earlier layer.", cmdOf(a), cmdOf(b))
		if underAny(paths, "/var/lib/apt/lists/") {
			fix = fmt.Sprintf("Add `&& rm -rf /var/lib/apt/lists/*` to %s instead of deleting the lists in %s: a later deletion leaves them in the earlier layer.", cmdOf(a), cmdOf(b))
		}
		return fmt.Sprintf("files written in layer %d and deleted in layer %d", k.a, k.b), fix
	case MetadataRewrite:
		return fmt.Sprintf("files written in layer %d and copied again in layer %d only to change their mode or owner", k.a, k.b),
			fmt.Sprintf("Set the mode and owner where the files are written, in %s (`COPY --chown=… --chmod=…`, or chmod/chown in that RUN), instead of in %s, which ships every byte again.", cmdOf(a), cmdOf(b))
	case OpaqueHidden:
		return fmt.Sprintf("files written in layer %d and hidden in layer %d by recreating their directory", k.a, k.b),
			fmt.Sprintf("Remove these files in %s, which writes them, or write them only in %s, which replaces their directory.", cmdOf(a), cmdOf(b))
	}
	if same {
		return fmt.Sprintf("files written more than once in layer %d", k.a),
			fmt.Sprintf("Write each of these files once in %s.", cmdOf(a))
	}
	return fmt.Sprintf("files written in layer %d and overwritten in layer %d", k.a, k.b),
		fmt.Sprintf("Write these files once: %s replaces what %s wrote; build them in an earlier stage of a multi-stage build and COPY only the result.", cmdOf(b), cmdOf(a))
}

// underAny says whether any path lies below dir.
func underAny(paths []Path, dir string) bool {
	return slices.ContainsFunc(paths, func(p Path) bool { return strings.HasPrefix(p.Path, dir) })
}
