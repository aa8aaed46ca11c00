package metrics

import (
	"cmp"
	"slices"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/arena"
)

// Metrics are the image's efficiency figures.
//
// Efficiency, WastedBytes, UserWastedPercent and Inefficient follow dive's
// definitions exactly, so that .dive-ci thresholds keep their meaning: each
// layer's own tree is walked and every leaf (an entry with no children in
// that layer) is an occurrence of its path. A file occurs with its size, a
// whiteout of a directory with the total size of that directory in the
// stack below, a whiteout of a file with 0. Efficiency is the sum over
// paths of their smallest occurrence divided by the sum of all occurrences;
// wasted bytes are all occurrences of the paths that occur at least twice.
//
// ReclaimableBytes is strata's own measure: the sizes of all file versions
// that are not visible in the final image because a later layer overwrote
// or deleted them — bytes shipped that no container can see.
type Metrics struct {
	SizeBytes         uint64  // sum of all layer sizes
	UserSizeBytes     uint64  // sum of the sizes of layers 1..n
	WastedBytes       uint64  // dive's inefficient bytes
	UserWastedPercent float64 // WastedBytes ÷ UserSizeBytes, 0 when there are no user bytes
	Efficiency        float64 // 1.0 when nothing occurs
	ReclaimableBytes  uint64
	Inefficient       []Inefficiency // largest first
}

// Inefficiency is a path that occurs in more than one layer.
type Inefficiency struct {
	Path      string
	Node      tree.NodeID
	Count     int
	SizeBytes int64 // the sum of all its occurrences
}

type occurrence struct {
	count    int32
	seq      int32 // when the path became inefficient, for dive's order
	min, cum int64
}

// Efficiency accumulates the image's figures one layer at a time, as the
// layers are stacked. The zero value is ready to use.
type Efficiency struct {
	occ           arena.Paged[occurrence] // by node
	mark          arena.Paged[int32]      // by node: scratch for one layer
	totalMin      int64
	totalCum      int64
	inefficient   []tree.NodeID
	newlyWasteful []tree.NodeID
}

func (ef *Efficiency) add(n tree.NodeID, size int64) {
	o := ef.occ.At(int(n))
	o.count++
	o.cum += size
	ef.totalCum += size
	switch {
	case o.count == 1:
		o.min = size
		ef.totalMin += size
	case size < o.min:
		ef.totalMin -= o.min - size
		o.min = size
	}
	if o.count == 2 {
		ef.newlyWasteful = append(ef.newlyWasteful, n)
	}
}

// AddLayer counts the leaves of a freshly stacked layer: l must be the
// layer stacked last on t.
func (ef *Efficiency) AddLayer(t *tree.Tree, l *tree.Layer) {
	ef.occ.Grow(t.Len())
	ef.mark.Grow(t.Len())
	mark := int32(l.Index) + 1
	first, end := l.EntryRange()
	for id := first; id < end; id++ {
		e := t.Entry(id)
		if e.Kind == tree.Opaque || e.Kind == tree.Implied {
			continue
		}
		for p := t.Parent(e.Node); p != tree.Root && p != tree.NoNode && *ef.mark.At(int(p)) != mark; p = t.Parent(p) {
			*ef.mark.At(int(p)) = mark
		}
	}
	for id := first; id < end; id++ {
		e := t.Entry(id)
		switch {
		case e.Kind == tree.Whiteout:
			size := int64(0)
			if e.IsDir() {
				size = e.RemovedSize
			}
			ef.add(e.Node, size)
		case e.Kind == tree.File && !e.Superseded && *ef.mark.At(int(e.Node)) != mark:
			ef.add(e.Node, e.Size)
		}
	}
	// dive meets a layer's leaves depth first with sorted children; paths
	// that become inefficient in the same layer keep that order.
	if len(ef.newlyWasteful) > 1 {
		paths := make(map[tree.NodeID]string, len(ef.newlyWasteful))
		for _, n := range ef.newlyWasteful {
			paths[n] = t.Path(n)
		}
		slices.SortFunc(ef.newlyWasteful, func(a, b tree.NodeID) int { return tree.ComparePaths(paths[a], paths[b]) })
	}
	for _, n := range ef.newlyWasteful {
		ef.occ.At(int(n)).seq = int32(len(ef.inefficient))
		ef.inefficient = append(ef.inefficient, n)
	}
	ef.newlyWasteful = ef.newlyWasteful[:0]
}

// Metrics returns the figures of the layers added so far, which are the
// layers of t.
func (ef *Efficiency) Metrics(t *tree.Tree, layers []*tree.Layer) Metrics {
	var m Metrics
	for i, l := range layers {
		m.SizeBytes += uint64(l.Size)
		if i > 0 {
			m.UserSizeBytes += uint64(l.Size)
		}
	}
	m.Efficiency = 1
	if ef.totalCum > 0 {
		m.Efficiency = float64(ef.totalMin) / float64(ef.totalCum)
	}
	// Largest first; among equals, the one that became inefficient last
	// first — dive's order. seq is unique, so the order is total and an
	// unstable sort gives it. The keys are copied out of the node-indexed
	// arena first, so that comparisons read them side by side.
	type key struct {
		cum   int64
		seq   int32
		count int32
		node  tree.NodeID
	}
	order := make([]key, len(ef.inefficient))
	for i, n := range ef.inefficient {
		o := ef.occ.At(int(n))
		order[i] = key{o.cum, o.seq, o.count, n}
	}
	slices.SortFunc(order, func(a, b key) int {
		if c := cmp.Compare(b.cum, a.cum); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
	m.Inefficient = make([]Inefficiency, 0, len(order))
	for _, k := range order {
		m.WastedBytes += uint64(k.cum)
		m.Inefficient = append(m.Inefficient, Inefficiency{Path: t.Path(k.node), Node: k.node, Count: int(k.count), SizeBytes: k.cum})
	}
	if m.UserSizeBytes > 0 {
		m.UserWastedPercent = float64(m.WastedBytes) / float64(m.UserSizeBytes)
	}
	m.ReclaimableBytes = uint64(t.DeadBytes())
	return m
}
