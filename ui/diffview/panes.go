package diffview

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// listPane is what the layers and history panes share: rows under a
// header, a cursor, a frame.
type listPane struct {
	styles  common.Styles
	keys    common.NavKeys
	list    common.List
	width   int // outer
	height  int // outer
	focused bool
}

// rowsHeight is the rows in view: the inner height less the header.
func (p listPane) rowsHeight() int { return max(0, p.height-3) }

func (p *listPane) update(msg tea.Msg, rows int) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if p.focused {
			p.list.Update(msg, p.keys, rows, p.rowsHeight())
		}
	case tea.MouseMsg:
		p.list.Mouse(msg, common.RowAt(msg, p.width, 2), rows, p.rowsHeight())
	}
}

// frame draws the rows, rendered by row, under header.
func (p listPane) frame(title, header, empty string, rows int, row func(i, width int) (string, lipgloss.Style)) string {
	if p.width < 2 || p.height < 2 {
		return common.Blank(p.width, p.height)
	}
	w, h := p.width-2, p.height-2
	rowsH := p.rowsHeight()
	textW, bar := w, []string(nil)
	if rows > rowsH {
		textW = w - 1
		bar = common.ScrollBar(p.list.Offset, rowsH, rows)
	}
	lines := []string{p.styles.Muted.Render(common.Pad(header, w))}
	if rows == 0 {
		lines = append(lines, p.styles.Muted.Render(empty))
	}
	for i := p.list.Offset; i < min(rows, p.list.Offset+rowsH); i++ {
		text, style := row(i, textW)
		text = common.Pad(text, textW)
		switch {
		case i == p.list.Cursor && p.focused:
			style = style.Inherit(p.styles.Selected)
		case i == p.list.Cursor:
			style = style.Inherit(p.styles.SelectedBlurred)
		}
		text = style.Render(text)
		if bar != nil {
			text += p.styles.Muted.Render(bar[i-p.list.Offset])
		}
		lines = append(lines, text)
	}
	return common.Frame(p.styles, title, p.focused, w, h, lines)
}

// layersPane lists both images' layers aligned by diffID.
type layersPane struct {
	listPane
	d *diff.Diff
}

// layerMarks mark a layer row: = shared, ~ moved, + new, - gone.
var layerMarks = [...]string{"=", "~", "+", "-"}

func (p layersPane) view() string {
	title := "Layers A | B"
	rows := 0
	if p.d != nil {
		rows = len(p.d.Layers)
		title = fmt.Sprintf("Layers A | B · %d shared, %d new, %d gone", p.d.Shared, p.d.New, p.d.Gone)
	}
	header := fmt.Sprintf("  %3s %3s %7s  %s", "A", "B", "Size", "Command")
	return p.frame(title, header, "waiting for both images…", rows, func(i, _ int) (string, lipgloss.Style) {
		r := p.d.Layers[i]
		l := p.d.LayerB(r)
		if l == nil {
			l = p.d.LayerA(r)
		}
		text := fmt.Sprintf("%s %3s %3s %7s  %s", layerMarks[r.Status], index(r.A), index(r.B),
			humanize.Bytes(uint64(max(0, l.Size))), common.Sanitize(tree.ShortCommand(l.CreatedBy)))
		return text, p.styles.Change[layerChange(r.Status)]
	})
}

func layerChange(s diff.LayerStatus) tree.ChangeType {
	return [...]tree.ChangeType{tree.Unmodified, tree.Modified, tree.Added, tree.Removed}[s]
}

func index(i int) string {
	if i < 0 {
		return "-"
	}
	return fmt.Sprint(i)
}

// historyPane lists both build histories aligned, the first divergence
// marked with ▶.
type historyPane struct {
	listPane
	d *diff.Diff
}

// stepMarks mark a history row: = same, * rebuilt, ~ moved, + new, - gone.
var stepMarks = [...]string{"=", "*", "~", "+", "-"}

func (p *historyPane) setDiff(d *diff.Diff) {
	p.d = d
	if d.Divergence >= 0 {
		p.list.Cursor = d.Divergence
	}
	p.list.Move(0, len(d.History), p.rowsHeight())
}

