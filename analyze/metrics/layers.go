package metrics

import "github.com/strata-dev/strata/analyze/tree"

// ForLayers returns the figures of the layers from layer `from` up alone,
// the layers an image adds on top of a base of `from` layers ("your
// layers only"), next to [Efficiency.Metrics]'s for the whole image, whose
// numbers (dive's) it leaves unchanged.
//
// It counts as [Metrics] does, over those layers only: SizeBytes and
// UserSizeBytes are their sizes; a path is inefficient when it occurs more
// than once among them (a path they write once over a file of the base is
// not: the whole image's figures count that); Efficiency is over their
// occurrences; ReclaimableBytes is the size of the versions they hold
// that a later layer hid. layers are all the image's stacked layers, the
// layers of t.
func ForLayers(t *tree.Tree, layers []*tree.Layer, from int) Metrics {
	from = min(max(from, 0), len(layers))
	var ef Efficiency
	for _, l := range layers[from:] {
		ef.AddLayer(t, l)
	}
	m := ef.Metrics(t, layers[from:])
	m.UserSizeBytes = m.SizeBytes
	m.UserWastedPercent = 0
	if m.UserSizeBytes > 0 {
		m.UserWastedPercent = float64(m.WastedBytes) / float64(m.UserSizeBytes)
	}
	m.ReclaimableBytes = 0
	for _, l := range layers[from:] {
		first, end := l.EntryRange()
		for id := first; id < end; id++ {
			if e := t.Entry(id); e.Death != tree.Alive {
				m.ReclaimableBytes += uint64(e.Size)
			}
		}
	}
	return m
}
