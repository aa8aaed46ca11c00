package diffview

import (
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/ui/common"
)

// tickEvery is how often the progress is redrawn while the images load.
const tickEvery = 100 * time.Millisecond

// layerReadMsg is the next layer of one image's analysis, read and ready
// to be stacked, or what ended the analysis.
type layerReadMsg struct {
	side int
	p    *analyze.ParsedLayer
	err  error
}

// diffMsg is the comparison of both images.
type diffMsg struct{ d *diff.Diff }

// nextLayer waits, in the background, for one image's next layer; Update
// stacks it.
func (m Model) nextLayer(i int) tea.Cmd {
	a := m.sides[i].analysis
	if a == nil || m.sides[i].done {
		return nil
	}
	return common.Guard(func() tea.Msg {
		p, err := a.Next()
		return layerReadMsg{side: i, p: p, err: err}
	})
}

// layerRead stacks a layer of one image and waits for the next; once
// both images are stacked it compares them, in the background.
func (m Model) layerRead(msg layerReadMsg) (Model, tea.Cmd) {
	s := &m.sides[msg.side]
	err := msg.err
	if err == nil {
		_, err = s.analysis.Stack(msg.p)
	}
	if err != nil {
		if m.loadErr == nil && m.ctx.Err() == nil && !errors.Is(err, io.EOF) {
			m.loadErr = fmt.Errorf("%s: layer %d: %w", m.side(msg.side).Reference, len(s.analysis.Layers()), err)
			m.tree.SetMessage([]string{"the analysis stopped: " + m.loadErr.Error()})
			m.layout()
		}
		s.done = true
		return m, nil
	}
	for _, w := range msg.p.Warnings {
		m.status = m.st.Error.Render(common.TruncateMessage("warning: "+w.Error(), 300))
	}
	s.done = s.analysis.Done()
	if !s.done {
		return m, m.nextLayer(msg.side)
	}
	if m.sides[0].done && m.sides[1].done && m.loadErr == nil {
		return m, m.compare()
	}
	return m, nil
}

// compare compares both analyses, which nothing stacks onto any more.
func (m Model) compare() tea.Cmd {
	a, b := m.sides[0].analysis.Result(), m.sides[1].analysis.Result()
	return common.Guard(func() tea.Msg { return diffMsg{diff.Compare(a, b)} })
}

// progress is one image's progress: layers stacked, of all, and how far.
func (m Model) progress(i int) (stacked, layers int, frac float64) {
	s := m.sides[i]
	if s.analysis == nil {
		return 0, 0, 0
	}
	stacked = len(s.analysis.Layers())
	return stacked, len(s.sources), common.Progress(s.sources, stacked, s.read.Load())
}
