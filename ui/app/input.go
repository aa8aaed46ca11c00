package app

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/viewer"
)

// key handles a key press: global keys first, then the focused pane's.
func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	g := m.keys.Global
	// The filter line takes every key; the viewer takes its own (q closes
	// it) before the global ones.
	typing := m.focus == paneFiles && !m.viewerOpen && m.files.Filtering() ||
		m.viewerOpen && viewerHandles(m.keys.Viewer, msg)
	if m.showHelp {
		if key.Matches(msg, g.Help, g.Quit) || msg.String() == "esc" {
			m.showHelp = false
		}
		return m, nil
	}
	if !typing {
		switch {
		case key.Matches(msg, g.Quit):
			m.cancel()
			return m, tea.Quit
		case key.Matches(msg, g.Suspend):
			return m, tea.Suspend
		case key.Matches(msg, g.Help):
			m.showHelp = true
			return m, nil
		case key.Matches(msg, g.NextPane) && !m.viewerOpen:
			m.setFocus((m.focus + 1) % paneCount)
			return m, nil
		case key.Matches(msg, g.PrevPane) && !m.viewerOpen:
			m.setFocus((m.focus + paneCount - 1) % paneCount)
			return m, nil
		}
	} else if msg.String() == "ctrl+c" {
		m.cancel()
		return m, tea.Quit
	}
	var cmd tea.Cmd
	switch {
	case m.viewerOpen:
		m.viewer, cmd = m.viewer.Update(msg)
	case m.focus == paneLayers:
		lk := m.keys.Layers
		switch {
		case key.Matches(msg, lk.CompareLayer):
			m.setCompare(tree.CompareLayer)
		case key.Matches(msg, lk.CompareAggregated):
			m.setCompare(tree.CompareAggregated)
		case msg.String() == "right" || msg.String() == "l":
			m.setFocus(paneFiles)
		default:
			before := m.layersPane.Selected()
			m.layersPane, cmd = m.layersPane.Update(msg)
			if after := m.layersPane.Selected(); after != before {
				m.selectLayer(after)
			}
		}
	case m.focus != paneFiles && (msg.String() == "right" || msg.String() == "l"):
		m.setFocus(paneFiles)
	case m.focus == paneHistory:
		m.historyPane, cmd = m.historyPane.Update(msg)
	case m.focus == paneLayerDetails:
		m.layerDetails, cmd = m.layerDetails.Update(msg)
	case m.focus == paneImage:
		m.imageDetails, cmd = m.imageDetails.Update(msg)
	case m.focus == paneFiles && key.Matches(msg, m.keys.Files.Collapse) && m.files.AtLeftEdge() && !m.files.Filtering():
		m.setFocus(paneLayers)
	case m.focus == paneFiles:
		m.files, cmd = m.files.Update(msg)
	}
	return m, cmd
}

// viewerHandles says whether the viewer has a binding for a key.
func viewerHandles(k viewer.KeyMap, msg tea.KeyPressMsg) bool {
	return key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right, k.Close)
}

func (m *Model) setCompare(mode tree.CompareMode) {
	m.compare = mode
	m.layersPane.SetCompareMode(mode)
	m.selectLayer(m.selected)
}
