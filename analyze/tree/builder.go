package tree

import (
	"cmp"
	"fmt"
	"io/fs"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/analyze/tarparse"
)

// Builder stacks parsed layers, in order, into a [Tree]. It is not safe
// for concurrent use: parse layers in parallel, stack them from one
// goroutine.
type Builder struct {
	tree    *Tree
	layers  []*Layer
	history []HistoryEntry
	steps   []int
}

// NewBuilder starts the tree of an image with the given configuration
// and number of layers.
func NewBuilder(cfg *v1.ConfigFile, layers int) *Builder {
	hist, steps := mapHistory(cfg, layers)
	return &Builder{tree: newTree(), history: hist, steps: steps}
}

// Tree is the tree built so far.
func (b *Builder) Tree() *Tree { return b.tree }

// ObserveDeaths calls f, while layers are stacked, for every version that
// stops being visible, with why: what the image ships and no container
// sees, as it happens.
func (b *Builder) ObserveDeaths(f func(Death)) { b.tree.onDeath = f }

// Layers are the layers stacked so far.
func (b *Builder) Layers() []*Layer { return b.layers }

// History is the image's full build history.
func (b *Builder) History() []HistoryEntry { return b.history }

// HistoryOf returns the history step that made layer k, known from the
// config before the layer is read.
func (b *Builder) HistoryOf(k int) (HistoryEntry, bool) {
	if k < 0 || k >= len(b.steps) || b.steps[k] < 0 {
		return HistoryEntry{}, false
	}
	return b.history[b.steps[k]], true
}

// Stack puts the next layer on top of the stack: l describes it (the
// caller fills in what its blob held: Index, ID, digests, media type and
// sizes; Stack adds the rest) and es are its tar's entries. Layers must
// come in manifest order. es is not used after Stack returns.
func (b *Builder) Stack(l *Layer, es *tarparse.Entries) error {
	k := len(b.layers)
	if l.Index != k {
		return fmt.Errorf("stacking layer %d: layer %d is next", l.Index, k)
	}
	t := b.tree
	l.Files = es.Len()
	l.Size = es.Size()
	l.first = EntryID(t.entries.Len())
	l.HistoryIndex = -1
	if k < len(b.steps) {
		l.HistoryIndex = b.steps[k]
	}
	if l.ID == "" {
		l.ID = l.Digest.Hex
	}
	if l.Digest == l.DiffID {
		// The blob was read as it is stored: say so whatever the source
		// declared (docker save calls plain tars gzip layers).
		switch l.MediaType {
		case types.DockerLayer:
			l.MediaType = types.DockerUncompressedLayer
		case types.OCILayer, types.OCILayerZStd:
			l.MediaType = types.OCIUncompressedLayer
		}
	}
	if h := l.HistoryIndex; h >= 0 {
		l.CreatedBy = b.history[h].CreatedBy
		l.Command = Command(l.CreatedBy)
		l.Created = b.history[h].Created
	}
	k32 := int32(k)
	removed := func(n NodeID) { l.removed = append(l.removed, n) }

	// Whiteouts and opaque markers apply to lower layers only, so they go
	// first, whatever their place in the tar.
	for r := range es.All() {
		switch r.Kind {
		case tarparse.Whiteout:
			n := t.nodeOf(es.Path(r))
			v, size := t.kill(n, k32, removed)
			// Type is the removed version's; mode and owner the whiteout's
			// own, as its tar header says.
			e := Entry{Node: n, Layer: k32, Death: Alive, prev: NoEntry, Kind: Whiteout, RemovedSize: size,
				Mode: fs.FileMode(r.Mode)}
			t.setOwner(&e, r.UID, r.GID)
			if v != NoEntry {
				e.Type = t.entry(v).Type
			}
			t.entries.Add(e)
		case tarparse.Opaque:
			n := Root
			if p := es.Path(r); p != "" {
				n = t.nodeOf(p)
			}
			size := int64(0)
			if n == Root || t.present(n) && t.entry(t.node(n).last).IsDir() {
				size = t.killChildren(n, k32, Hidden, removed)
			}
			e := Entry{Node: n, Layer: k32, Death: Alive, prev: NoEntry,
				Kind: Opaque, Type: '5', RemovedSize: size, Mode: fs.FileMode(r.Mode)}
			t.setOwner(&e, r.UID, r.GID)
			t.entries.Add(e)
		}
	}
	for r := range es.All() {
		if r.Kind != tarparse.Ordinary {
			continue
		}
		e := Entry{link: t.links.Add(es.Link(r)), Size: r.Size, Hash: r.Hash, Mode: fs.FileMode(r.Mode), Type: r.Type}
		t.setOwner(&e, r.UID, r.GID)
		id := t.put(t.nodeOf(es.Path(r)), k32, e, removed)
		if r.Stored != 0 {
			if t.stored == nil {
				t.stored = map[EntryID]int64{}
			}
			t.stored[id] = r.Stored
		}
	}
	l.end = EntryID(t.entries.Len())
	t.lastDir, t.lastDirNode = "", NoNode // it points into es's paths
	b.layers = append(b.layers, l)
	return nil
}

// ComparePaths orders paths the way a depth-first walk with sorted
// children meets them: component by component, so that "/" sorts before
// every other byte. It is dive's order.
func ComparePaths(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	switch {
	case i == n:
		return cmp.Compare(len(a), len(b))
	case a[i] == '/':
		return -1
	case b[i] == '/':
		return 1
	}
	return cmp.Compare(a[i], b[i])
}
