package analyze

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/analyze/layercache"
	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
)

// Option changes how an analysis runs.
type Option func(*options)

type options struct {
	parallel     int
	ignoreErrors bool
	verify       bool
	onRead       func(int64)
	bufs         *blob.Buffers
	parser       *tarparse.Parser
	observers    []Observer
	cache        LayerCache
	record       func(i int, p *ParsedLayer)
}

// A LayerCache gives parsed layers by diffID: [layercache.Cache] on disk,
// or the layers of a saved analysis.
type LayerCache interface {
	// GetOrRead returns the layer of diffID kept under key, reading it
	// with read when the cache does not hold it; it says whether the
	// layer came from the cache.
	GetOrRead(diffID v1.Hash, key string, read func() (*layercache.Layer, error)) (*layercache.Layer, bool, error)
}

// WithCache reads layers from c when it holds them, by diffID, and keeps
// in it the layers it reads. A layer whose bytes did not match its digests
// is not kept. Observers that keep files take part only when each says
// what it keeps (see [CacheKeyer]); otherwise the cache is not used.
func WithCache(c LayerCache) Option {
	return func(o *options) { o.cache = c }
}

// WithRecorder is called with every layer read, from the goroutines that
// read them, before it is stacked: what a saved analysis keeps.
func WithRecorder(f func(i int, p *ParsedLayer)) Option {
	return func(o *options) { o.record = f }
}

