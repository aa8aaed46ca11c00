package analyze

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/tree"
)

// Stack stacks parsed layers, in manifest order, into a tree and keeps
// the image's metrics up to date as it goes. An [Analysis] stacks the
// layers it reads with one; a caller that parses layers itself (a
// benchmark, a fuzz test) may use one directly. It is not safe for
// concurrent use.
type Stack struct {
	config    *v1.ConfigFile
	builder   *tree.Builder
	eff       metrics.Efficiency
	observers []Observer
}

// NewStack starts the stack of an image with the given configuration
// and number of layers, for the given observers.
func NewStack(cfg *v1.ConfigFile, layers int, observers ...Observer) *Stack {
	s := &Stack{config: cfg, builder: tree.NewBuilder(cfg, layers), observers: observers}
	if len(observers) > 0 {
		t := s.builder.Tree()
		s.builder.ObserveDeaths(func(d tree.Death) {
			for _, o := range observers {
				o.Died(t, d)
			}
		})
	}
	return s
}

// Push puts the next layer on top and returns it as stacked. The parsed
// layer's entries are not needed afterwards and are let go.
func (s *Stack) Push(p *ParsedLayer) (*tree.Layer, error) {
	l := p.stackedLayer()
	if err := s.builder.Stack(l, p.Entries); err != nil {
		return nil, err
	}
	files := p.Entries.Captured
	p.Entries = nil // the tree holds what it needs
	s.eff.AddLayer(s.builder.Tree(), l)
	for i, o := range s.observers {
		o.Stacked(s.builder.Tree(), l, filesFor(files, i))
	}
	return l, nil
}

// Tree is the tree of the layers stacked so far.
func (s *Stack) Tree() *tree.Tree { return s.builder.Tree() }

// Layers are the layers stacked so far.
func (s *Stack) Layers() []*tree.Layer { return s.builder.Layers() }

// Metrics are the metrics of the layers stacked so far.
func (s *Stack) Metrics() metrics.Metrics { return s.eff.Metrics(s.builder.Tree(), s.builder.Layers()) }

// Result returns the analysis of the layers stacked so far.
func (s *Stack) Result() *Result {
	return &Result{
		Tree:    s.builder.Tree(),
		Config:  s.config,
		Layers:  s.builder.Layers(),
		History: s.builder.History(),
		Metrics: s.Metrics(),
	}
}
