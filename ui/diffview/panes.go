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
	"github.com/strata-dev/strata/ui/keymap"
)

// layersPane lists both images' layers aligned by diffID, with the
// layers pane's keys.
type layersPane struct {
	list common.ListPane
	d    *diff.Diff
}

func newLayersPane(st common.Styles, k keymap.Keys) layersPane {
	return layersPane{list: common.ListPane{Styles: st, Keys: k.Layers.Nav(), Header: true}}
}

func (p *layersPane) setDiff(d *diff.Diff) {
	p.d = d
	p.list.List.Move(0, p.rows(), p.list.RowsHeight())
}

func (p layersPane) rows() int {
	if p.d == nil {
		return 0
	}
	return len(p.d.Layers)
}

// height is how tall the pane would like to be.
func (p layersPane) height() int { return max(1, p.rows()) + 3 }

// layerMarks mark a layer row: = shared, ~ moved, + new, - gone.
func layerMarks() [4]string { return [...]string{"=", "~", "+", "-"} }

// selected is the layer under the cursor, nil for none.
func (p layersPane) selected() *tree.Layer {
	if p.rows() == 0 {
		return nil
	}
	r := p.d.Layers[p.list.List.Cursor]
	if l := p.d.LayerB(r); l != nil {
		return l
	}
	return p.d.LayerA(r)
}

