package analyze

import (
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
	progress     func(Progress)
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

// WithProgress is called, from the goroutine that called Analyze, each
// time a layer has been stacked.
func WithProgress(f func(Progress)) Option {
	return func(o *options) { o.progress = f }
}

// Progress tells how far an analysis has come.
type Progress struct {
	Stacked int // layers stacked
	Layers  int // layers in the image
}

// Analyze reads every layer of img once, in parallel, and stacks them.
func Analyze(ctx context.Context, img Image, opts ...Option) (*Result, error) {
	o := options{parallel: runtime.GOMAXPROCS(0)}
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
		p   *ParsedLayer
		err error
	}
	results := make([]chan result, len(layers))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	// Workers take layers in order, so the layer to stack next is never
	// waiting behind ones that can only be stacked after it.
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, min(o.parallel, len(layers))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, err := ParseLayer(ctx, i, layers[i], IgnoreDigestErrors(o.ignoreErrors))
				results[i] <- result{p, err}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range layers {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer func() {
		cancel()
		wg.Wait()
	}()

	for i := range layers {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.err != nil {
			return nil, r.err
		}
		if err := b.Stack(r.p); err != nil {
			return nil, err
		}
		if o.progress != nil {
			o.progress(Progress{Stacked: i + 1, Layers: len(layers)})
		}
	}
	return b.Result(), nil
}
