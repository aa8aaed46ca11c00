package analyze

import (
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// An Observer follows an analysis as it runs, to work out more than the
// tree holds — findings, packages — in the same single pass over each
// layer: it says which files' contents to keep while the layers are read,
// and sees each layer as it is stacked, with those contents, and every
// version of a path as it stops being visible.
type Observer interface {
	// Capture says how many of the first bytes of a regular file to keep
	// for Stacked (0 for none). It is called for every regular file, from
	// the goroutines that read layers, so it must be cheap and safe for
	// concurrent use.
	Capture(path string, size int64) int64
	// Died is called, on the goroutine that stacks, for each version that
	// stops being visible while a layer is stacked.
	Died(t *tree.Tree, d tree.Death)
	// Stacked is called, on the goroutine that stacks, once layer l is on
	// top of t, with the contents kept of its files (those any observer
	// asked for), in tar order.
	Stacked(t *tree.Tree, l *tree.Layer, files []tarparse.CapturedFile)
}

// WithObserver adds an observer to the analysis; give it more than once
// for more than one.
func WithObserver(o Observer) Option {
	return func(opts *options) { opts.observers = append(opts.observers, o) }
}

// capture is the most any observer asks to keep of a file.
func capture(observers []Observer) func(string, int64) int64 {
	if len(observers) == 0 {
		return nil
	}
	return func(path string, size int64) int64 {
		var n int64
		for _, o := range observers {
			n = max(n, o.Capture(path, size))
		}
		return n
	}
}