func newOptions(opts []Option) options {
	o := options{parallel: runtime.GOMAXPROCS(0), verify: true}
	for _, opt := range opts {
		opt(&o)
	}
	return o
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

// WithVerify says whether each layer's bytes are hashed with sha256 and
// checked against the digest and diffID the image declares (the default)
// or taken as declared; see [blob.WithVerify].
func WithVerify(verify bool) Option {
	return func(o *options) { o.verify = verify }
}

// WithOnRead is called with the number of stored bytes each time some
// are read, from the goroutines that read layers, for progress bars.
func WithOnRead(f func(n int64)) Option {
	return func(o *options) { o.onRead = f }
}

// Result is an analysis: the tree of every layer stacked, the image's
// configuration and history, and its metrics.
type Result struct {
	Tree    *tree.Tree
	Config  *v1.ConfigFile
	Layers  []*tree.Layer
	History []tree.HistoryEntry
	Metrics metrics.Metrics
}

// Analysis is an image being analyzed, one layer at a time: layers are
// read in parallel on goroutines of their own, a few ahead of the stack,
// and stacked in manifest order by whoever drives the analysis with
// [Analysis.Next] and [Analysis.Stack] (or [Analysis.Step]). The CLI,
// inspect's terminal UI and diff's all drive it the same way.
//
// Layers read ahead of the stack wait in memory, so no new layer is
// started while those hold more than aheadEntries entries: a slow first
// layer cannot let all the others pile up.
type Analysis struct {
	ctx     context.Context
	cancel  context.CancelFunc
	sources []image.Layer
	stack   *Stack

	ready    chan parsed // parsed layers, in manifest order
	released chan int    // entries of each layer stacked
	stopped  chan struct{}
	err      error // what ended the analysis, if something did
}

// parsed is the outcome of reading one layer.
type parsed struct {
	index int
	layer *ParsedLayer
	err   error
}

// aheadEntries is how many entries layers read ahead of the stack may
// always hold: about 30 MB.
const aheadEntries = 1 << 18

// Start reads img's configuration and layer list and starts reading its
// layers. Close the analysis when done with it.
func Start(ctx context.Context, img image.Image, opts ...Option) (*Analysis, error) {
	o := newOptions(opts)
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading image config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	a := &Analysis{
		ctx:      ctx,
		cancel:   cancel,
		sources:  layers,
		stack:    NewStack(cfg, len(layers), o.observers...),
		ready:    make(chan parsed, len(layers)),
		released: make(chan int, len(layers)),
		stopped:  make(chan struct{}),
	}
	go a.schedule(max(1, min(o.parallel, len(layers))), o)
	return a, nil
}

// schedule hands layers out in order, one to each worker that is free,
// so that the layer to stack next is never waiting behind ones that can
// only be stacked after it, and passes them on in order as they are read.
// The one exception is a layer larger than the others' share of the
// workers (see [readOrder]): it starts second, since the analysis can end
// no sooner than its read does.
func (a *Analysis) schedule(workers int, o options) {
	defer close(a.stopped)
	n := len(a.sources)
	jobs := make(chan int)
	results := make(chan parsed, n) // never blocks a worker
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Buffers and parser are kept from layer to layer.
			reuse := withReuse(blob.NewBuffers(), tarparse.NewParser(tarparse.WithCapture(capture(o.observers))))
			for i := range jobs {
				p, err := a.read(i, o, reuse)
				results <- parsed{i, p, err}
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	done := make([]*parsed, n)
	order := readOrder(a.sources, workers)
	dispatched, inFlight, ahead, delivered := 0, 0, 0, 0
	for delivered < n {
		var free chan int // nil, and so never chosen, while nothing may start
		next := -1
		if dispatched < n && inFlight < workers && ahead < aheadEntries {
			free, next = jobs, order[dispatched]
		}
		select {
		case free <- next:
			dispatched++
			inFlight++
		case r := <-results:
			inFlight--
			done[r.index] = &r
			if r.err == nil {
				ahead += r.layer.Entries.Len()
			}
			for delivered < n && done[delivered] != nil {
				d := done[delivered]
				done[delivered] = nil
				delivered++
				a.ready <- *d // never blocks: ready holds every layer
				if d.err != nil {
					return
				}
			}
		case k := <-a.released:
			ahead -= k
		case <-a.ctx.Done():
			return
		}
	}
}

// readOrder is the order in which workers start reading the layers:
// manifest order, but for a layer whose stored size is more than the
// total's share of one worker (over half of the image on two cores),
// which starts right after the first. Read last, as manifest order
// might have it, such a layer alone would keep the analysis running
// long after the other workers are done: on a 2.9 GB image whose third
// layer holds 1.6 GB, verifying reads ended 1.1 s after that layer
// started, 0.2 s into the run. Sizes a source does not know (-1) count
// as nothing.
func readOrder(layers []image.Layer, workers int) []int {
	order := make([]int, 0, len(layers))
	var total, largest int64
	big := -1
	for i, l := range layers {
		size := max(l.Size, 0)
		total += size
		if i > 0 && size > largest {
			largest, big = size, i
		}
	}
	if workers < 2 || big < 0 || largest <= total/int64(workers) {
		big = -1
	}
	for i := range layers {
		if i == big {
			continue
		}
		order = append(order, i)
		if i == 0 && big > 0 {
			order = append(order, big)
		}
	}
	return order
}

// Config is the image's configuration.
func (a *Analysis) Config() *v1.ConfigFile { return a.stack.config }

// Sources are the image's layers as its source declares them, bottom
// first.
func (a *Analysis) Sources() []image.Layer { return a.sources }

// Tree is the tree of the layers stacked so far. Read it only from the
// goroutine that stacks.
func (a *Analysis) Tree() *tree.Tree { return a.stack.Tree() }

// Layers are the layers stacked so far.
func (a *Analysis) Layers() []*tree.Layer { return a.stack.Layers() }

// History is the image's build history.
func (a *Analysis) History() []tree.HistoryEntry { return a.stack.builder.History() }

// HistoryOf returns the history step that made layer k, known from the
// configuration before the layer is read.
func (a *Analysis) HistoryOf(k int) (tree.HistoryEntry, bool) { return a.stack.builder.HistoryOf(k) }

// Done says whether every layer is stacked.
func (a *Analysis) Done() bool { return len(a.stack.Layers()) == len(a.sources) }

// Next waits for the next layer in manifest order to be read, and returns
// it for [Analysis.Stack]; io.EOF once every layer has been returned. It
// touches no tree, so it may run on any goroutine, but not on two at once,
// and each layer it returns must be stacked before it is called again.
func (a *Analysis) Next() (*ParsedLayer, error) {
	if a.err != nil {
		return nil, a.err
	}
	if a.Done() {
		return nil, io.EOF
	}
	select {
	case p := <-a.ready:
		if p.err != nil {
			a.fail(p.err)
			return nil, p.err
		}
		return p.layer, nil
	case <-a.ctx.Done():
		a.fail(context.Cause(a.ctx))
		return nil, a.err
	}
}

func (a *Analysis) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// Stack puts a layer Next returned on top of the stack and returns it as
// stacked.
func (a *Analysis) Stack(p *ParsedLayer) (*tree.Layer, error) {
	n := p.Entries.Len()
	l, err := a.stack.Push(p)
	if err != nil {
		a.fail(err)
		return nil, err
	}
	a.released <- n // never blocks: released has room for every layer
	return l, nil
}

// Step waits for the next layer and stacks it; io.EOF once every layer
// is stacked.
func (a *Analysis) Step() (*tree.Layer, error) {
	p, err := a.Next()
	if err != nil {
		return nil, err
	}
	return a.Stack(p)
}

// Metrics are the metrics of the layers stacked so far.
func (a *Analysis) Metrics() metrics.Metrics { return a.stack.Metrics() }

// Result returns the analysis of the layers stacked so far.
func (a *Analysis) Result() *Result { return a.stack.Result() }

// Close stops reading layers and waits until no goroutine of the
// analysis runs. The tree and result stay readable.
func (a *Analysis) Close() {
	a.cancel()
	<-a.stopped
}

// Analyze reads every layer of img once, in parallel, and stacks them.
func Analyze(ctx context.Context, img image.Image, opts ...Option) (*Result, error) {
	a, err := Start(ctx, img, opts...)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	for {
		if _, err := a.Step(); err != nil {
			if errors.Is(err, io.EOF) {
				return a.Result(), nil
			}
			return nil, err
		}
	}
}
