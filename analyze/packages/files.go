package packages

import (
	"slices"

	"github.com/strata-dev/strata/analyze/tree"
)

// Files is a package present after a layer, with the nodes of the files
// that make up its size there: the files its list names, or the files
// below its directory.
type Files struct {
	// Key is the package's Key.
	Key       string
	Ecosystem Ecosystem
	Name      string
	Version   string
	// Nodes are its files' nodes in the tree, each once, in list order.
	Nodes []tree.NodeID
}

// snapshot is the packages present from a layer on, until the next
// snapshot's layer.
type snapshot struct {
	layer    int
	packages map[string]*instance
}

// Files returns the packages present after layer k of t, the tree the
// analyzer watched (stacked up to k at least), each with its files there,
// by key. Call it on the goroutine that stacks, or once the analysis is
// done. It costs a lookup per file the packages list: call it when the
// files are wanted, not per frame.
func (a *Analyzer) Files(t *tree.Tree, k int) []Files {
	i, found := slices.BinarySearchFunc(a.snapshots, k, func(s snapshot, k int) int { return s.layer - k })
	if !found {
		i-- // the last snapshot below k
	}
	if i < 0 {
		return nil
	}
	set := a.snapshots[i].packages
	keys := make([]string, 0, len(set))
	for key := range set {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	s := newSizer(t, k)
	out := make([]Files, 0, len(keys))
	for _, key := range keys {
		in := set[key]
		f := Files{Key: key, Ecosystem: in.eco, Name: in.name, Version: in.version}
		seen := map[tree.NodeID]bool{}
		s.visit = func(n tree.NodeID) {
			if !seen[n] {
				seen[n] = true
				f.Nodes = append(f.Nodes, n)
			}
		}
		s.size(in, nil)
		out = append(out, f)
	}
	return out
}
