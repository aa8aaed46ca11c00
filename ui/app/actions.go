package app

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/filetree"
	"github.com/strata-dev/strata/ui/viewer"
)

// openFile opens the viewer on a file of the layer in view, or on the
// file its links lead to, read from the layer that wrote that version.
func (m Model) openFile(msg filetree.Request) (Model, tea.Cmd) {
	v := m.files.CurrentView()
	if v == nil {
		return m, nil
	}
	m.viewerOpen = true
	m.setFocus(paneFiles)
	t, err := filetree.Resolve(v, msg.Node)
	if err != nil {
		m.viewer.SetLoading(msg.Path, "")
		m.viewer.SetError(err)
		return m, nil
	}
	via := ""
	if t.Via != "" {
		via = msg.Path + " " + t.Via
	}
	if t.Layer < 0 || t.Layer >= len(m.sources) {
		return m, nil
	}
	m.viewer.SetLoading(t.Path, via)
	return m, common.Guard(viewer.Load(m.ctx, m.sources[t.Layer], t.Layer, t.Path, m.opts.FileLimit))
}

// extract writes the selected path when the whole image is analyzed.
func (m Model) extract(msg filetree.Request) (Model, tea.Cmd) {
	if !m.done || m.loadErr != nil || m.opts.Extract == nil {
		m.status = "extract: wait until every layer is analyzed"
		return m, nil
	}
	ctx, res, ls, dir, f := m.ctx, m.analysis.Result(), m.sources, m.opts.ExtractDir, m.opts.Extract
	m.status = "extracting " + common.TruncateLeft(msg.Path, 60) + "…"
	return m, common.Guard(func() tea.Msg {
		s, err := f(ctx, res, ls, msg.Layer, msg.Path, dir)
		return extractDoneMsg{summary: s, err: err}
	})
}

// request does what the file tree asked for, if anything.
func (m Model) request() (Model, tea.Cmd) {
	r, ok := m.files.Request()
	switch {
	case !ok:
		return m, nil
	case r.Extract:
		return m.extract(r)
	}
	return m.openFile(r)
}

// copySelection puts what is selected on the clipboard with OSC 52: the
// file tree's path (or the viewer's), the layer's digest, the history
// step's command, the inefficient file's path.
func (m Model) copySelection() (Model, tea.Cmd) {
	what, text := "", ""
	switch {
	case m.viewerOpen:
		what, text = "path", m.viewer.Path()
	case m.ex.packagesOpen && m.panes.Focus == paneFiles:
		what, text = m.packageToCopy()
	case m.panes.Focus == paneFiles:
		if n := m.files.Cursor(); n != tree.NoNode {
			what, text = "path", m.analysis.Tree().Path(n)
		}
	case m.panes.Focus == paneHistory:
		if s, ok := m.historyPane.Selected(); ok {
			what, text = "command", s.CreatedBy
		}
	case m.panes.Focus == paneImage:
		if r, ok := m.imageDetails.Selected(); ok {
			what, text = "path", r.Path
		}
	default: // the layers and the layer's details
		what, text = "digest", m.digest(m.selected)
	}
	if text == "" {
		m.status = "nothing to copy"
		return m, nil
	}
	m.status = fmt.Sprintf("copied the %s %s", what, common.Truncate(text, 60))
	return m, tea.SetClipboard(text)
}

// digest is layer k's digest: as computed when it is analyzed, else as
// declared.
func (m Model) digest(k int) string {
	if stacked := m.analysis.Layers(); k < len(stacked) {
		return stacked[k].Digest.String()
	}
	if k >= 0 && k < len(m.sources) && m.sources[k].Digest.Hex != "" {
		return m.sources[k].Digest.String()
	}
	return ""
}
