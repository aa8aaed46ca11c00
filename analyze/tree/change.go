package tree

// ChangeType is what a layer, or a range of layers, did to a path.
type ChangeType uint8

// The change types, as dive colours them.
const (
	Unmodified ChangeType = iota
	Added
	Modified
	Removed
)

func (c ChangeType) String() string {
	switch c {
	case Added:
		return "added"
	case Modified:
		return "modified"
	case Removed:
		return "removed"
	}
	return "unmodified"
}

// CompareMode says what a layer's view is compared against.
type CompareMode uint8

const (
	// CompareLayer shows what the layer alone did to the stack below it.
	CompareLayer CompareMode = iota
	// CompareAggregated shows what all layers above the base, up to and
	// including this one, did to the base layer.
	CompareAggregated
)

func (m CompareMode) String() string {
	if m == CompareAggregated {
		return "aggregated"
	}
	return "layer"
}

const (
	changeMask    = 0x3
	flagChildDiff = 0x4 // something below the node changed
	flagTouched   = 0x8 // the change was computed (not just unmodified)
)

// View is the stacked filesystem at one layer with the change of every
// path, computed once in time proportional to the entries the compared
// layers hold and then answered in constant time per node.
type View struct {
	Tree  *Tree
	Layer int
	Mode  CompareMode
	// Counts of paths by their own change (directories included).
	Counts [4]int
	flags  []uint8
}

// NewView computes the view of layer k of a tree built from the given
// layers.
func NewView(t *Tree, layers []*Layer, k int, mode CompareMode) *View {
	v := &View{Tree: t, Layer: k, Mode: mode, flags: make([]uint8, t.nodes.Len())}
	if mode == CompareAggregated && k > 0 {
		for _, l := range layers[1 : k+1] {
			for id := l.first; id < l.end; id++ {
				v.aggregate(t.entry(id).Node)
			}
			for _, n := range l.removed {
				v.aggregate(n)
			}
		}
	} else {
		l := layers[k]
		for id := l.first; id < l.end; id++ {
			e := t.entry(id)
			if e.Kind == File || e.Kind == Implied {
				if e.Superseded || e.Death == e.Layer {
					continue // never visible: written again, or its directory replaced, in this layer
				}
				v.set(e.Node, v.layerChange(e))
			}
		}
		for _, n := range l.removed {
			if v.flags[n]&flagTouched != 0 {
				continue
			}
			// A path this layer wrote and then removed (its directory
			// replaced by a file) changed only if the stack below had it.
			if _, below := v.Tree.VersionAt(n, k-1); below {
				v.set(n, Removed)
			}
		}
	}
	return v
}

// layerChange compares a version with what it replaced in the stack below.
func (v *View) layerChange(e *Entry) ChangeType {
	k := int32(v.Layer)
	p := e.prev
	for p != NoEntry && v.Tree.entry(p).Layer == k {
		p = v.Tree.entry(p).prev
	}
	if p == NoEntry || v.Tree.entry(p).Death != k {
		return Added
	}
	if e.Kind == Implied || !v.Tree.sameContent(e, v.Tree.entry(p)) {
		if e.Kind == Implied && v.Tree.entry(p).IsDir() {
			return Unmodified
		}
		return Modified
	}
	return Unmodified
}

func (v *View) aggregate(n NodeID) {
	if v.flags[n]&flagTouched != 0 {
		return
	}
	a, inBase := v.Tree.VersionAt(n, 0)
	b, inTop := v.Tree.VersionAt(n, v.Layer)
	c := Unmodified
	switch {
	case !inBase && inTop:
		c = Added
	case inBase && !inTop:
		c = Removed
	case inBase && inTop && a != b && !v.Tree.sameContent(v.Tree.entry(a), v.Tree.entry(b)):
		if !(v.Tree.entry(b).Kind == Implied && v.Tree.entry(a).IsDir()) {
			c = Modified
		}
	case !inBase && !inTop:
		v.flags[n] |= flagTouched
		return
	}
	v.set(n, c)
}

func (v *View) set(n NodeID, c ChangeType) {
	old := v.flags[n]
	if old&flagTouched != 0 {
		v.Counts[old&changeMask]--
	}
	v.flags[n] = old&^changeMask | uint8(c) | flagTouched
	v.Counts[c]++
	if c == Unmodified {
		return
	}
	for p := v.Tree.node(n).parent; p != NoNode && v.flags[p]&flagChildDiff == 0; p = v.Tree.node(p).parent {
		v.flags[p] |= flagChildDiff
	}
}

// Own is the change of the path itself, not counting what is below it.
func (v *View) Own(n NodeID) ChangeType {
	if int(n) >= len(v.flags) {
		return Unmodified // a node named only by layers stacked after the view was made
	}
	return ChangeType(v.flags[n] & changeMask)
}

// Change is the change a tree shows for the path: its own, or for an
// otherwise unchanged directory with changes below it, Modified.
func (v *View) Change(n NodeID) ChangeType {
	c := v.Own(n)
	if c == Unmodified && int(n) < len(v.flags) && v.flags[n]&flagChildDiff != 0 {
		return Modified
	}
	return c
}

// Shown says whether the path belongs in the view: visible at the layer,
// or removed by the compared layers.
func (v *View) Shown(n NodeID) bool {
	if n == Root {
		return true
	}
	if _, ok := v.Tree.VersionAt(n, v.Layer); ok {
		return true
	}
	return v.Own(n) == Removed
}

// Entry is the version of the path the view shows: the visible one, or
// for a removed path the one that was removed.
func (v *View) Entry(n NodeID) (*Entry, bool) {
	if id, ok := v.Tree.VersionAt(n, v.Layer); ok {
		return v.Tree.entry(id), true
	}
	if v.Own(n) != Removed {
		return nil, false
	}
	below := v.Layer - 1
	if v.Mode == CompareAggregated {
		below = 0
	}
	if id, ok := v.Tree.VersionAt(n, below); ok {
		return v.Tree.entry(id), true
	}
	return nil, false
}

// ChangeSet is a set of change types, such as the ones a file tree hides.
type ChangeSet uint8

// Has says whether c is in the set.
func (s ChangeSet) Has(c ChangeType) bool { return s&(1<<c) != 0 }

// With returns the set with c in it, or without it when in is false.
func (s ChangeSet) With(c ChangeType, in bool) ChangeSet {
	if in {
		return s | 1<<c
	}
	return s &^ (1 << c)
}
