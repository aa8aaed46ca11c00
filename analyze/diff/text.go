package diff

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/textsafe"
)

// WriteText writes the diff as plain text: the images, the layers
// aligned with what B costs to download, where the histories diverge, the
// metrics side by side, and the changed paths, largest change first. An
// added or removed directory is one line, with the number of paths below
// it.
func (d *Diff) WriteText(w io.Writer, a, b report.Meta) error {
	var s strings.Builder
	fmt.Fprintf(&s, "A: %s (%s, %s)\n", Printable(a.Reference), a.Source, Printable(a.Platform))
	fmt.Fprintf(&s, "B: %s (%s, %s)\n", Printable(b.Reference), b.Source, Printable(b.Platform))
	if d.Identical() {
		fmt.Fprintf(&s, "\nNo differences: the same %s, history and files.\n", plural(len(d.B.Layers), "layer", "layers"))
	}
	d.writeLayers(&s)
	d.writeHistory(&s)
	d.writeMetrics(&s)
	d.writeFiles(&s)
	d.writePackages(&s)
	d.writeFindings(&s)
	_, err := io.WriteString(w, s.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// statusMark marks a layer row: = shared, ~ moved, + new, - gone.
func statusMark(s LayerStatus) string { return [...]string{"=", "~", "+", "-"}[s] }

func (d *Diff) writeLayers(s *strings.Builder) {
	moved := 0
	for _, r := range d.Layers {
		if r.Status == Moved && r.B >= 0 {
			moved++
		}
	}
	fmt.Fprintf(s, "\nLayers: %d shared", d.Shared)
	if moved > 0 {
		fmt.Fprintf(s, " (%d moved)", moved)
	}
	fmt.Fprintf(s, ", %d new in B, %d gone from A\n", d.New, d.Gone)
	fmt.Fprintf(s, "%s %4s %4s %9s  %s\n", " ", "A", "B", "Size", "Command")
	for _, r := range d.Layers {
		l := d.LayerB(r)
		if l == nil {
			l = d.LayerA(r)
		}
		fmt.Fprintf(s, "%s %4s %4s %9s  %s\n", statusMark(r.Status), index(r.A), index(r.B),
			humanize.Bytes(uint64(max(0, l.Size))), oneLine(findings.RedactCommand(tree.ShortCommand(l.CreatedBy)), 72))
	}
	dl := d.Download
	if dl.Layers == 0 {
		fmt.Fprintf(s, "To get B from A: nothing to download, A has every layer of B\n")
		return
	}
	fmt.Fprintf(s, "To get B from A: download %s, %s compressed, %s uncompressed\n",
		plural(dl.Layers, "layer", "layers"), formatBytes(dl.CompressedBytes), formatBytes(dl.UncompressedBytes))
}

func index(i int) string {
	if i < 0 {
		return "-"
	}
	return fmt.Sprint(i)
}

// oneLine squeezes a command onto one line of at most n runes.
func oneLine(s string, n int) string {
	return textsafe.Truncate(Printable(strings.Join(strings.Fields(s), " ")), n)
}

func (d *Diff) writeHistory(s *strings.Builder) {
	na, nb := len(d.A.History), len(d.B.History)
	if d.Divergence < 0 {
		fmt.Fprintf(s, "\nHistory: the same, %s\n", plural(na, "step", "steps"))
		return
	}
	fmt.Fprintf(s, "\nHistory: %s in A, %d in B; ", plural(na, "step", "steps"), nb)
	switch d.Divergence {
	case 0:
		s.WriteString("they differ from the first step:\n")
	case 1:
		s.WriteString("the first step is the same, then:\n")
	default:
		fmt.Fprintf(s, "the first %d steps are the same, then:\n", d.Divergence)
	}
	r := d.History[d.Divergence]
	step := func(side string, h []tree.HistoryEntry, i int, note string) {
		fmt.Fprintf(s, "  %s step %d%s: %s\n", side, i, note, oneLine(findings.RedactCommand(tree.ShortCommand(h[i].CreatedBy)), 64))
	}
	switch r.Status {
	case StepRebuilt:
		step("A", d.A.History, r.A, "")
		step("B", d.B.History, r.B, "")
		s.WriteString("  (the same instruction made a different layer)\n")
	case StepMoved:
		if r.A >= 0 {
			step("A", d.A.History, r.A, " (moved in B)")
		} else {
			step("B", d.B.History, r.B, " (moved from A)")
		}
	case StepGone:
		step("A", d.A.History, r.A, " (only in A)")
	case StepNew:
		step("B", d.B.History, r.B, " (only in B)")
	}
}

func (d *Diff) writeMetrics(s *strings.Builder) {
	a, b := d.A.Metrics, d.B.Metrics
	fmt.Fprintf(s, "\n%-18s %12s %12s %12s\n", "Metric", "A", "B", "Change")
	size := func(name string, x, y uint64) {
		fmt.Fprintf(s, "%-18s %12s %12s %12s\n", name, humanize.Bytes(x), humanize.Bytes(y), FormatDelta(int64(y)-int64(x)))
	}
	ratio := func(name string, x, y float64) {
		change := fmt.Sprintf("%+.4f pts", (y-x)*100)
		if x == y {
			change = "0 pts"
		}
		fmt.Fprintf(s, "%-18s %12s %12s %12s\n", name, fmt.Sprintf("%.4f %%", x*100), fmt.Sprintf("%.4f %%", y*100), change)
	}
	layers := fmt.Sprintf("%+d", len(d.B.Layers)-len(d.A.Layers))
	if len(d.A.Layers) == len(d.B.Layers) {
		layers = "0"
	}
	fmt.Fprintf(s, "%-18s %12d %12d %12s\n", "Layers", len(d.A.Layers), len(d.B.Layers), layers)
	size("Total size", a.SizeBytes, b.SizeBytes)
	size("User size", a.UserSizeBytes, b.UserSizeBytes)
	ratio("Efficiency", a.Efficiency, b.Efficiency)
	size("Wasted bytes", a.WastedBytes, b.WastedBytes)
	ratio("User wasted", a.UserWastedPercent, b.UserWastedPercent)
	size("Reclaimable bytes", a.ReclaimableBytes, b.ReclaimableBytes)
}

// Changed lists the paths whose own change is not Unmodified, largest
// size change first (then the larger size, then by path). With collapse,
// the paths below an added or removed directory are left out: the
// directory stands for them.
func (d *Diff) Changed(collapse bool) []NodeID {
	t := d.Files
	var out []NodeID
	t.Walk(func(n NodeID) bool {
		nd := t.Node(n)
		if nd.Change == tree.Unmodified {
			return true
		}
		out = append(out, n)
		return !collapse || nd.Change == tree.Modified
	})
	abs := func(x int64) int64 { return max(x, -x) }
	slices.SortStableFunc(out, func(x, y NodeID) int {
		nx, ny := t.Node(x), t.Node(y)
		if c := cmp.Compare(abs(ny.Delta()), abs(nx.Delta())); c != 0 {
			return c
		}
		return cmp.Compare(max(ny.SizeA, ny.SizeB), max(nx.SizeA, nx.SizeB))
	})
	return out
}

func (d *Diff) writeFiles(s *strings.Builder) {
	t := d.Files
	if !t.Changed() {
		s.WriteString("\nFiles: no differences\n")
		return
	}
	root := t.Node(Root)
	fmt.Fprintf(s, "\nFiles: %d added, %d removed, %d modified; %s in A, %s in B (%s)\n",
		t.Counts[tree.Added], t.Counts[tree.Removed], t.Counts[tree.Modified],
		humanize.Bytes(uint64(root.SizeA)), humanize.Bytes(uint64(root.SizeB)), FormatDelta(root.Delta()))
	s.WriteString("Change       Size A    Size B    Δ Size  Path\n")
	for _, n := range d.Changed(true) {
		nd := t.Node(n)
		sa, sb := humanize.Bytes(uint64(nd.SizeA)), humanize.Bytes(uint64(nd.SizeB))
		if !nd.A.Present {
			sa = "-"
		}
		if !nd.B.Present {
			sb = "-"
		}
		path := Printable(t.Path(n))
		switch {
		case nd.Change == tree.Modified:
			path += ": " + strings.Join(Describe(nd), ", ")
		case nd.IsDir():
			below := 0
			for _, k := range nd.Below {
				below += int(k)
			}
			path += "/"
			if below > 0 {
				path += " (" + plural(below, "path", "paths") + " below)"
			}
		}
		fmt.Fprintf(s, "%-9s %9s %9s %9s  %s\n", nd.Change, sa, sb, FormatDelta(nd.Delta()), path)
	}
}
