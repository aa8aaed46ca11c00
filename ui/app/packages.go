package app

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/filetree"
	"github.com/strata-dev/strata/ui/packagesview"
)

// togglePackages shows the packages view in the file tree's place, with
// the focus, or the tree again.
func (m *Model) togglePackages() {
	if m.ex.packagesOpen {
		m.closePackages()
		return
	}
	m.ex.packagesOpen = true
	m.showPackages(m.selected)
	m.setFocus(paneFiles)
}

// closePackages shows the file tree again.
func (m *Model) closePackages() {
	if !m.ex.packagesOpen {
		return
	}
	m.ex.packagesOpen = false
	m.setFocus(m.panes.Focus)
}

// packagesKey hands a key to the packages view and acts on what it asks:
// the tree again, or the tree filtered to the selected package's files.
func (m Model) packagesKey(msg tea.KeyPressMsg) (Model, tea.Cmd, bool) {
	if key.Matches(msg, m.keys.Files.Collapse) {
		m.setFocus(paneLayers)
		return m, nil, true
	}
	var cmd tea.Cmd
	m.ex.packages, cmd = m.ex.packages.Update(msg)
	switch m.ex.packages.Asked() {
	case packagesview.Close:
		m.closePackages()
	case packagesview.Files:
		p, _ := m.ex.packages.Selected()
		m.closePackages()
		m.files.FilterNodes(fmt.Sprintf("package %s %s", p.Name, p.Version), p.Nodes)
		m.setFocus(paneFiles)
	}
	return m, cmd, true
}

// layerShown follows a newly selected layer: the owners of its files in
// the tree, and its packages in the packages view when it is open.
func (m *Model) layerShown(k int) {
	if k >= len(m.analysis.Layers()) {
		m.files.SetOwners(nil)
		if m.ex.packagesOpen {
			m.ex.packages.SetMessage(k, fmt.Sprintf("layer %d is not analyzed yet", k))
		}
		return
	}
	m.files.SetOwners(m.owners(k))
	if m.ex.packagesOpen {
		m.showPackages(k)
	}
}

// owners names the package that owns each file at stacked layer k, nil
// when no package is known there or none lists its files; made once per
// layer.
func (m *Model) owners(k int) filetree.Owners {
	if o, ok := m.ex.layerOwners[k]; ok {
		return o
	}
	fs := m.stackedFiles(k)
	if len(fs) == 0 {
		m.ex.layerOwners[k] = nil
		return nil
	}
	by := map[tree.NodeID]string{}
	for _, f := range fs {
		for _, n := range f.Nodes {
			if _, ok := by[n]; !ok {
				by[n] = f.Name
			}
		}
	}
	if len(by) == 0 { // packages without file lists: no column to show
		m.ex.layerOwners[k] = nil
		return nil
	}
	o := func(n tree.NodeID) string { return by[n] }
	m.ex.layerOwners[k] = o
	return o
}

// showPackages fills the packages view with layer k's: what its step
// added, changed and removed against the layer below, and what is present
// after it.
func (m *Model) showPackages(k int) {
	if k < 0 || k >= len(m.analysis.Layers()) {
		m.ex.packages.SetMessage(k, fmt.Sprintf("layer %d is not analyzed yet", k))
		return
	}
	t := m.analysis.Tree()
	now, before := m.stackedFiles(k), m.stackedFiles(k-1)
	was := map[string]packages.Files{}
	for _, f := range before {
		was[f.Key] = f
	}
	var changed, present []packagesview.Package
	for _, f := range now {
		p := packagesview.Package{Ecosystem: f.Ecosystem, Name: f.Name, Version: f.Version, Nodes: f.Nodes}
		p.Size, p.Files = sizeAt(t, f.Nodes, k)
		old, had := was[f.Key]
		delete(was, f.Key)
		switch {
		case !had:
			c := p
			c.Change = packages.Added
			changed = append(changed, c)
		case old.Version != f.Version:
			c := p
			c.Change, c.From = packages.CompareVersions(f.Ecosystem, old.Version, f.Version), old.Version
			changed = append(changed, c)
		}
		present = append(present, p)
	}
	for _, f := range before {
		if _, gone := was[f.Key]; !gone {
			continue
		}
		p := packagesview.Package{Change: packages.Removed, Ecosystem: f.Ecosystem, Name: f.Name, Version: f.Version}
		p.Size, p.Files = sizeAt(t, f.Nodes, k-1)
		changed = append(changed, p)
	}
	m.ex.packages.SetPackages(k, changed, present)
}

// packageToCopy is the selected package of the packages view, as name
// and version, for the copy key.
func (m Model) packageToCopy() (what, text string) {
	if p, ok := m.ex.packages.Selected(); ok {
		return "package", p.Name + " " + p.Version
	}
	return "", ""
}
