package filetree

import (
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/treeview"
)

// ownerTitle is the title of the column of the package that owns each
// file.
const ownerTitle = "Package"

// ownerWidth is the owner column's width: most package names fit.
const ownerWidth = 16

// ownerMode says whether the owner column shows.
type ownerMode uint8

const (
	// ownersAuto shows the column when it fits: it is the first to go
	// when the names would be narrower than 20 cells (at 80 columns).
	ownersAuto ownerMode = iota
	// ownersOn shows it whatever the width: the other columns go first.
	ownersOn
	// ownersOff hides it.
	ownersOff
)

// Owners names, for each node of a layer, the package that owns it there:
// "" for none. The names come from the image: Safe makes them drawable.
type Owners func(tree.NodeID) string

// SetOwners sets who owns the files of the layer in view, nil when no
// package is known; the column shows only when some are.
func (m *Model) SetOwners(o Owners) {
	m.owners = o
	m.setColumns()
}

// ToggleOwners shows the owner column when it is not drawn now, and
// hides it when it is.
func (m *Model) ToggleOwners() {
	if m.Model.ColumnShown(ownerTitle) {
		m.ownerMode = ownersOff
	} else {
		m.ownerMode = ownersOn
		m.Model.ShowAttributes(true)
	}
	m.setColumns()
}

// OwnersShown says whether the owner column is drawn now.
func (m Model) OwnersShown() bool { return m.Model.ColumnShown(ownerTitle) }

// setColumns sets the attribute columns of the view: the permission,
// owner and size, and the owning package's.
func (m *Model) setColumns() {
	if m.nodes == nil {
		return
	}
	cols := m.nodes.columns()
	if o := m.owners; o != nil && m.ownerMode != ownersOff {
		drop := 4 // the first to go
		if m.ownerMode == ownersOn {
			drop = 0 // the last
		}
		cols = append(cols, treeview.Column{Title: ownerTitle, Width: ownerWidth, Left: true, Drop: drop,
			Cell: func(x treeview.Node) string { return common.Truncate(o(tree.NodeID(x)), ownerWidth) }})
	}
	m.Model.SetColumns(cols, m.nodes.suffix)
}

// FilterNodes shows only the nodes given, and their parents, as the
// filter named label (from an image: it is made safe here); the cursor
// goes to the first of them that is shown.
func (m *Model) FilterNodes(label string, nodes []tree.NodeID) {
	ns := make([]treeview.Node, len(nodes))
	for i, n := range nodes {
		ns[i] = treeview.Node(n)
	}
	m.Model.SetNodeFilter(common.Truncate(label, 200), ns)
}

// SelectPath puts the cursor on a path of the layer in view, expanding
// its directories and scrolling it into view. It says false when the
// layer does not show the path (not in the image, or hidden by the filter
// or the hidden change types).
func (m *Model) SelectPath(p string) bool {
	if m.view == nil {
		return false
	}
	n, ok := m.view.Tree.Lookup(p)
	if !ok {
		return false
	}
	return m.Model.Select(treeview.Node(n))
}

// Shows says whether the layer in view has a path, shown or hidden by the
// filter or the hidden change types.
func (m Model) Shows(p string) (shown, present bool) {
	if m.view == nil {
		return false, false
	}
	n, ok := m.view.Tree.Lookup(p)
	if !ok {
		return false, false
	}
	if _, ok := m.view.Entry(n); !ok {
		return false, false
	}
	return m.Model.Shown(treeview.Node(n)), true
}
