package keymap

import (
	"charm.land/bubbles/v2/key"

	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/details"
	"github.com/strata-dev/strata/ui/findingsview"
	"github.com/strata-dev/strata/ui/history"
	"github.com/strata-dev/strata/ui/layers"
	"github.com/strata-dev/strata/ui/packagesview"
	"github.com/strata-dev/strata/ui/picker"
	"github.com/strata-dev/strata/ui/treeview"
	"github.com/strata-dev/strata/ui/viewer"
)

// Keys gathers every pane's keys, so that a config file can rebind them
// and the help can show them. Diff's UI takes the same: its lists move
// with the layers, history and details keys, its tree with the files'.
type Keys struct {
	Global  common.GlobalKeys
	Layers  layers.KeyMap
	History history.KeyMap
	Details details.KeyMap
	Files   treeview.KeyMap
	Input   common.InputKeys
	Viewer  viewer.KeyMap
	// Findings are the findings overlay's keys (inspect only), Packages
	// the packages view's: inspect's, and diff's package changes.
	Findings findingsview.KeyMap
	Packages packagesview.KeyMap
	Picker   picker.KeyMap
}

// Default returns dive's keys for every pane.
func Default() Keys {
	return Keys{
		Global:   common.DefaultGlobalKeys(),
		Layers:   layers.DefaultKeyMap(),
		History:  history.DefaultKeyMap(),
		Details:  details.DefaultKeyMap(),
		Files:    treeview.DefaultKeyMap(),
		Input:    common.DefaultInputKeys(),
		Viewer:   viewer.DefaultKeyMap(),
		Findings: findingsview.DefaultKeyMap(),
		Packages: packagesview.DefaultKeyMap(),
		Picker:   picker.DefaultKeyMap(),
	}
}

// Scope says where an action's keys work.
type Scope string

// The scopes. Global keys work everywhere; a pane's where it has the
// focus; Input's while a filter or search is typed, where every other
// printable key is text; Viewer's while the file viewer is open.
const (
	Global  Scope = "global"
	Layers  Scope = "layers"
	History Scope = "history"
	Details Scope = "details"
	Files   Scope = "files"
	Input   Scope = "input"
	Viewer  Scope = "viewer"
	// Findings' keys work while the findings overlay is open, before the
	// global ones; Packages' while the packages view (diff's: the package
	// changes) has the focus.
	Findings Scope = "findings"
	Packages Scope = "packages"
	Picker   Scope = "picker"
)

// modal says whether a scope's keys come before the global ones.
func (s Scope) modal() bool { return s == Input || s == Viewer || s == Findings }

// Action is one rebindable action: its name in the configuration file,
// its scope and its binding.
type Action struct {
	Name    string
	Scope   Scope
	Binding *key.Binding
}

