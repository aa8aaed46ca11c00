package diff

import (
	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
)

// StepStatus says how a build step of one image compares with the other's.
type StepStatus uint8

const (
	// StepSame is the same instruction in both, making the same layer
	// when it makes one.
	StepSame StepStatus = iota
	// StepRebuilt is the same instruction in both that made different
	// layers.
	StepRebuilt
	// StepMoved is an instruction both have, but not in the same place:
	// a reordered step. A row shows it on one side only.
	StepMoved
	// StepNew is a step only B has.
	StepNew
	// StepGone is a step only A has.
	StepGone
)

func (s StepStatus) String() string {
	return [...]string{"same", "rebuilt", "moved", "new", "gone"}[s]
}

// HistoryRow is one row of the two build histories aligned.
type HistoryRow struct {
	// A and B are indexes into each image's History, -1 on the side the
	// row lacks.
	A, B   int
	Status StepStatus
}

type stepKey struct {
	createdBy string
	empty     bool
}

// compareHistory aligns the histories by instruction and finds the first
// row that is not StepSame.
func (d *Diff) compareHistory() {
	ha, hb := d.A.History, d.B.History
	ka, kb := make([]stepKey, len(ha)), make([]stepKey, len(hb))
	inA, inB := map[stepKey]bool{}, map[stepKey]bool{}
	for i, h := range ha {
		ka[i] = stepKey{h.CreatedBy, h.EmptyLayer}
		inA[ka[i]] = true
	}
	for i, h := range hb {
		kb[i] = stepKey{h.CreatedBy, h.EmptyLayer}
		inB[kb[i]] = true
	}
	d.Divergence = -1
	for _, r := range align(ka, kb) {
		row := HistoryRow{A: r[0], B: r[1]}
		switch {
		case r[0] < 0 && inA[kb[r[1]]], r[1] < 0 && inB[ka[r[0]]]:
			row.Status = StepMoved
		case r[0] < 0:
			row.Status = StepNew
		case r[1] < 0:
			row.Status = StepGone
		case !sameLayer(d.A, ha[r[0]], d.B, hb[r[1]]):
			row.Status = StepRebuilt
		}
		if row.Status != StepSame && d.Divergence < 0 {
			d.Divergence = len(d.History)
		}
		d.History = append(d.History, row)
	}
}

// sameLayer says whether two steps made the same layer, or none.
func sameLayer(a *analyze.Result, ha tree.HistoryEntry, b *analyze.Result, hb tree.HistoryEntry) bool {
	if ha.EmptyLayer || hb.EmptyLayer {
		return ha.EmptyLayer == hb.EmptyLayer
	}
	la, lb := layer(a, ha.Layer), layer(b, hb.Layer)
	if la == nil || lb == nil {
		return la == lb
	}
	return la.DiffID == lb.DiffID
}
