package diffview

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/aymanbagabas/go-udiff"
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

// openFile opens the viewer on a path's two versions, read in the
// background.
func (m Model) openFile(n diff.NodeID) (Model, tea.Cmd) {
	if m.d == nil || n == diff.NoNode {
		return m, nil
	}
	p := m.d.Files.Path(n)
	m.viewerOpen, m.openNode = true, n
	m.viewer.SetLines(common.TruncateLeft(p, 60)+" · A → B", nil, []string{"loading…"}, nil)
	return m, common.Guard(loadFileDiff(m.ctx, m.d.Files.Node(n), p, m.sides[0].sources, m.sides[1].sources, m.opts.FileLimit))
}

// loadFileDiff reads at most limit bytes of each version of a path that is
// a regular file, from the layer of its image that wrote it.
func loadFileDiff(ctx context.Context, nd *diff.Node, p string, la, lb []image.Layer, limit int64) func() tea.Msg {
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

// lineKind is how a line of the file diff is styled.
type lineKind uint8

const (
	plain lineKind = iota
	inA            // the A side: removed
	inB            // the B side: added
	label
	muted
	failed
)

// fileDiff is the viewer's text for a path: both versions' attributes,
// what differs, and for text files a unified diff of the contents.
type fileDiff struct {
	lines []string
	kinds []lineKind
}

func (f *fileDiff) add(k lineKind, s string) {
	f.lines = append(f.lines, s)
	f.kinds = append(f.kinds, k)
}

// showFileDiff shows the versions of nd that msg read.
func (m *Model) showFileDiff(nd *diff.Node, msg FileDiffMsg) {
	var f fileDiff
	side := func(name string, v *diff.Version, c layerfile.Content) string {
		if !v.Present {
			return name + "  (not in " + name + ")"
		}
		s := fmt.Sprintf("%s  %s %d:%d", name, tree.FormatMode(v.Mode), v.UID, v.GID)
		switch {
		case isFile(v):
			s += "  " + humanize.Bytes(uint64(max(0, v.Size)))
		case v.Type == tar.TypeSymlink:
			s += "  symlink → " + common.Truncate(v.Link, maxSuffix)
		case v.Type == tar.TypeLink:
			s += "  hard link to /" + common.Truncate(v.Link, maxSuffix)
		default:
			s += "  " + tarparse.TypeName(v.Type)
		}
		s += fmt.Sprintf("  · layer %d", v.Layer)
		if c.Truncated {
			s += fmt.Sprintf("  · the first %s shown", humanize.Bytes(uint64(len(c.Data))))
		}
		return s
	}
	f.add(inA, side("A", &nd.A, msg.A))
	f.add(inB, side("B", &nd.B, msg.B))
	switch nd.Change {
	case tree.Modified:
		f.add(label, "differs: "+common.TruncateMessage(strings.Join(diff.Describe(nd), ", "), 2*maxSuffix))
	case tree.Unmodified:
		f.add(muted, "the same in A and B")
	default:
		f.add(label, nd.Change.String()+" in B")
	}
	f.add(plain, "")
	for _, err := range []error{msg.ErrA, msg.ErrB} {
		if err != nil {
			f.add(failed, "reading: "+common.TruncateMessage(err.Error(), 2*maxSuffix))
		}
	}
	fa, fb := isFile(&nd.A) && msg.ErrA == nil, isFile(&nd.B) && msg.ErrB == nil
	switch {
	case !fa && !fb:
	case fa && viewer.IsBinary(msg.A.Data, msg.A.Truncated) || fb && viewer.IsBinary(msg.B.Data, msg.B.Truncated):
		switch {
		case fa && fb && nd.What&diff.Content == 0:
			f.add(muted, "binary file, the same contents")
		case fa && fb:
			f.add(muted, "binary file, the contents differ")
		default:
			f.add(muted, "binary file")
		}
	default:
		var a, b []byte
		if fa {
			a = msg.A.Data
		}
		if fb {
			b = msg.B.Data
		}
		f.diffLines(a, b)
	}
	st := m.st
	styles := map[lineKind]lipgloss.Style{
		plain: lipgloss.NewStyle(), inA: st.Change[tree.Removed], inB: st.Change[tree.Added],
		label: st.Label, muted: st.Muted, failed: st.Error,
	}
	kinds := f.kinds
	m.viewer.SetLines(common.TruncateLeft(msg.Path, 60)+" · A → B", nil, f.lines, func(i int) lipgloss.Style { return styles[kinds[i]] })
}

// diffLines adds the unified diff of two texts, or the text itself when
// they are the same.
func (f *fileDiff) diffLines(a, b []byte) {
	if bytes.Equal(a, b) {
		if len(a) == 0 {
			f.add(muted, "(empty file)")
			return
		}
		for _, l := range viewer.TextLines(a) {
			f.add(plain, "  "+l)
		}
		return
	}
	edits := udiff.Lines(string(a), string(b))
	u, err := udiff.ToUnifiedDiff("A", "B", string(a), edits, udiff.DefaultContextLines)
	if err != nil {
		f.add(failed, "diff: "+err.Error())
		return
	}
	one := func(s string) string {
		if ls := viewer.TextLines([]byte(s)); len(ls) > 0 {
			return ls[0]
		}
		return ""
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
		f.add(label, fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.FromLine, del), hunkRange(h.ToLine, ins)))
		for _, l := range h.Lines {
			text := strings.TrimSuffix(strings.TrimSuffix(l.Content, "\n"), "\r")
			switch l.Kind {
			case udiff.Delete:
				f.add(inA, "- "+one(text))
			case udiff.Insert:
				f.add(inB, "+ "+one(text))
			default:
				f.add(plain, "  "+one(text))
			}
		}
	}
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
