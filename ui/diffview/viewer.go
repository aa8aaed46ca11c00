package diffview

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aymanbagabas/go-udiff"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/layerfile"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/viewer"
)

// FileDiffMsg carries both versions of a file, read for the viewer.
type FileDiffMsg struct {
	Path       string
	A, B       layerfile.Content
	ErrA, ErrB error
}

func isFile(v *diff.Version) bool { return v.Present && v.Type == tar.TypeReg }

// loadFileDiff reads, in the background, at most limit bytes of each
// version of a path that is a regular file, from the layer of its image
// that wrote it.
func loadFileDiff(ctx context.Context, nd *diff.Node, p string, la, lb []image.Layer, limit int64) tea.Cmd {
	a, b := nd.A, nd.B
	return func() tea.Msg {
		msg := FileDiffMsg{Path: p}
		if isFile(&a) && int(a.Layer) < len(la) {
			msg.A, msg.ErrA = layerfile.Read(ctx, la[a.Layer], p, limit)
		}
		if isFile(&b) && int(b.Layer) < len(lb) {
			msg.B, msg.ErrB = layerfile.Read(ctx, lb[b.Layer], p, limit)
		}
		return msg
	}
}

// viewerPane shows how one path differs: both versions' attributes, and
// for text files a unified diff of their contents.
type viewerPane struct {
	styles  common.Styles
	keys    viewer.KeyMap
	width   int // outer
	height  int // outer
	path    string
	loading bool
	lines   []string
	widest  int
	offset  int
	xoff    int
}

func newViewerPane(st common.Styles) viewerPane {
	return viewerPane{styles: st, keys: viewer.DefaultKeyMap()}
}

func (m *viewerPane) setSize(w, h int) {
	m.width, m.height = w, h
	m.clamp()
}

func (m *viewerPane) setLoading(p string) {
	*m = viewerPane{styles: m.styles, keys: m.keys, width: m.width, height: m.height, path: p, loading: true}
}

// setContent shows the versions of nd that msg read.
func (m *viewerPane) setContent(nd *diff.Node, msg FileDiffMsg) {
	m.loading, m.offset, m.xoff = false, 0, 0
	m.lines = nil
	st := m.styles
	add := func(s string) { m.lines = append(m.lines, s) }
	side := func(name string, v *diff.Version, c layerfile.Content) string {
		if !v.Present {
			return name + "  (not in " + name + ")"
		}
		s := fmt.Sprintf("%s  %s %d:%d", name, tree.FormatMode(v.Mode), v.UID, v.GID)
		switch {
		case isFile(v):
			s += "  " + humanize.Bytes(uint64(max(0, v.Size)))
		case v.Type == tar.TypeSymlink:
			s += "  symlink → " + common.Sanitize(v.Link)
		case v.Type == tar.TypeLink:
			s += "  hard link to /" + common.Sanitize(v.Link)
		default:
			s += "  " + tarparse.TypeName(v.Type)
		}
		s += fmt.Sprintf("  · layer %d", v.Layer)
		if c.Truncated {
			s += fmt.Sprintf("  · the first %s shown", humanize.Bytes(uint64(len(c.Data))))
		}
		return s
	}
	add(st.Change[tree.Removed].Render(side("A", &nd.A, msg.A)))
	add(st.Change[tree.Added].Render(side("B", &nd.B, msg.B)))
	switch nd.Change {
	case tree.Modified:
		add(st.Label.Render("differs: " + joinWords(diff.Describe(nd))))
	case tree.Unmodified:
		add(st.Muted.Render("the same in A and B"))
	default:
		add(st.Label.Render(nd.Change.String() + " in B"))
	}
	add("")
	for _, err := range []error{msg.ErrA, msg.ErrB} {
		if err != nil {
			add(st.Error.Render("reading: " + common.Sanitize(err.Error())))
		}
	}
	fa, fb := isFile(&nd.A) && msg.ErrA == nil, isFile(&nd.B) && msg.ErrB == nil
	if !fa && !fb {
		m.finish()
		return
	}
	if fa && viewer.IsBinary(msg.A.Data, msg.A.Truncated) || fb && viewer.IsBinary(msg.B.Data, msg.B.Truncated) {
		switch {
		case fa && fb && nd.What&diff.Content == 0:
			add(st.Muted.Render("binary file, the same contents"))
		case fa && fb:
			add(st.Muted.Render("binary file, the contents differ"))
		default:
			add(st.Muted.Render("binary file"))
		}
		m.finish()
		return
	}
	var a, b []byte
	if fa {
		a = msg.A.Data
	}
	if fb {
		b = msg.B.Data
	}
	m.diffLines(a, b)
	m.finish()
}

