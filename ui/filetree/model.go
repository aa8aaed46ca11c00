package filetree

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/treeview"
)

// Request asks the parent to show a file's contents as the layer in view
// has it, or to extract a file or directory as it is there.
type Request struct {
	Node    tree.NodeID
	Path    string
	Layer   int
	Extract bool
}

// Model is the file tree pane. Make one with New.
type Model struct {
	treeview.Model
	view  *tree.View
	nodes *nodes
}

// New makes an empty file tree pane.
func New(st common.Styles) Model {
	m := Model{Model: treeview.New(st)}
	m.Model.SetEmpty("nothing to show (see the filter and hidden change types)")
	m.Model.SetMessage([]string{"waiting for the layer to be analyzed…"})
	return m
}

// SetView shows another layer or compare mode. The cursor stays on its
// path when the layer has it, and the window starts at the top as far as
// the cursor allows.
func (m *Model) SetView(v *tree.View) {
	if m.view != nil && v.Tree != m.view.Tree {
		m.Model.Reset()
	}
	m.view, m.nodes = v, &nodes{view: v, total: m.Model.Total}
	m.Model.SetColumns(m.nodes.columns(), m.nodes.suffix)
	m.Model.SetTitle(title(v))
	m.Model.SetMessage(nil)
	m.Model.SetTree(m.nodes)
}

// View is the layer's view shown, nil before the first.
func (m Model) CurrentView() *tree.View { return m.view }

// SetMessage shows lines instead of the tree: why the layer selected has
// none (it is not analyzed yet, or its analysis failed).
func (m *Model) SetMessage(title string, lines []string) {
	m.view, m.nodes = nil, nil
	m.Model.SetTitle(title)
	m.Model.SetMessage(lines)
}

// Refresh recomputes the tree after more layers were stacked.
func (m *Model) Refresh() {
	if m.view != nil {
		m.Model.Refresh()
	}
}

// Cursor is the selected path's node, tree.NoNode for none.
func (m Model) Cursor() tree.NodeID {
	c := m.Model.Cursor()
	if c == treeview.NoNode || m.view == nil {
		return tree.NoNode
	}
	return tree.NodeID(c)
}

// Update handles keys and the mouse.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.Model, cmd = m.Model.Update(msg)
	return m, cmd
}

// Request is what the last Update asked to open or extract, if anything.
func (m Model) Request() (Request, bool) {
	r, ok := m.Model.Request()
	if !ok || m.view == nil {
		return Request{}, false
	}
	n := tree.NodeID(r.Node)
	return Request{Node: n, Path: m.view.Tree.Path(n), Layer: m.view.Layer, Extract: r.Extract}, true
}

// title names the layer and the compare mode.
func title(v *tree.View) string {
	if v.Mode == tree.CompareAggregated {
		if v.Layer == 0 {
			return "Aggregated contents, layer 0"
		}
		return fmt.Sprintf("Aggregated contents, layers 1–%d", v.Layer)
	}
	return fmt.Sprintf("Layer %d contents", v.Layer)
}
