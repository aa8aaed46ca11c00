package app

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/filetree"
	"github.com/strata-dev/strata/ui/findingsview"
	"github.com/strata-dev/strata/ui/packagesview"
)

// extras are what inspect shows beyond dive's panes: the findings
// overlay, the packages view in the file tree's place, and the tree's
// owner column. Their analyzers watch the TUI's one analysis, as the
// CLI's do.
type extras struct {
	found    *findings.Analyzer
	pkgs     *packages.Analyzer
	findings findingsview.Model
	packages packagesview.Model
	// findingsOpen says the overlay is drawn over the panes; findingsSet
	// that it has the analysis' findings.
	findingsOpen, findingsSet bool
	// packagesOpen says the packages view is drawn in the tree's place;
	// the tree's pane number then focuses it.
	packagesOpen bool
	// layerFiles are the packages present after each stacked layer, with
	// their files; a layer's never changes once stacked.
	layerFiles map[int][]packages.Files
	// layerOwners are the owner columns of the layers shown so far.
	layerOwners map[int]filetree.Owners
}

// newExtras makes the extras and the options that add their analyzers
// to the analysis.
func newExtras(st common.Styles) (extras, []analyze.Option) {
	ex := extras{
		found: findings.New(), pkgs: packages.New(),
		findings: findingsview.New(st), packages: packagesview.New(st),
		layerFiles: map[int][]packages.Files{}, layerOwners: map[int]filetree.Owners{},
	}
	return ex, []analyze.Option{analyze.WithObserver(ex.found), analyze.WithObserver(ex.pkgs)}
}

// setKeys gives the extras their bindings.
func (ex *extras) setKeys(k Keys) {
	ex.findings.SetKeyMap(k.Findings)
	ex.packages.SetKeyMap(k.Packages)
	ex.packages.SetNumber(paneFiles + 1)
}

// setExtraSizes sizes the overlay over the panes and the packages view in
// the tree's place.
func (m *Model) setExtraSizes(files common.Rect) {
	m.ex.findings.SetSize(m.width, max(0, m.height-2))
	m.ex.packages.SetSize(files.W, files.H)
}

// extrasChanged follows the analysis: the findings once every layer is
// stacked (or why there are none), the selected layer's packages.
func (m *Model) extrasChanged() {
	switch {
	case m.ex.findingsSet:
	case m.analysis.Done():
		res := m.analysis.Result()
		m.ex.findings.SetFindings(m.ex.found.Findings(res), m.analysis.History())
		m.ex.findingsSet = true
	case m.loadErr != nil:
		m.ex.findings.SetMessage(fmt.Sprintf("the analysis stopped at layer %d: no findings", m.stoppedAt()))
	}
}

// extraKey handles the keys of the extras, before the panes': the
// overlay's while it is open, the keys that open them, the packages
// view's while it has the focus. It says whether it took the key.
func (m Model) extraKey(msg tea.KeyPressMsg) (Model, tea.Cmd, bool) {
	switch {
	case m.ex.findingsOpen && m.keys.Findings.Takes(msg):
		var cmd tea.Cmd
		m.ex.findings, cmd = m.ex.findings.Update(msg)
		switch m.ex.findings.Asked() {
		case findingsview.Close:
			m.ex.findingsOpen = false
		case findingsview.Jump:
			m.ex.findingsOpen = false
			m.jumpToFinding()
		}
		return m, cmd, true
	case m.viewerOpen || m.typing():
		return m, nil, false
	case key.Matches(msg, m.keys.Findings.Open):
		m.ex.findingsOpen = true
		return m, nil, true
	case m.ex.findingsOpen:
		// The overlay is modal: only quitting, suspending and the help
		// go through.
		g := m.keys.Global
		return m, nil, !key.Matches(msg, g.Quit, g.Suspend, g.Help)
	case key.Matches(msg, m.keys.Packages.Open):
		m.togglePackages()
		return m, nil, true
	case m.ex.packagesOpen && m.panes.Focus == paneFiles && !key.Matches(msg, m.globalKeys()...):
		return m.packagesKey(msg)
	case m.ex.packagesOpen && key.Matches(msg, m.keys.Global.Filter):
		m.closePackages()
		return m, nil, false // the tree's filter opens
	}
	return m, nil, false
}

