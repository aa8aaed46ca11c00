package analyze

import (
	"github.com/strata-dev/strata/image"

	"context"
	"fmt"
	"runtime"
	"sync"
)

// Option changes how [Analyze] works.
type Option func(*options)

type options struct {
	parallel     int
	ignoreErrors bool
	verify       bool
	progress     func(Progress)
	stacked      func(*Builder) error
}

// WithParallelism sets how many layers are read at once; the default is
// GOMAXPROCS.
func WithParallelism(n int) Option {
	return func(o *options) { o.parallel = n }
}

// WithIgnoreErrors makes digest and diffID mismatches warnings on the
// layer instead of errors.
func WithIgnoreErrors(ignore bool) Option {
	return func(o *options) { o.ignoreErrors = ignore }
}

// WithVerify says whether each layer's bytes are checked against its
// digest and diffID (the default) or not; see [VerifyDigests].
func WithVerify(verify bool) Option {
	return func(o *options) { o.verify = verify }
}

// WithProgress is called, from the goroutine that called Analyze, each
// time a layer has been stacked.
func WithProgress(f func(Progress)) Option {
	return func(o *options) { o.progress = f }
}

// WithStacked is called, from the goroutine that called Analyze, each time
// a layer has been stacked, with the builder that holds it: f may read the
// builder's tree and layers until it returns (see [ReportWriter.Stacked]).
// An error from f ends the analysis with that error.
func WithStacked(f func(*Builder) error) Option {
	return func(o *options) { o.stacked = f }
}

// Progress tells how far an analysis has come.
type Progress struct {
	Stacked int // layers stacked
	Layers  int // layers in the image
}

// Analyze reads every layer of img once, in parallel, and stacks them.
func Analyze(ctx context.Context, img image.Image, opts ...Option) (*Result, error) {
	o := options{parallel: runtime.GOMAXPROCS(0), verify: true}
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading image config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	b := NewBuilder(cfg, len(layers))

	ctx, cancel := context.WithCancel(ctx)
	type result struct {
		index int
		p     *ParsedLayer
		err   error
	}
	workers := max(1, min(o.parallel, len(layers)))
	next := make(chan int, len(layers))
	results := make(chan result, len(layers))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, err := ParseLayer(ctx, i, layers[i], IgnoreDigestErrors(o.ignoreErrors), VerifyDigests(o.verify))
				results <- result{i, p, err}
			}
		}()
	}
	defer func() {
		cancel()
		close(next)
		wg.Wait()
	}()

	// Layers are handed out in order, one to each worker that is free, so
	// that the layer to stack next is never waiting behind ones that can
	// only be stacked after it. Layers read ahead of the stack wait in
	// memory, so no new one is started while those hold more than
	// aheadEntries entries.
	done := make([]*result, len(layers))
	dispatched, inFlight, ahead := 0, 0, 0
	dispatch := func() {
		for dispatched < len(layers) && inFlight < workers && ahead < aheadEntries {
			next <- dispatched
			dispatched++
			inFlight++
		}
	}
	got := func(r result) {
		inFlight--
		done[r.index] = &r
		if r.err == nil {
			ahead += r.p.entries.n
		}
	}
	// collect takes the layers parsed meanwhile, so that workers that are
	// done get new layers while this goroutine is busy stacking.
	collect := func() {
		for {
			select {
			case r := <-results:
				got(r)
			default:
				dispatch()
				return
			}
		}
	}
	dispatch()
	for k := 0; k < len(layers); {
		select {
		case r := <-results:
			got(r)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		collect()
		for ; k < len(layers) && done[k] != nil; k++ {
			d := done[k]
			done[k] = nil
			if d.err != nil {
				return nil, d.err
			}
			n := d.p.entries.n
			if err := b.Stack(d.p); err != nil {
				return nil, err
			}
			ahead -= n
			collect()
			if o.progress != nil {
				o.progress(Progress{Stacked: k + 1, Layers: len(layers)})
			}
			if o.stacked != nil {
				if err := o.stacked(b); err != nil {
					return nil, err
				}
				collect()
			}
		}
	}
	return b.Result(), nil
}

// aheadEntries is how many entries layers read ahead of the stack may
// always hold: about 30 MB.
const aheadEntries = 1 << 18
