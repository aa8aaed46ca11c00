package analyze

import (
	"encoding/binary"
	"io/fs"

	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// An Observer follows an analysis as it runs, to work out more than the
// tree holds — findings, packages — in the same single pass over each
// layer: it says which files' contents to keep while the layers are read,
// and sees each layer as it is stacked, with those contents, and every
// version of a path as it stops being visible.
type Observer interface {
	// Capture returns a keeper for a regular file's contents, to be given
	// to Stacked with what it kept (tarparse.NewPrefix keeps the first
	// bytes), or nil. It is called for every regular file, from the
	// goroutines that read layers, so it must be cheap and safe for
	// concurrent use.
	Capture(path string, size int64, mode fs.FileMode) tarparse.Keeper
	// Died is called, on the goroutine that stacks, for each version that
	// stops being visible while a layer is stacked.
	Died(t *tree.Tree, d tree.Death)
	// Stacked is called, on the goroutine that stacks, once layer l is on
	// top of t, with what its own keepers kept of the layer's files, in
	// tar order.
	Stacked(t *tree.Tree, l *tree.Layer, files []tarparse.CapturedFile)
}

// WithObserver adds an observer to the analysis; give it more than once
// for more than one.
func WithObserver(o Observer) Option {
	return func(opts *options) { opts.observers = append(opts.observers, o) }
}

// capture gives each file to the keepers the observers return for it:
// the file's Kept is then a []tarparse.CapturedFile-ready value per
// observer (see keepers).
func capture(observers []Observer) func(string, int64, fs.FileMode) tarparse.Keeper {
	if len(observers) == 0 {
		return nil
	}
	return func(path string, size int64, mode fs.FileMode) tarparse.Keeper {
		var ks keepers
		for i, o := range observers {
			if k := o.Capture(path, size, mode); k != nil {
				if ks == nil {
					ks = make(keepers, len(observers))
				}
				ks[i] = k
			}
		}
		if ks == nil {
			return nil
		}
		return ks
	}
}

// keepers are the keepers of one file, one per observer (nil where an
// observer keeps nothing of it). Their Kept is what each kept, each
// prefixed by its length plus one (0 for an observer that keeps nothing).
type keepers []tarparse.Keeper

func (ks keepers) Write(p []byte) (int, error) {
	for _, k := range ks {
		if k != nil {
			k.Write(p)
		}
	}
	return len(p), nil
}

func (ks keepers) Kept() []byte {
	var b []byte
	for _, k := range ks {
		if k == nil {
			b = binary.AppendUvarint(b, 0)
			continue
		}
		kept := k.Kept()
		b = binary.AppendUvarint(b, uint64(len(kept))+1)
		b = append(b, kept...)
	}
	return b
}

// filesFor picks out of a layer's captured files what observer i kept.
func filesFor(files []tarparse.CapturedFile, i int) []tarparse.CapturedFile {
	var out []tarparse.CapturedFile
	for _, f := range files {
		b := f.Kept
		for j := 0; j <= i && len(b) > 0; j++ {
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)-k)+1 {
				break
			}
			b = b[k:]
			if j < i {
				b = b[max(0, int(n)-1):]
				continue
			}
			if n > 0 {
				f.Kept = b[:n-1]
				out = append(out, f)
			}
		}
	}
	return out
}