func (p historyPane) view() string {
	title := "History A | B"
	rows := 0
	if p.d != nil {
		rows = len(p.d.History)
		if r := p.d.Divergence; r >= 0 {
			title += fmt.Sprintf(" · diverges at row %d", r)
		} else {
			title += " · the same"
		}
	}
	header := fmt.Sprintf("   %3s %3s  %s", "A", "B", "Step")
	return p.frame(title, header, "waiting for both images…", rows, func(i, _ int) (string, lipgloss.Style) {
		r := p.d.History[i]
		h := p.d.A.History
		k := r.A
		if r.B >= 0 {
			h, k = p.d.B.History, r.B
		}
		mark := " "
		if i == p.d.Divergence {
			mark = "▶"
		}
		text := fmt.Sprintf("%s%s %3s %3s  %s", mark, stepMarks[r.Status], index(r.A), index(r.B),
			common.Sanitize(tree.ShortCommand(h[k].CreatedBy)))
		return text, p.styles.Change[stepChange(r.Status)]
	})
}

func stepChange(s diff.StepStatus) tree.ChangeType {
	return [...]tree.ChangeType{tree.Unmodified, tree.Modified, tree.Modified, tree.Added, tree.Removed}[s]
}

// Side says where one image came from, for the summary.
type Side struct {
	Reference, Source, Platform string
}

// summaryPane shows both images, the download, the files' counts and the
// metrics side by side.
type summaryPane struct {
	styles  common.Styles
	keys    common.NavKeys
	a, b    Side
	d       *diff.Diff
	offset  int
	width   int // outer
	height  int // outer
	focused bool
}

func (p summaryPane) lines() []string {
	st := p.styles
	side := func(name string, s Side) string {
		return st.Label.Render(name) + "  " + common.Sanitize(s.Reference) + st.Muted.Render(" · "+s.Source+" · "+s.Platform)
	}
	lines := []string{side("A", p.a), side("B", p.b), ""}
	d := p.d
	if d == nil {
		return append(lines, st.Muted.Render("analyzing…"))
	}
	dl := "nothing, A has every layer of B"
	if d.Download.Layers > 0 {
		dl = fmt.Sprintf("%d layers, %s (%s uncompressed)", d.Download.Layers,
			humanize.Bytes(uint64(d.Download.CompressedBytes)), humanize.Bytes(uint64(d.Download.UncompressedBytes)))
		if d.Download.Layers == 1 {
			dl = strings.Replace(dl, "1 layers", "1 layer", 1)
		}
	}
	t := d.Files
	root := t.Node(diff.Root)
	lines = append(lines,
		st.Label.Render("Download")+"  "+dl,
		st.Label.Render("Files   ")+"  "+fmt.Sprintf("%d added, %d removed, %d modified, %s",
			t.Counts[tree.Added], t.Counts[tree.Removed], t.Counts[tree.Modified], diff.FormatDelta(root.Delta())),
		"",
		st.Label.Render(fmt.Sprintf("%-12s %10s %10s %11s", "", "A", "B", "Change")))
	ma, mb := d.A.Metrics, d.B.Metrics
	size := func(name string, x, y uint64) string {
		return fmt.Sprintf("%-12s %10s %10s %11s", name, humanize.Bytes(x), humanize.Bytes(y), diff.FormatDelta(int64(y)-int64(x)))
	}
	ratio := func(name string, x, y float64) string {
		return fmt.Sprintf("%-12s %10s %10s %11s", name, fmt.Sprintf("%.2f %%", x*100), fmt.Sprintf("%.2f %%", y*100), fmt.Sprintf("%+.2f pts", (y-x)*100))
	}
	return append(lines,
		fmt.Sprintf("%-12s %10d %10d %11s", "Layers", len(d.A.Layers), len(d.B.Layers), fmt.Sprintf("%+d", len(d.B.Layers)-len(d.A.Layers))),
		size("Total size", ma.SizeBytes, mb.SizeBytes),
		size("User size", ma.UserSizeBytes, mb.UserSizeBytes),
		ratio("Efficiency", ma.Efficiency, mb.Efficiency),
		size("Wasted", ma.WastedBytes, mb.WastedBytes),
		ratio("User wasted", ma.UserWastedPercent, mb.UserWastedPercent),
		size("Reclaimable", ma.ReclaimableBytes, mb.ReclaimableBytes),
	)
}

func (p summaryPane) update(msg tea.Msg) summaryPane {
	n := len(p.lines())
	h := max(1, p.height-2)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if d, ok := p.keys.Delta(msg, h, n); ok && p.focused {
			p.offset += d
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.offset--
		case tea.MouseWheelDown:
			p.offset++
		}
	}
	p.offset = common.Clamp(p.offset, 0, n-h)
	return p
}

func (p summaryPane) view() string {
	if p.width < 2 || p.height < 2 {
		return common.Blank(p.width, p.height)
	}
	w, h := p.width-2, p.height-2
	lines := p.lines()
	off := common.Clamp(p.offset, 0, len(lines)-h)
	return common.Frame(p.styles, "Summary", p.focused, w, h, lines[off:])
}
