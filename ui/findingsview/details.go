package findingsview

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Target is where the jump key goes for a finding: the layer of the step
// that ended its files for waste (its last step), else of its first step
// (an empty step's is the layer below it), else of its first path; and
// its first path. ok is false when the finding is about no layer (the
// configuration's).
func Target(f findings.Finding, history []tree.HistoryEntry) (layer int, path string, ok bool) {
	layer = -1
	steps := f.Steps
	for i := range steps {
		s := steps[i]
		if f.ID.IsWaste() {
			s = steps[len(steps)-1-i]
		}
		if k := stepLayer(s, history); k >= 0 {
			layer = k
			break
		}
	}
	if len(f.Paths) > 0 {
		path = f.Paths[0].Path
		if layer < 0 {
			layer = f.Paths[0].Layer
		}
	}
	return layer, path, layer >= 0
}

// stepLayer is the layer a step made or, for an empty step, the layer
// below it; -1 for none.
func stepLayer(s findings.Step, history []tree.HistoryEntry) int {
	if s.Layer >= 0 {
		return s.Layer
	}
	if s.History >= 0 && s.History < len(history) {
		return history[s.History].Layer
	}
	return -1
}

// detailLines are a finding's details at width cells: what it is, its
// steps, its fix, its paths and where the jump key goes. Every string
// that may come from the image (titles and fixes quote commands) is made
// safe by Wrap or Truncate.
func (m Model) detailLines(f findings.Finding, width int) []string {
	st := m.styles
	var out []string
	indent := func(lines []string) []string {
		for i, l := range lines {
			lines[i] = "  " + l
		}
		return lines
	}
	head := fmt.Sprintf("%s · %s", f.Severity, f.ID)
	if f.Bytes > 0 {
		head += fmt.Sprintf(" · %s uncompressed (%s bytes)", humanize.Bytes(uint64(f.Bytes)), humanize.Comma(f.Bytes))
	}
	out = append(out, st.Label.Render(common.Truncate(head, width)))
	out = append(out, common.Wrap(f.Title, width)...)
	if len(f.Steps) > 0 {
		out = append(out, "", st.Label.Render("Steps"))
		for _, s := range f.Steps {
			where := "no layer"
			if s.Layer >= 0 {
				where = fmt.Sprintf("layer %d", s.Layer)
			}
			text := fmt.Sprintf("  %-9s ", where)
			out = append(out, text+common.Truncate(tree.ShortCommand(s.Command), max(1, width-len(text))))
		}
	}
	if f.Fix != "" {
		out = append(out, "", st.Label.Render("Fix"))
		out = append(out, indent(common.Wrap(f.Fix, max(1, width-2)))...)
	}
	if len(f.Paths) > 0 {
		out = append(out, "", st.Label.Render("Paths, largest first"))
		for _, p := range f.Paths {
			out = append(out, pathLine(p, width))
			if p.Kind != "" {
				out = append(out, "           "+common.Truncate(fmt.Sprintf("%s · fingerprint %s", p.Kind, p.Fingerprint), max(1, width-11)))
			}
		}
		if more := f.PathCount - len(f.Paths); more > 0 {
			out = append(out, fmt.Sprintf("  … and %d more", more))
		}
	}
	out = append(out, "")
	if k, p, ok := Target(f, m.history); ok {
		to := fmt.Sprintf("enter shows layer %d", k)
		if strings.HasPrefix(p, "/") {
			to += " and selects " + common.TruncateLeft(p, max(1, width-len(to)-13))
		}
		out = append(out, st.Muted.Render(to))
	} else {
		out = append(out, st.Muted.Render("about the image's configuration: no layer to show"))
	}
	return out
}

// pathLine is one path of a finding: its size, the layer that wrote it
// and the path, cut at the start so that its end shows.
func pathLine(p findings.Path, width int) string {
	layer := ""
	if p.Layer >= 0 {
		layer = fmt.Sprintf("L%d", p.Layer)
	}
	text := fmt.Sprintf("  %*s %-4s ", sizeWidth, bytes(p.Size), layer)
	return text + common.TruncateLeft(p.Path, max(1, width-len(text)))
}
