package app

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// key handles a key press. The help and the viewer take the keyboard
// over (their keys first, then the global ones they leave); a line being
// typed takes every printable key and leaves the others to the global
// keys; elsewhere the global keys come first, then the focused pane's.
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
			m.viewerOpen = false
			m.setFocus(paneFiles)
		}
		return m, cmd
	case m.typing() && (common.Printable(msg) || key.Matches(msg, m.keys.Input.Apply, m.keys.Input.Cancel)):
		var cmd tea.Cmd
		m.files, cmd = m.files.Update(msg)
		return m, cmd
	}
	if next, cmd, ok := m.extraKey(msg); ok {
		return next, cmd
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
	case m.opts.Platforms && key.Matches(msg, m.keys.Picker.Back):
		return m, goBack
	case key.Matches(msg, g.Filter):
		m.setFocus(paneFiles)
		return m, m.files.StartFilter()
	case m.panes.Key(msg, g):
		m.setFocus(m.panes.Focus)
		return m, nil
	}
	return m.paneKey(msg)
}

// typing says whether the file tree's filter line takes the keys.
func (m Model) typing() bool {
	return m.panes.Focus == paneFiles && !m.viewerOpen && m.files.Filtering()
}

// paneKey hands a key to the focused pane, and acts on what the panes
// leave to the root: the compare mode, the move to the file tree, a new
// layer selected in the layers or the history.
func (m Model) paneKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.panes.Focus {
	case paneLayers:
		lk := m.keys.Layers
		switch {
		case key.Matches(msg, lk.CompareLayer):
			m.setCompare(tree.CompareLayer)
		case key.Matches(msg, lk.CompareAggregated):
			m.setCompare(tree.CompareAggregated)
		case key.Matches(msg, lk.ToFiles):
			m.setFocus(paneFiles)
		default:
			m.layersPane, cmd = m.layersPane.Update(msg)
			if k := m.layersPane.Selected(); k != m.selected {
				m.selectLayer(k)
			}
		}
	case paneHistory:
		if key.Matches(msg, m.keys.History.ToFiles) {
			m.setFocus(paneFiles)
			break
		}
		m.historyPane, cmd = m.historyPane.Update(msg)
		if k := m.historyPane.Layer(); k >= 0 && k != m.selected {
			m.selectLayer(k)
		}
	case paneLayerDetails, paneImage:
		if key.Matches(msg, m.keys.Details.ToFiles) {
			m.setFocus(paneFiles)
			break
		}
		if m.panes.Focus == paneLayerDetails {
			m.layerDetails, cmd = m.layerDetails.Update(msg)
		} else {
			m.imageDetails, cmd = m.imageDetails.Update(msg)
		}
	case paneFiles:
		if key.Matches(msg, m.keys.Files.Collapse) && !m.files.Filtering() && m.files.AtLeftEdge() {
			m.setFocus(paneLayers)
			break
		}
		m.files, cmd = m.files.Update(msg)
		var more tea.Cmd
		m, more = m.request()
		cmd = tea.Batch(cmd, more)
	}
	return m, cmd
}