// globalKeys are the global bindings that come before a pane's.
func (m Model) globalKeys() []key.Binding {
	g := m.keys.Global
	return []key.Binding{g.Quit, g.Suspend, g.Help, g.Copy, g.Filter, g.SwitchPane, g.NextPane,
		g.Pane1, g.Pane2, g.Pane3, g.Pane4, g.Pane5}
}

// extraBar is the help bar's keys while an extra has the keyboard; ok is
// false when none has.
func (m Model) extraBar() (pane, global []key.Binding, ok bool) {
	g := m.keys.Global
	switch {
	case m.help.IsOpen() || m.viewerOpen || m.typing():
		return nil, nil, false
	case m.ex.findingsOpen:
		pane, global = m.keys.Findings.Bar(g)
		return pane, global, true
	case m.ex.packagesOpen && m.panes.Focus == paneFiles:
		return m.keys.Packages.ShortHelp(), []key.Binding{g.Help, g.SwitchPane, g.Copy, m.keys.Findings.Open, g.Quit}, true
	}
	return nil, nil, false
}

// extraOpenKeys are the keys that open the extras, for the help bar.
func (m Model) extraOpenKeys() []key.Binding {
	return []key.Binding{m.keys.Findings.Open, m.keys.Packages.Open}
}

// extraView draws the screen's middle when an extra covers it, and the
// tree's place when the packages view is in it; ok is false for dive's.
func (m Model) extraView() (middle string, ok bool) {
	if m.ex.findingsOpen {
		return m.ex.findings.View(), true
	}
	return "", false
}

// extraRight is what the right side shows instead of the tree, if
// anything.
func (m Model) extraRight() (string, bool) {
	if m.ex.packagesOpen && !m.viewerOpen {
		return m.ex.packages.View(), true
	}
	return "", false
}

// extraMouse hands the overlay or the packages view a mouse event; it
// says whether one took it.
func (m Model) extraMouse(msg tea.MouseMsg) (Model, bool) {
	switch {
	case m.ex.findingsOpen:
		ev := msg.Mouse()
		local := common.Rect{X: 0, Y: 1, W: m.width, H: m.height - 2}
		if !local.Contains(ev.X, ev.Y) {
			return m, true
		}
		m.ex.findings, _ = m.ex.findings.Update(local.Local(msg)) // a click asks nothing
		return m, true
	case m.ex.packagesOpen && !m.viewerOpen:
		r := m.rects()[paneFiles]
		if !r.Contains(msg.Mouse().X, msg.Mouse().Y) {
			return m, false
		}
		if _, click := msg.(tea.MouseClickMsg); click {
			m.setFocus(paneFiles)
		}
		m.ex.packages, _ = m.ex.packages.Update(r.Local(msg)) // nor here
		return m, true
	}
	return m, false
}

// stackedFiles are the packages after stacked layer k, with their files.
func (m *Model) stackedFiles(k int) []packages.Files {
	if k < 0 || k >= len(m.analysis.Layers()) {
		return nil
	}
	if fs, ok := m.ex.layerFiles[k]; ok {
		return fs
	}
	fs := m.ex.pkgs.Files(m.analysis.Tree(), k)
	m.ex.layerFiles[k] = fs
	return fs
}

// sizeAt adds up the sizes of the files of nodes at layer k, and counts
// them (not their directories).
func sizeAt(t *tree.Tree, nodes []tree.NodeID, k int) (size int64, count int) {
	for _, n := range nodes {
		id, ok := t.VersionAt(n, k)
		if !ok {
			continue
		}
		if e := t.Entry(id); !e.IsDir() {
			size += e.Size
			count++
		}
	}
	return size, count
}
