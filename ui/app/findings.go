package app

import (
	"fmt"

	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/findingsview"
)

// jumpToFinding shows the selected finding's layer (its step's) in the
// layers pane and its first path in the file tree, its directories
// unfolded, and gives the tree the focus. A filter that hides the path
// is cleared; a change type hidden that hides it is said on the help bar.
func (m *Model) jumpToFinding() {
	f, ok := m.ex.findings.Selected()
	if !ok {
		return
	}
	k, path, ok := findingsview.Target(f, m.analysis.History())
	if !ok || k >= len(m.analysis.Layers()) {
		m.status = "this finding is about the image's configuration: no layer to show"
		return
	}
	m.closePackages()
	m.selectLayer(k)
	if path == "" {
		m.setFocus(paneLayers)
		return
	}
	m.setFocus(paneFiles)
	if m.files.SelectPath(path) {
		return
	}
	if shown, present := m.files.Shows(path); present && !shown && m.files.Filter() != "" {
		_ = m.files.SetFilter("")
		if m.files.SelectPath(path) {
			m.status = "cleared the filter to show " + common.TruncateLeft(path, 120)
			return
		}
	}
	if _, present := m.files.Shows(path); present {
		m.status = fmt.Sprintf("%s is hidden by the change types hidden in the tree", common.TruncateLeft(path, 120))
		return
	}
	m.status = fmt.Sprintf("layer %d does not show %s", k, common.TruncateLeft(path, 120))
}