func (p layersPane) view(number int) string {
	title := "Layers A | B"
	if p.d != nil {
		title = fmt.Sprintf("Layers A | B · %d shared, %d new, %d gone", p.d.Shared, p.d.New, p.d.Gone)
	}
	header := fmt.Sprintf("  %3s %3s %7s  %s", "A", "B", "Size", "Command")
	return p.list.View(common.Title(number, title), header, "waiting for both images…", p.rows(), func(i, width int) (string, lipgloss.Style) {
		r := p.d.Layers[i]
		l := p.d.LayerB(r)
		if l == nil {
			l = p.d.LayerA(r)
		}
		text := fmt.Sprintf("%s %3s %3s %7s  ", layerMarks()[r.Status], index(r.A), index(r.B), humanize.Bytes(uint64(max(0, l.Size))))
		return text + common.Truncate(tree.ShortCommand(l.CreatedBy), max(1, width-len(text))), p.list.Styles.Change[layerChange(r.Status)]
	}, nil)
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
// marked with ▶, with the history pane's keys.
type historyPane struct {
	list common.ListPane
	d    *diff.Diff
}

func newHistoryPane(st common.Styles, k keymap.Keys) historyPane {
	return historyPane{list: common.ListPane{Styles: st, Keys: k.History.Nav(), Header: true}}
}

// stepMarks mark a history row: = same, * rebuilt, ~ moved, + new, - gone.
func stepMarks() [5]string { return [...]string{"=", "*", "~", "+", "-"} }

func (p *historyPane) setDiff(d *diff.Diff) {
	p.d = d
	if d.Divergence >= 0 {
		p.list.List.Cursor = d.Divergence
	}
	p.list.List.Move(0, p.rows(), p.list.RowsHeight())
}

func (p historyPane) rows() int {
	if p.d == nil {
		return 0
	}
	return len(p.d.History)
}

func (p historyPane) height() int { return max(1, p.rows()) + 3 }

// step is the history step of row i: B's, or A's where B has none.
func (p historyPane) step(i int) tree.HistoryEntry {
	r := p.d.History[i]
	if r.B >= 0 {
		return p.d.B.History[r.B]
	}
	return p.d.A.History[r.A]
}

func (p historyPane) view(number int) string {
	title := "History A | B"
	if p.d != nil {
		if r := p.d.Divergence; r >= 0 {
			title += fmt.Sprintf(" · diverges at row %d", r)
		} else {
			title += " · the same"
		}
	}
	header := fmt.Sprintf("   %3s %3s  %s", "A", "B", "Step")
	return p.list.View(common.Title(number, title), header, "waiting for both images…", p.rows(), func(i, width int) (string, lipgloss.Style) {
		r := p.d.History[i]
		mark := " "
		if i == p.d.Divergence {
			mark = "▶"
		}
		text := fmt.Sprintf("%s%s %3s %3s  ", mark, stepMarks()[r.Status], index(r.A), index(r.B))
		cmd := common.Truncate(tree.ShortCommand(p.step(i).CreatedBy), max(1, width-len([]rune(text))))
		return text + cmd, p.list.Styles.Change[stepChange(r.Status)]
	}, nil)
}

func stepChange(s diff.StepStatus) tree.ChangeType {
	return [...]tree.ChangeType{tree.Unmodified, tree.Modified, tree.Modified, tree.Added, tree.Removed}[s]
}

// summaryPane shows both images, the download, the files' counts and the
// metrics side by side, scrolled with the details pane's keys.
type summaryPane struct {
	styles  common.Styles
	scroll  common.Scroller
	a, b    Side
	d       *diff.Diff
	width   int // outer
	focused bool
}

func newSummaryPane(st common.Styles, k keymap.Keys, a, b Side) summaryPane {
	p := summaryPane{styles: st, scroll: common.NewScroller(st), a: a, b: b}
	p.scroll.SetKeys(k.Details.Nav(), common.Bind(""), common.Bind(""))
	p.scroll.SetLines(p.lines())
	return p
}

func (p *summaryPane) setDiff(d *diff.Diff) {
	p.d = d
	p.scroll.SetLines(p.lines())
}

func (p *summaryPane) setSize(w, h int) {
	p.width = w
	p.scroll.SetSize(w-2, h-2)
	p.scroll.SetLines(p.lines())
}

func (p summaryPane) height() int { return len(p.lines()) + 2 }

func (p *summaryPane) update(msg tea.Msg) {
	if _, key := msg.(tea.KeyPressMsg); key && !p.focused {
		return
	}
	p.scroll.Update(msg)
}

func (p summaryPane) lines() []string {
	st := p.styles
	w := max(20, p.width-3) // the scroll bar may take a column
	var lines []string
	// kv is a label and a value wrapped under itself.
	kv := func(label, value string) {
		for i, l := range common.Wrap(value, max(8, w-10)) {
			if i == 0 {
				lines = append(lines, st.Label.Render(fmt.Sprintf("%-8s", label))+"  "+l)
			} else {
				lines = append(lines, strings.Repeat(" ", 10)+l)
			}
		}
	}
	for _, side := range []struct {
		name string
		s    Side
	}{{"A", p.a}, {"B", p.b}} {
		lines = append(lines, st.Label.Render(side.name)+"  "+common.TruncateLeft(side.s.Reference, w-3),
			"   "+st.Muted.Render(common.Truncate(side.s.Source+" · "+side.s.Platform, w-3)))
	}
	lines = append(lines, "")
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
	kv("Download", dl)
	kv("Files", fmt.Sprintf("%d added, %d removed, %d modified, %s",
		t.Counts[tree.Added], t.Counts[tree.Removed], t.Counts[tree.Modified], diff.FormatDelta(root.Delta())))
	if pk := d.Packages; pk != nil {
		kv("Packages", packageCounts(pk))
	}
	lines = append(lines, "")
	ma, mb := d.A.Metrics, d.B.Metrics
	rows := [][4]string{
		{"Layers", fmt.Sprint(len(d.A.Layers)), fmt.Sprint(len(d.B.Layers)), fmt.Sprintf("%+d", len(d.B.Layers)-len(d.A.Layers))},
	}
	size := func(name string, x, y uint64) {
		rows = append(rows, [4]string{name, humanize.Bytes(x), humanize.Bytes(y), diff.FormatDelta(int64(y) - int64(x))})
	}
	ratio := func(name string, x, y float64) {
		rows = append(rows, [4]string{name, fmt.Sprintf("%.2f %%", x*100), fmt.Sprintf("%.2f %%", y*100), fmt.Sprintf("%+.2f pts", (y-x)*100)})
	}
	size("Total size", ma.SizeBytes, mb.SizeBytes)
	size("User size", ma.UserSizeBytes, mb.UserSizeBytes)
	ratio("Efficiency", ma.Efficiency, mb.Efficiency)
	size("Wasted", ma.WastedBytes, mb.WastedBytes)
	ratio("User wasted", ma.UserWastedPercent, mb.UserWastedPercent)
	size("Reclaimable", ma.ReclaimableBytes, mb.ReclaimableBytes)
	if w >= 46 {
		// A table: the figures of A and B side by side.
		lines = append(lines, st.Label.Render(fmt.Sprintf("%-12s %10s %10s %11s", "", "A", "B", "Change")))
		for _, r := range rows {
			lines = append(lines, fmt.Sprintf("%-12s %10s %10s %11s", r[0], r[1], r[2], r[3]))
		}
		return lines
	}
	// Too narrow for the table: each figure on a line of its own.
	for _, r := range rows {
		lines = append(lines, st.Label.Render(r[0]), fmt.Sprintf("  %s → %s  %s", r[1], r[2], r[3]))
	}
	return lines
}

func (p summaryPane) view(number, w, h int) string {
	if w < 2 || h < 2 {
		return common.Blank(w, h)
	}
	return common.Frame(p.styles, common.Title(number, "Summary"), p.focused, w-2, h-2, p.scroll.View())
}

// packageCounts counts the packages that differ by kind, then the size
// change: "1 added, 2 upgraded, +3.1 MB" ("the same" when none differ).
func packageCounts(p *diff.Packages) string {
	var parts []string
	for _, c := range []struct {
		n    int
		kind string
	}{{p.Added, "added"}, {p.Removed, "removed"}, {p.Upgraded, "upgraded"}, {p.Downgraded, "downgraded"}, {p.Changed, "changed"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.kind))
		}
	}
	if len(parts) == 0 {
		parts = []string{"the same"}
	}
	return strings.Join(append(parts, diff.FormatDelta(p.SizeB-p.SizeA)), ", ")
}
