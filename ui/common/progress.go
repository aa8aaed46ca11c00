package common

import (
	"strings"

	"github.com/strata-dev/strata/image"
)

// Progress is how far an analysis is, from 0 to 1: of all the layers'
// stored bytes, those of the layers up to the next one to stack that have
// been read (read counts every stored byte read). Both count the same
// bytes, and since the count is capped at the layer being waited for,
// layers read ahead do not make it reach 1 early. Without sizes it
// counts the layers stacked.
func Progress(layers []image.Layer, stacked int, read int64) float64 {
	var total, upToNext int64
	for i, l := range layers {
		if l.Size < 0 {
			total = 0
			break
		}
		total += l.Size
		if i <= stacked {
			upToNext += l.Size
		}
	}
	if total == 0 {
		return float64(stacked) / float64(max(1, len(layers)))
	}
	return float64(min(read, upToNext)) / float64(total)
}

// ProgressBar draws frac of width cells full.
func ProgressBar(st Styles, frac float64, width int) string {
	full := Clamp(int(frac*float64(width)), 0, width)
	return st.ProgressFull.Render(strings.Repeat("█", full)) + st.ProgressEmpty.Render(strings.Repeat("░", width-full))
}
