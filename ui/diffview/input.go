package diffview

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/packagesview"
	"github.com/strata-dev/strata/ui/treeview"
)

// key handles a key press as inspect's root does: the help and the viewer
// take the keyboard over, a line being typed takes the printable keys,
// elsewhere the global keys come first, then the focused pane's.
func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	g := m.keys.Global
	switch {
	case m.help.IsOpen():
		closed, cmd := m.help.Answer(msg, m.cancel)
		if closed {
			m.layout()
		}
		return m, cmd
	case m.viewerOpen && (m.viewer.Searching() || m.keys.Viewer.Takes(msg)):
		var cmd tea.Cmd
		m.viewer, cmd = m.viewer.Update(msg)
		if m.viewer.Closed() {
			m.viewerOpen, m.openNode = false, diff.NoNode
			m.setFocus(paneFiles)
		}
		return m, cmd
	case m.typing() && (common.Printable(msg) || key.Matches(msg, m.keys.Input.Apply, m.keys.Input.Cancel)):
		var cmd tea.Cmd
		m.tree, cmd = m.tree.Update(msg)
		return m, cmd
	}
	switch {
	case key.Matches(msg, g.Quit):
		m.cancel()
		return m, tea.Quit
	case key.Matches(msg, g.Suspend):
		return m, tea.Suspend
	case key.Matches(msg, g.Help):
		m.help.Open()
		m.layout()
		return m, nil
	case key.Matches(msg, g.Copy):
		return m.copySelection()
	case m.viewerOpen:
		return m, nil // the viewer is modal: no pane keys
	case key.Matches(msg, m.keys.Packages.Open):
		m.togglePackages()
		return m, nil
	case key.Matches(msg, g.Filter):
		m.closePackages()
		m.setFocus(paneFiles)
		return m, m.tree.StartFilter()
	case m.panes.Key(msg, g):
		m.setFocus(m.panes.Focus)
		return m, nil
	}
	var cmd tea.Cmd
	switch m.panes.Focus {
	case paneLayers, paneHistory, paneSummary:
		if key.Matches(msg, m.toFiles()) {
			m.setFocus(paneFiles)
			break
		}
		switch m.panes.Focus {
		case paneLayers:
			m.layers.list.Update(msg, m.layers.rows())
		case paneHistory:
			m.history.list.Update(msg, m.history.rows())
		default:
			m.summary.update(msg)
		}
	case paneFiles:
		if m.packagesOpen {
			return m.packagesKey(msg)
		}
		if key.Matches(msg, m.keys.Files.Collapse) && !m.tree.Filtering() && m.tree.AtLeftEdge() {
			m.setFocus(paneLayers)
			break
		}
		m.tree, cmd = m.tree.Update(msg)
		if r, ok := m.tree.Request(); ok && !r.Extract {
			var open tea.Cmd
			m, open = m.openFile(diff.NodeID(r.Node))
			cmd = tea.Batch(cmd, open)
		}
	}
	return m, cmd
}

// toFiles is the focused list's key to the tree.
func (m Model) toFiles() key.Binding {
	switch m.panes.Focus {
	case paneLayers:
		return m.keys.Layers.ToFiles
	case paneHistory:
		return m.keys.History.ToFiles
	}
	return m.keys.Details.ToFiles
}

// typing says whether the tree's filter line takes the keys.
func (m Model) typing() bool {
	return m.panes.Focus == paneFiles && !m.viewerOpen && m.tree.Filtering()
}

// copySelection puts what is selected on the clipboard with OSC 52: the
// tree's path, the layer's digest, the history step's command.
func (m Model) copySelection() (Model, tea.Cmd) {
	what, text := "", ""
	switch {
	case m.d == nil:
	case m.packagesOpen && m.panes.Focus == paneFiles:
		if r, ok := m.pkgs.selected(); ok {
			what, text = "package", r.Name+" "+r.version()
		}
	case m.viewerOpen || m.panes.Focus == paneFiles:
		n := m.openNode
		if !m.viewerOpen {
			n = nodeOf(m.tree.Cursor())
		}
		if n >= 0 {
			what, text = "path", m.d.Files.Path(n)
		}
	case m.panes.Focus == paneHistory && m.history.rows() > 0:
		what, text = "command", m.history.step(m.history.list.List.Cursor).CreatedBy
	default:
		if l := m.layers.selected(); l != nil {
			what, text = "digest", l.Digest.String()
		}
	}
	if text == "" {
		m.status = "nothing to copy"
		return m, nil
	}
	m.status = fmt.Sprintf("copied the %s %s", what, common.Truncate(text, 60))
	return m, tea.SetClipboard(text)
}

// noPackages is what the package changes say when the analysis stopped.
const noPackages = "the analysis stopped: no packages to compare"

// togglePackages shows the package changes in the tree's place, with the
// focus, or the tree again.
func (m *Model) togglePackages() {
	if m.packagesOpen {
		m.closePackages()
		return
	}
	m.packagesOpen = true
	m.setFocus(paneFiles)
}

// closePackages shows the tree again.
func (m *Model) closePackages() {
	if !m.packagesOpen {
		return
	}
	m.packagesOpen = false
	m.setFocus(m.panes.Focus)
}

// packagesKey hands a key to the package changes and acts on what they
// ask: the tree again, or the tree narrowed to the selected package's
// paths in A and B.
func (m Model) packagesKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Files.Collapse) {
		m.setFocus(paneLayers)
		return m, nil
	}
	var cmd tea.Cmd
	m.pkgs, cmd = m.pkgs.Update(msg)
	switch m.pkgs.Asked() {
	case packagesview.Close:
		m.closePackages()
	case packagesview.Files:
		r, _ := m.pkgs.selected()
		nodes := make([]treeview.Node, len(r.nodes))
		for i, n := range r.nodes {
			nodes[i] = treeview.Node(n)
		}
		m.closePackages()
		m.tree.SetNodeFilter(common.Truncate("package "+r.Name+" "+r.version(), 200), nodes)
	}
	return m, cmd
}
