package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
)

var (
	// ErrNotPresent says that the path asked for is not in the stacked
	// filesystem at the layer asked for.
	ErrNotPresent = errors.New("not present")
	// ErrTooLarge says that a file is larger than MaxFileSize and
	// [WithForce] was not given.
	ErrTooLarge = errors.New("the file is too large")
)

// Option changes how [Extract] writes.
type Option func(*options)

type options struct {
	force bool
}

// WithForce lets Extract replace files, symlinks and other non-directories
// that already exist where it writes (the default is to refuse, before
// writing anything), and write files larger than [MaxFileSize]. Files are
// removed and written anew, never written through. A directory is never
// replaced, force or not.
func WithForce(force bool) Option {
	return func(o *options) { o.force = force }
}

// MaxFileSize is the largest file Extract writes without [WithForce]: a
// sparse file's logical size is what its header says, and a layer of a few
// KB can claim exabytes. Holes are written as holes, but a filesystem
// without them, or a later copy, would fill them.
const MaxFileSize = 8 << 30

// Summary says what an extraction wrote and left out.
type Summary struct {
	Files    int   // regular files written, hard links included
	Links    int   // of those, how many were written as hard links
	Dirs     int   // directories created or merged into
	Symlinks int   // symlinks written
	Bytes    int64 // bytes of contents written, once for files linked together
	// Skipped counts what was not written: device nodes, fifos, symlinks
	// leading out of the output directory, hard links with no regular file
	// to copy, entries of unknown types.
	Skipped int
	// Warnings say, one line each, what was skipped and why.
	Warnings []string
}

// Extract writes the file or directory path, as the stacked filesystem of
// res holds it at layer k, into dir: path lands at dir/base(path), and "/"
// fills dir itself. layers are the image's layers, the ones res was built
// from. dir is created when missing.
//
// It fails with [ErrNotPresent] when path is not visible at layer k, and
// with an error wrapping [fs.ErrExist] when something is in the way and
// force is off.
func Extract(ctx context.Context, res *analyze.Result, layers []image.Layer, k int, p, dir string, opts ...Option) (Summary, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	switch {
	case len(res.Layers) == 0:
		return Summary{}, errors.New("the image has no layers: there is nothing to extract")
	case k < 0 || k >= len(res.Layers):
		return Summary{}, fmt.Errorf("layer %d is out of range: the image has layers 0 to %d", k, len(res.Layers)-1)
	}
	if len(layers) != len(res.Layers) {
		return Summary{}, fmt.Errorf("extracting: %d layers given for an analysis of %d", len(layers), len(res.Layers))
	}
	p = path.Clean("/" + p)
	top, ok := res.Tree.Lookup(p)
	if ok && top != tree.Root {
		_, ok = res.Tree.VersionAt(top, k)
	}
	if !ok {
		return Summary{}, fmt.Errorf("%s: %w at layer %d", p, ErrNotPresent, k)
	}
	pl, err := newPlan(res, k, top)
	if err != nil {
		return Summary{}, err
	}
	if !o.force {
		if err := pl.checkSizes(res.Tree); err != nil {
			return Summary{}, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("creating the output directory: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Summary{}, fmt.Errorf("opening the output directory: %w", err)
	}
	defer root.Close()
	w := &writer{root: root, force: o.force, plan: pl, sum: Summary{Skipped: pl.skipped, Warnings: pl.warnings}}
	if err := w.run(ctx, layers); err != nil {
		return w.sum, err
	}
	return w.sum, nil
}
