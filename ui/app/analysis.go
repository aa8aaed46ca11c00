package app

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/details"
)

// tickEvery is how often the progress is redrawn while layers load.
const tickEvery = 100 * time.Millisecond

// layerReadMsg is the next layer of the analysis, read and ready to be
// stacked, or what ended the analysis.
type layerReadMsg struct {
	a   *analyze.Analysis // whose layer it is: an image closed may send one
	p   *analyze.ParsedLayer
	err error
}

// nextLayer waits, in the background, for the analysis to read the next
// layer; Update stacks it.
func (m Model) nextLayer() tea.Cmd {
	a := m.analysis
	return common.Guard(func() tea.Msg {
		p, err := a.Next()
		return layerReadMsg{a: a, p: p, err: err}
	})
}

// layerRead stacks the layer the analysis read, and waits for the next.
func (m Model) layerRead(msg layerReadMsg) (Model, tea.Cmd) {
	if msg.a != m.analysis {
		return m, nil
	}
	err := msg.err
	if err == nil {
		_, err = m.analysis.Stack(msg.p)
	}
	if err != nil {
		if m.loadErr == nil && m.ctx.Err() == nil && !errors.Is(err, io.EOF) {
			m.loadErr = err
		}
		m.done = true
		m.refreshLayers()
		m.selectLayer(m.selected)
		m.layout()
		return m, nil
	}
	for _, w := range msg.p.Warnings {
		m.status = m.st.Error.Render(common.TruncateMessage("warning: "+w.Error(), 300))
	}
	m.done = m.analysis.Done()
	m.refreshLayers()
	m.files.Refresh()
	m.selectLayer(m.selected)
	if m.done {
		return m, nil
	}
	return m, m.nextLayer()
}

// stoppedAt is the first layer the analysis did not stack because of an
// error, -1 when there is none.
func (m Model) stoppedAt() int {
	if m.loadErr == nil {
		return -1
	}
	return len(m.analysis.Layers())
}

// errorText is the load error in full, with what to do about it.
func (m Model) errorText() string {
	if m.loadErr == nil {
		return ""
	}
	s := "error: " + m.loadErr.Error()
	if !strings.HasPrefix(m.loadErr.Error(), "layer ") && !strings.HasPrefix(m.loadErr.Error(), "opening layer ") {
		s = fmt.Sprintf("error: layer %d: %s", m.stoppedAt(), m.loadErr.Error())
	}
	var de *blob.DigestError
	if errors.As(m.loadErr, &de) {
		s += " — run strata again with --ignore-errors to go on past it as a warning"
	}
	return s
}

// refreshLayers updates the panes that show every layer, and the
// metrics, which cost a pass over the tree.
func (m *Model) refreshLayers() {
	stacked := m.analysis.Layers()
	m.metrics = m.analysis.Metrics()
	m.layersPane.SetLayers(m.sources, stacked, m.commands)
	m.layersPane.SetStopped(m.stoppedAt())
	img := details.Image{
		Reference: m.opts.Reference, Source: m.opts.Source, Platform: m.opts.Platform,
		Metrics: m.metrics, Layers: len(m.sources), Analyzed: len(stacked),
	}
	if m.loadErr != nil {
		img.Stopped = m.loadErr.Error()
	}
	m.addSupply(&img)
	m.imageDetails.SetImage(img)
	m.extrasChanged()
}

// view returns the (cached) view of a stacked layer.
func (m *Model) view(k int, mode tree.CompareMode) *tree.View {
	key := viewKey{k, mode}
	if v, ok := m.views[key]; ok {
		return v
	}
	v := tree.NewView(m.analysis.Tree(), m.analysis.Layers(), k, mode)
	m.views[key] = v
	return v
}

// selectLayer shows layer k in the layers, details, history and file
// tree.
func (m *Model) selectLayer(k int) {
	if k < 0 || k >= len(m.sources) {
		return
	}
	m.selected = k
	defer m.layerShown(k)
	m.layersPane.SetSelected(k)
	m.historyPane.SetSelectedLayer(k)
	stacked := m.analysis.Layers()
	step, _ := m.analysis.HistoryOf(k)
	title := fmt.Sprintf("Layer %d contents", k)
	if k >= len(stacked) {
		m.layerDetails.SetLayer(k, m.sources[k], step, nil, [4]int{})
		if at := m.stoppedAt(); at >= 0 {
			reason := fmt.Sprintf("the analysis stopped at layer %d: %s", at, m.loadErr.Error())
			m.layerDetails.SetStopped(reason)
			m.files.SetMessage(title, []string{fmt.Sprintf("Layer %d was not analyzed: %s", k, reason)})
		} else {
			m.files.SetMessage(title, []string{fmt.Sprintf("waiting for layer %d to be analyzed…", k)})
		}
		return
	}
	m.layerDetails.SetLayer(k, m.sources[k], step, stacked[k], m.view(k, tree.CompareLayer).Counts)
	if v := m.view(k, m.compare); m.files.CurrentView() != v {
		m.files.SetView(v)
	}
}

func (m *Model) setCompare(mode tree.CompareMode) {
	m.compare = mode
	m.layersPane.SetCompareMode(mode)
	m.selectLayer(m.selected)
}

// progress is how far the analysis is, from 0 to 1.
func (m Model) progress() float64 {
	return common.Progress(m.sources, len(m.analysis.Layers()), m.read.Load())
}
