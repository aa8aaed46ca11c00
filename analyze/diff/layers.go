package diff

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
)

// LayerStatus says whether a layer is in one image or both.
type LayerStatus uint8

const (
	// Shared is a layer both images have (the same diffID), in the same
	// place of the alignment.
	Shared LayerStatus = iota
	// Moved is a layer both images have, but not in the same place: a
	// reordered step. A row shows it on one side only.
	Moved
	// New is a layer only B has.
	New
	// Gone is a layer only A has.
	Gone
)

func (s LayerStatus) String() string {
	return [...]string{"shared", "moved", "new", "gone"}[s]
}

// LayerRow is one row of the two layer lists aligned.
type LayerRow struct {
	// A and B are layer indexes, -1 on the side the row lacks.
	A, B   int
	Status LayerStatus
}

// Download is what a machine holding A's layers downloads to get B: B's
// layers whose diffID A lacks, each counted once.
type Download struct {
	Layers            int
	CompressedBytes   int64
	UncompressedBytes int64
}

// compareLayers aligns the layers by diffID, counts the shared, new and
// gone ones, and adds up B's download.
func (d *Diff) compareLayers() {
	la, lb := d.A.Layers, d.B.Layers
	ka, kb := make([]v1.Hash, len(la)), make([]v1.Hash, len(lb))
	inA, inB := map[v1.Hash]bool{}, map[v1.Hash]bool{}
	for i, l := range la {
		ka[i] = l.DiffID
		inA[l.DiffID] = true
	}
	for i, l := range lb {
		kb[i] = l.DiffID
		inB[l.DiffID] = true
	}
	for _, r := range align(ka, kb) {
		row := LayerRow{A: r[0], B: r[1]}
		switch {
		case r[0] >= 0 && r[1] >= 0:
			row.Status = Shared
		case r[0] >= 0 && inB[ka[r[0]]], r[1] >= 0 && inA[kb[r[1]]]:
			row.Status = Moved
		case r[0] >= 0:
			row.Status = Gone
		default:
			row.Status = New
		}
		d.Layers = append(d.Layers, row)
	}
	for _, l := range la {
		if !inB[l.DiffID] {
			d.Gone++
		}
	}
	counted := map[v1.Hash]bool{}
	for _, l := range lb {
		if inA[l.DiffID] {
			d.Shared++
			continue
		}
		d.New++
		if counted[l.DiffID] {
			continue
		}
		counted[l.DiffID] = true
		d.Download.Layers++
		d.Download.CompressedBytes += l.CompressedSize
		d.Download.UncompressedBytes += l.UncompressedSize
	}
}

// layer returns layer i of r, nil for -1.
func layer(r *analyze.Result, i int) *tree.Layer {
	if i < 0 || i >= len(r.Layers) {
		return nil
	}
	return r.Layers[i]
}