func joinWords(w []string) string {
	var b bytes.Buffer
	for i, s := range w {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	return b.String()
}

// diffLines adds the unified diff of two texts, or the text itself when
// they are the same.
func (m *viewerPane) diffLines(a, b []byte) {
	st := m.styles
	esc := st.Muted
	render := func(prefix string, s string) string {
		ls, _ := viewer.TextLines([]byte(s), esc)
		line := ""
		if len(ls) > 0 {
			line = ls[0]
		}
		return prefix + line
	}
	if bytes.Equal(a, b) {
		if len(a) == 0 {
			m.lines = append(m.lines, st.Muted.Render("(empty file)"))
			return
		}
		ls, _ := viewer.TextLines(a, esc)
		for _, l := range ls {
			m.lines = append(m.lines, "  "+l)
		}
		return
	}
	edits := udiff.Lines(string(a), string(b))
	u, err := udiff.ToUnifiedDiff("A", "B", string(a), edits, udiff.DefaultContextLines)
	if err != nil {
		m.lines = append(m.lines, st.Error.Render("diff: "+err.Error()))
		return
	}
	for _, h := range u.Hunks {
		del, ins := 0, 0
		for _, l := range h.Lines {
			switch l.Kind {
			case udiff.Delete:
				del++
			case udiff.Insert:
				ins++
			default:
				del++
				ins++
			}
		}
		m.lines = append(m.lines, st.Label.Render(fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.FromLine, del), hunkRange(h.ToLine, ins))))
		for _, l := range h.Lines {
			text := trimNewline(l.Content)
			switch l.Kind {
			case udiff.Delete:
				m.lines = append(m.lines, st.Change[tree.Removed].Render(render("- ", text)))
			case udiff.Insert:
				m.lines = append(m.lines, st.Change[tree.Added].Render(render("+ ", text)))
			default:
				m.lines = append(m.lines, render("  ", text))
			}
		}
	}
}

func trimNewline(s string) string {
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s = s[:n-1]
	}
	if n := len(s); n > 0 && s[n-1] == '\r' {
		s = s[:n-1]
	}
	return s
}

// hunkRange is a unified diff's line range as GNU diff -u writes it:
// "3,5", "3" for one line, "0,0" for none at the start.
func hunkRange(start, n int) string {
	switch {
	case n > 1:
		return fmt.Sprintf("%d,%d", start, n)
	case n == 0 && start == 1:
		return "0,0"
	}
	return fmt.Sprint(start)
}

func (m *viewerPane) finish() {
	m.widest = 0
	for _, l := range m.lines {
		m.widest = max(m.widest, ansi.StringWidth(l))
	}
	m.clamp()
}

// update scrolls; the root closes the pane on the viewer's Close key.
func (m viewerPane) update(msg tea.Msg) viewerPane {
	nav := common.NavKeys{Up: m.keys.Up, Down: m.keys.Down, PageUp: m.keys.PageUp, PageDown: m.keys.PageDown, Top: m.keys.Top, Bottom: m.keys.Bottom}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		d, ok := nav.Delta(msg, m.bodyHeight(), len(m.lines))
		switch {
		case ok:
			m.offset += d
		case key.Matches(msg, m.keys.Left):
			m.xoff -= 8
		case key.Matches(msg, m.keys.Right):
			m.xoff += 8
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.offset -= 3
		case tea.MouseWheelDown:
			m.offset += 3
		}
	}
	m.clamp()
	return m
}

func (m viewerPane) bodyHeight() int { return max(0, m.height-2) }

func (m viewerPane) textWidth() int {
	w := m.width - 2
	if len(m.lines) > m.bodyHeight() {
		w-- // the scroll bar
	}
	return max(0, w)
}

func (m *viewerPane) clamp() {
	m.offset = min(max(0, m.offset), max(0, len(m.lines)-m.bodyHeight()))
	m.xoff = min(max(0, m.xoff), max(0, m.widest-m.textWidth()))
}

func (m viewerPane) view() string {
	if m.width < 3 || m.height < 3 {
		return common.Blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	title := common.Sanitize(m.path) + " · A → B"
	if m.loading {
		return common.Frame(m.styles, title, true, w, h, []string{m.styles.Muted.Render("loading " + common.Sanitize(m.path) + "…")})
	}
	var bar []string
	if len(m.lines) > h {
		bar = common.ScrollBar(m.offset, h, len(m.lines))
	}
	tw := m.textWidth()
	var lines []string
	for i := m.offset; i < min(len(m.lines), m.offset+h); i++ {
		row := common.Pad(ansi.Cut(m.lines[i], m.xoff, m.xoff+tw), tw)
		if bar != nil {
			row += m.styles.Muted.Render(bar[i-m.offset])
		}
		lines = append(lines, row)
	}
	return common.Frame(m.styles, title, true, w, h, lines)
}
