package analyze

import (
	"cmp"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Builder stacks parsed layers, in order, into a [Tree] and keeps the
// image's metrics up to date as it goes. It is not safe for concurrent use:
// parse layers in parallel, stack them from one goroutine.
type Builder struct {
	tree    *Tree
	config  *v1.ConfigFile
	layers  []*LayerInfo
	history []HistoryEntry
	steps   []int
	eff     efficiency
}

// NewBuilder starts the analysis of an image with the given configuration
// and number of layers.
func NewBuilder(cfg *v1.ConfigFile, layers int) *Builder {
	hist, steps := mapHistory(cfg, layers)
	return &Builder{tree: newTree(), config: cfg, history: hist, steps: steps}
}

// Stacked is the number of layers stacked so far.
func (b *Builder) Stacked() int { return len(b.layers) }

// Tree is the tree built so far.
func (b *Builder) Tree() *Tree { return b.tree }

// Layers are the layers stacked so far.
func (b *Builder) Layers() []*LayerInfo { return b.layers }

// History is the image's full build history.
func (b *Builder) History() []HistoryEntry { return b.history }

// Stack puts the next layer on top of the stack. Layers must come in
// manifest order.
func (b *Builder) Stack(p *ParsedLayer) error {
	k := len(b.layers)
	if p.Index != k {
		return fmt.Errorf("stacking layer %d: layer %d is next", p.Index, k)
	}
	t := b.tree
	info := &LayerInfo{
		Index:            k,
		ID:               p.Source.ID,
		Digest:           p.Digest,
		DiffID:           p.DiffID,
		MediaType:        p.Source.MediaType,
		CompressedSize:   p.CompressedSize,
		Size:             p.Size,
		UncompressedSize: p.UncompressedSize,
		HistoryIndex:     b.steps[min(k, len(b.steps)-1)],
		Files:            p.entries.n,
		Warnings:         p.Warnings,
		first:            EntryID(t.entries.len()),
	}
	if k >= len(b.steps) {
		info.HistoryIndex = -1
	}
	if info.ID == "" {
		info.ID = info.Digest.Hex
	}
	if info.Digest == info.DiffID {
		// The blob was read as it is stored: say so whatever the source
		// declared (docker save calls plain tars gzip layers).
		switch info.MediaType {
		case types.DockerLayer:
			info.MediaType = types.DockerUncompressedLayer
		case types.OCILayer, types.OCILayerZStd:
			info.MediaType = types.OCIUncompressedLayer
		}
	}
	if h := info.HistoryIndex; h >= 0 {
		info.CreatedBy = b.history[h].CreatedBy
		info.Command = Command(info.CreatedBy)
		info.Created = b.history[h].Created
	}
	k32 := int32(k)
	removed := func(n NodeID) { info.removed = append(info.removed, n) }

	// Whiteouts and opaque markers apply to lower layers only, so they go
	// first, whatever their place in the tar.
	for r := range p.entries.all() {
		switch r.kind {
		case kindWhiteout:
			n := t.nodeOf(r.path)
			v, size := t.kill(n, k32, removed)
			e := Entry{Node: n, Layer: k32, Death: Alive, prev: NoEntry, Kind: Whiteout, RemovedSize: size}
			if v != NoEntry {
				e.Type, e.Mode = t.entry(v).Type, t.entry(v).Mode
			}
			t.entries.add(e)
		case kindOpaque:
			n := Root
			if r.path != "" {
				n = t.nodeOf(r.path)
			}
			size := int64(0)
			if n == Root || t.present(n) && t.entry(t.node(n).last).IsDir() {
				size = t.killChildren(n, k32, removed)
			}
			t.entries.add(Entry{Node: n, Layer: k32, Death: Alive, prev: NoEntry,
				Kind: Opaque, Type: '5', RemovedSize: size})
		}
	}
	for r := range p.entries.all() {
		if r.kind != kindFile {
			continue
		}
		t.put(t.nodeOf(r.path), k32, Entry{link: t.links.add(r.link), Size: r.size, Hash: r.hash,
			Mode: fsMode(r.mode), UID: r.uid, GID: r.gid, Type: r.typ}, removed)
	}
	info.end = EntryID(t.entries.len())
	p.entries = rawEntries{}
	t.lastDir, t.lastDirNode = "", NoNode // it points into p's paths
	b.layers = append(b.layers, info)
	b.eff.addLayer(t, info)
	return nil
}

// Result is a finished analysis.
type Result struct {
	Tree    *Tree
	Config  *v1.ConfigFile
	Layers  []*LayerInfo
	History []HistoryEntry
	Metrics Metrics
}

// Result returns the analysis of the layers stacked so far.
func (b *Builder) Result() *Result {
	return &Result{
		Tree:    b.tree,
		Config:  b.config,
		Layers:  b.layers,
		History: b.history,
		Metrics: b.eff.metrics(b.tree, b.layers),
	}
}

// comparePaths orders paths the way a depth-first walk with sorted
// children meets them: component by component, so that "/" sorts before
// every other byte.
func comparePaths(a, b string) int {
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

// Step returns the history step that made layer k, known from the config
// before the layer is read.
func (b *Builder) Step(k int) (HistoryEntry, bool) {
	if k < 0 || k >= len(b.steps) || b.steps[k] < 0 {
		return HistoryEntry{}, false
	}
	return b.history[b.steps[k]], true
}
