package diffview

import (
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
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

// diffMsg is the comparison of both images, with the paths of each
// package that differs (see packageNodes).
type diffMsg struct {
	d     *diff.Diff
	nodes [][]diff.NodeID
}

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
			m.pkgs.setMessage(noPackages)
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

// compare compares both analyses, which nothing stacks onto any more,
// and their packages as the text report does: the packages analyzers
// watched the same single pass over each layer.
func (m Model) compare() tea.Cmd {
	a, b := m.sides[0], m.sides[1]
	ra, rb := a.analysis.Result(), b.analysis.Result()
	return common.Guard(func() tea.Msg {
		d := diff.Compare(ra, rb)
		pa, pb := a.pkgs.Packages(ra), b.pkgs.Packages(rb)
		if len(pa.Packages)+len(pb.Packages) == 0 {
			return diffMsg{d: d} // no package database in either image
		}
		d.Packages = diff.ComparePackages(pa, pb)
		return diffMsg{d: d, nodes: packageNodes(d, [2]packageSide{{a.pkgs, ra, pa}, {b.pkgs, rb, pb}})}
	})
}

// packageSide is one image's packages and the analysis that found them.
type packageSide struct {
	found *packages.Analyzer
	res   *analyze.Result
	pkgs  *packages.Result
}

// packageNodes are, for each package d.Packages says differs, the paths
// of the tree of differences that hold its files in B or in A (B's
// first): what enter narrows the tree to. Both analyses must be done.
func packageNodes(d *diff.Diff, sides [2]packageSide) [][]diff.NodeID {
	type ident struct {
		eco                  packages.Ecosystem
		name, arch, location string
	}
	type index struct {
		keys  map[ident]string // a present package's key
		files map[string][]tree.NodeID
		t     *tree.Tree
	}
	var in [2]index
	for i, s := range sides {
		x := index{keys: map[ident]string{}, files: map[string][]tree.NodeID{}, t: s.res.Tree}
		for _, p := range s.pkgs.Present() {
			x.keys[ident{p.Ecosystem, p.Name, p.Arch, p.Location}] = p.Key()
		}
		for _, f := range s.found.Files(s.res.Tree, len(s.res.Layers)-1) {
			x.files[f.Key] = f.Nodes
		}
		in[i] = x
	}
	out := make([][]diff.NodeID, len(d.Packages.Changes))
	for i, c := range d.Packages.Changes {
		// A change names the package as B has it, or as A had a removed
		// one; both images know it by the same key.
		n := ident{c.Ecosystem, c.Name, c.Arch, c.Location}
		k := in[1].keys[n]
		if c.Change == packages.Removed {
			k = in[0].keys[n]
		}
		seen := map[diff.NodeID]bool{}
		for _, x := range []index{in[1], in[0]} {
			for _, node := range x.files[k] {
				if id, ok := d.Files.Lookup(x.t.Path(node)); ok && !seen[id] {
					seen[id] = true
					out[i] = append(out[i], id)
				}
			}
		}
	}
	return out
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
