package app

import (
	"context"
	"slices"

	"charm.land/bubbles/v2/key"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/details"
)

// Supply is what is known of the image beyond its layers, found in the
// background by Options.Supply: its base, its signature and the artifacts
// that refer to it.
type Supply struct {
	// BaseLayers is how many of the image's first layers are its base's,
	// 0 when that is not known.
	BaseLayers int
	// Details are drawn in the Image details pane; the metrics of the
	// layers above the base are added once they are analyzed.
	Details details.Supply
}

// supplyMsg is the supply found, or why it could not be.
type supplyMsg struct {
	a   *analyze.Analysis // whose image it is
	s   *Supply
	err error
}

// supplyState is the supply shown.
type supplyState struct {
	s     *Supply
	yours *metrics.Metrics // of the layers above the base, once all are analyzed
}

// findSupply looks for the supply in the background, when the caller
// gave a way to.
func (m Model) findSupply() tea.Cmd {
	f, ctx, a := m.opts.Supply, m.ctx, m.analysis
	if f == nil {
		return nil
	}
	return common.Guard(func() tea.Msg {
		s, err := f(ctx)
		return supplyMsg{a: a, s: s, err: err}
	})
}

// supplied shows the supply found: the base's layers marked, the image's
// details.
func (m Model) supplied(msg supplyMsg) (Model, tea.Cmd) {
	if msg.a != m.analysis {
		return m, nil
	}
	s := msg.s
	if msg.err != nil {
		s = &Supply{Details: details.Supply{Note: msg.err.Error()}}
	}
	if s == nil {
		return m, nil
	}
	m.supply = supplyState{s: s}
	m.layersPane.SetBase(min(s.BaseLayers, len(m.sources)))
	m.refreshLayers()
	m.selectLayer(m.layersPane.Selected())
	m.layout()
	return m, nil
}

// addSupply adds the supply to the image's details, with the metrics of
// the layers above the base once every layer is analyzed.
func (m *Model) addSupply(img *details.Image) {
	s := m.supply.s
	if s == nil {
		return
	}
	d := s.Details
	stacked := m.analysis.Layers()
	if s.BaseLayers > 0 && s.BaseLayers <= len(stacked) && len(stacked) == len(m.sources) {
		if m.supply.yours == nil {
			y := metrics.ForLayers(m.analysis.Tree(), stacked, s.BaseLayers)
			m.supply.yours = &y
		}
		d.Yours, d.YoursFrom = m.supply.yours, s.BaseLayers
	}
	img.Supply = &d
}

// SupplyFunc finds the supply of an image; see Options.Supply.
type SupplyFunc func(ctx context.Context) (*Supply, error)

// layersHelp is the Layers pane's short help: the key that hides the
// base's layers only when they are known.
func (m Model) layersHelp() []key.Binding {
	h := m.keys.Layers.ShortHelp()
	if m.layersPane.Base() > 0 {
		return h
	}
	return slices.DeleteFunc(h, func(b key.Binding) bool { return b.Help() == m.keys.Layers.HideBase.Help() })
}
