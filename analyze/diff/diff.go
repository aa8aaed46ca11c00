package diff

import (
	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
)

// Diff is what changed from image A to image B.
type Diff struct {
	A, B *analyze.Result

	// Layers are the two layer lists aligned by diffID.
	Layers []LayerRow
	// Shared counts B's layers that A has too, New the ones it lacks,
	// and Gone A's layers that B lacks.
	Shared, New, Gone int
	// Download is what a machine holding A downloads to get B.
	Download Download

	// History is the two build histories aligned by instruction.
	History []HistoryRow
	// Divergence is the first row of History that is not StepSame, -1
	// when there is none.
	Divergence int

	// Files compares the final filesystems path by path.
	Files *Tree

	// Packages compares the final images' packages, when they were
	// looked for (see ComparePackages) and either image has some; nil
	// otherwise, and the text and JSON leave them out.
	Packages *Packages
	// Findings compares the images' findings, when they were looked for
	// (see CompareFindings); nil otherwise.
	Findings *Findings
}

// Compare compares two finished analyses.
func Compare(a, b *analyze.Result) *Diff {
	d := &Diff{A: a, B: b}
	d.compareLayers()
	d.compareHistory()
	d.Files = compareFiles(a, b)
	return d
}

// Identical says whether the images have the same layers in the same
// order, the same history and the same files: what `strata diff X X`
// finds.
func (d *Diff) Identical() bool {
	for _, r := range d.Layers {
		if r.Status != Shared {
			return false
		}
	}
	return d.Divergence < 0 && !d.Files.Changed()
}

// LayerA and LayerB return a row's layer of each image, nil for none.
func (d *Diff) LayerA(r LayerRow) *tree.Layer { return layer(d.A, r.A) }

// LayerB returns a row's layer of B, nil for none.
func (d *Diff) LayerB(r LayerRow) *tree.Layer { return layer(d.B, r.B) }