// Actions lists every action, in the order the documentation gives them.
func (k *Keys) Actions() []Action {
	g, l, h, d, f, in, v := &k.Global, &k.Layers, &k.History, &k.Details, &k.Files, &k.Input, &k.Viewer
	fd, p := &k.Findings, &k.Packages
	return []Action{
		{"global.switch-pane", Global, &g.SwitchPane},
		{"global.next-pane", Global, &g.NextPane},
		{"global.pane-1", Global, &g.Pane1},
		{"global.pane-2", Global, &g.Pane2},
		{"global.pane-3", Global, &g.Pane3},
		{"global.pane-4", Global, &g.Pane4},
		{"global.pane-5", Global, &g.Pane5},
		{"global.filter", Global, &g.Filter},
		{"global.copy", Global, &g.Copy},
		{"global.help", Global, &g.Help},
		{"global.quit", Global, &g.Quit},
		{"global.suspend", Global, &g.Suspend},
		{"global.findings", Global, &fd.Open},
		{"global.packages", Global, &p.Open},
		{"global.platforms", Global, &k.Picker.Back},

		{"layers.up", Layers, &l.Up},
		{"layers.down", Layers, &l.Down},
		{"layers.page-up", Layers, &l.PageUp},
		{"layers.page-down", Layers, &l.PageDown},
		{"layers.top", Layers, &l.Top},
		{"layers.bottom", Layers, &l.Bottom},
		{"layers.compare-layer", Layers, &l.CompareLayer},
		{"layers.compare-aggregated", Layers, &l.CompareAggregated},
		{"layers.to-files", Layers, &l.ToFiles},
		{"layers.hide-base", Layers, &l.HideBase},

		{"history.up", History, &h.Up},
		{"history.down", History, &h.Down},
		{"history.page-up", History, &h.PageUp},
		{"history.page-down", History, &h.PageDown},
		{"history.top", History, &h.Top},
		{"history.bottom", History, &h.Bottom},
		{"history.to-files", History, &h.ToFiles},

		{"details.up", Details, &d.Up},
		{"details.down", Details, &d.Down},
		{"details.page-up", Details, &d.PageUp},
		{"details.page-down", Details, &d.PageDown},
		{"details.top", Details, &d.Top},
		{"details.bottom", Details, &d.Bottom},
		{"details.to-files", Details, &d.ToFiles},

		{"files.up", Files, &f.Up},
		{"files.down", Files, &f.Down},
		{"files.page-up", Files, &f.PageUp},
		{"files.page-down", Files, &f.PageDown},
		{"files.top", Files, &f.Top},
		{"files.bottom", Files, &f.Bottom},
		{"files.collapse", Files, &f.Collapse},
		{"files.expand", Files, &f.Expand},
		{"files.toggle", Files, &f.Toggle},
		{"files.toggle-all", Files, &f.ToggleAll},
		{"files.clear-filter", Files, &f.ClearFilter},
		{"files.toggle-added", Files, &f.ToggleAdded},
		{"files.toggle-removed", Files, &f.ToggleRemoved},
		{"files.toggle-modified", Files, &f.ToggleModified},
		{"files.toggle-unmodified", Files, &f.ToggleUnmodified},
		{"files.attributes", Files, &f.Attributes},
		{"files.sort", Files, &f.Sort},
		{"files.open", Files, &f.Open},
		{"files.extract", Files, &f.Extract},
		{"files.owners", Files, &f.Owners},

		{"input.apply", Input, &in.Apply},
		{"input.cancel", Input, &in.Cancel},

		{"viewer.up", Viewer, &v.Up},
		{"viewer.down", Viewer, &v.Down},
		{"viewer.page-up", Viewer, &v.PageUp},
		{"viewer.page-down", Viewer, &v.PageDown},
		{"viewer.top", Viewer, &v.Top},
		{"viewer.bottom", Viewer, &v.Bottom},
		{"viewer.left", Viewer, &v.Left},
		{"viewer.right", Viewer, &v.Right},
		{"viewer.close", Viewer, &v.Close},
		{"viewer.search", Viewer, &v.Search},
		{"viewer.next-match", Viewer, &v.NextMatch},
		{"viewer.prev-match", Viewer, &v.PrevMatch},

		{"findings.up", Findings, &fd.Up},
		{"findings.down", Findings, &fd.Down},
		{"findings.page-up", Findings, &fd.PageUp},
		{"findings.page-down", Findings, &fd.PageDown},
		{"findings.top", Findings, &fd.Top},
		{"findings.bottom", Findings, &fd.Bottom},
		{"findings.scroll-up", Findings, &fd.ScrollUp},
		{"findings.scroll-down", Findings, &fd.ScrollDown},
		{"findings.jump", Findings, &fd.Jump},
		{"findings.close", Findings, &fd.Close},

		{"packages.up", Packages, &p.Up},
		{"packages.down", Packages, &p.Down},
		{"packages.page-up", Packages, &p.PageUp},
		{"packages.page-down", Packages, &p.PageDown},
		{"packages.top", Packages, &p.Top},
		{"packages.bottom", Packages, &p.Bottom},
		{"packages.sort", Packages, &p.Sort},
		{"packages.files", Packages, &p.Files},
		{"packages.close", Packages, &p.Close},
		{"picker.up", Picker, &k.Picker.Up},
		{"picker.down", Picker, &k.Picker.Down},
		{"picker.page-up", Picker, &k.Picker.PageUp},
		{"picker.page-down", Picker, &k.Picker.PageDown},
		{"picker.top", Picker, &k.Picker.Top},
		{"picker.bottom", Picker, &k.Picker.Bottom},
		{"picker.open", Picker, &k.Picker.Open},
		{"picker.attestations", Picker, &k.Picker.Attestations},
	}
}

// renamed says what became of an action of an earlier version.
func renamed(name string) (string, bool) {
	switch name {
	case "files.home":
		return "files.top", true
	case "files.end":
		return "files.bottom", true
	case "files.filter":
		return "global.filter", true
	case "files.apply-filter":
		return "input.apply", true
	case "global.prev-pane":
		return "global.next-pane", true
	}
	return "", false
}

// Bindings maps every action's name to its binding.
func (k *Keys) Bindings() map[string]*key.Binding {
	out := map[string]*key.Binding{}
	for _, a := range k.Actions() {
		out[a.Name] = a.Binding
	}
	return out
}

// Names lists the actions' names, in the table's order.
func (k *Keys) Names() []string {
	var names []string
	for _, a := range k.Actions() {
		names = append(names, a.Name)
	}
	return names
}
