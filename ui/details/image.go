package details

import (
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/ui/common"
)

// Image is what the Image details pane shows.
type Image struct {
	Reference string
	Source    string // where the image was read from: docker-archive, oci, …
	Platform  string
	// Metrics are shown once Analyzed reaches Layers; until then the
	// figures show as "…".
	Metrics  metrics.Metrics
	Layers   int // layers in the image
	Analyzed int // layers analyzed so far
}

func (d Image) complete() bool { return d.Analyzed >= d.Layers }

// The table's columns: Count and Total Space right-aligned, then the path.
const (
	countWidth = 5
	spaceWidth = 11
)

// ImageModel is the Image details pane: the figures stay at the top and
// the table of inefficient files scrolls below them. Make one with
// NewImage.
type ImageModel struct {
	styles  common.Styles
	keys    KeyMap
	image   Image
	set     bool
	list    common.List // over the table's rows
	width   int         // outer
	height  int         // outer
	focused bool
}

// NewImage makes a pane with no image to show yet.
func NewImage(styles common.Styles) ImageModel {
	return ImageModel{styles: styles, keys: DefaultKeyMap()}
}

// SetSize sets the pane's outer size, border included.
func (m *ImageModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.scroll()
}

// SetKeyMap replaces the bindings.
func (m *ImageModel) SetKeyMap(k KeyMap) { m.keys = k }

// KeyMap returns the bindings, for the help bar.
func (m ImageModel) KeyMap() KeyMap { return m.keys }

// Focus makes the pane take keys, draw its focused frame and highlight
// the table's cursor row.
func (m *ImageModel) Focus() { m.focused = true }

// Blur makes the pane ignore keys.
func (m *ImageModel) Blur() { m.focused = false }

// Focused says whether the pane takes keys.
func (m ImageModel) Focused() bool { return m.focused }

// SetImage shows the image; the table's cursor stays where it was.
func (m *ImageModel) SetImage(d Image) {
	m.image, m.set = d, true
	m.list.Move(0, len(m.rows()), m.tableHeight())
}

// Selected is the inefficient file under the cursor.
func (m ImageModel) Selected() (metrics.Inefficiency, bool) {
	rows := m.rows()
	if len(rows) == 0 {
		return metrics.Inefficiency{}, false
	}
	return rows[m.list.Cursor], true
}

// Update moves the table's cursor on keys (when focused), clicks and the
// wheel.
func (m ImageModel) Update(msg tea.Msg) (ImageModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.focused {
			m.list.Update(msg, common.NavKeys(m.keys), len(m.rows()), m.tableHeight())
		}
	case tea.MouseMsg:
		// The border, the figures and the column header come first.
		top := 1 + m.headShown() + 1
		m.list.Mouse(msg, common.RowAt(msg, m.width, top), len(m.rows()), m.tableHeight())
	}
	return m, nil
}

// rows are the table's rows: none until the analysis is complete.
func (m ImageModel) rows() []metrics.Inefficiency {
	if !m.set || !m.image.complete() {
		return nil
	}
	return m.image.Metrics.Inefficient
}

func (m *ImageModel) scroll() {
	m.list.Scroll(len(m.rows()), m.tableHeight())
}

// headLines is the number of lines of figures above the table.
const headLines = 9

// headShown is how many lines of figures fit: all of them but on a pane
// too short to leave room for the column header and a row.
func (m ImageModel) headShown() int {
	return common.Clamp(m.height-2-2, 0, headLines)
}

// tableHeight is the number of table rows in view.
func (m ImageModel) tableHeight() int {
	return max(1, m.height-2-m.headShown()-1)
}

func (m ImageModel) head(w int) []string {
	st, d := m.styles, m.image
	mt := d.Metrics
	fig := func(s string) string {
		if !d.complete() {
			return "…"
		}
		return s
	}
	pct := func(f float64) string { return strconv.FormatFloat(f*100, 'f', 2, 64) + " %" }
	var out []string
	add := func(label, value string) {
		out = append(out, st.Label.Render(common.Pad(label, labelWidth))+common.Pad(value, w-labelWidth))
	}
	add("Reference", orDash(d.Reference))
	add("Source", orDash(d.Source))
	add("Platform", orDash(d.Platform))
	add("Total size", fig(humanize.Bytes(mt.SizeBytes)))
	add("User size", fig(humanize.Bytes(mt.UserSizeBytes)))
	add("Efficiency", fig(pct(mt.Efficiency)))
	add("Wasted", fig(humanize.Bytes(mt.WastedBytes)))
	add("User wasted", fig(pct(mt.UserWastedPercent)))
	add("Reclaimable", fig(humanize.Bytes(mt.ReclaimableBytes)))
	return out
}

// View draws the pane at exactly its outer size.
func (m ImageModel) View() string {
	if m.width < 2 || m.height < 2 {
		return common.Blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	st := m.styles
	if !m.set {
		return common.Frame(st, "Image details", m.focused, w, h, []string{st.Muted.Render("loading…")})
	}
	lines := make([]string, 0, h)
	lines = append(lines, m.head(w)[:m.headShown()]...)
	d := m.image
	rows := m.rows()
	switch {
	case !d.complete():
		lines = append(lines, st.Muted.Render(fmt.Sprintf("analyzing… %d/%d layers", d.Analyzed, d.Layers)))
	case len(rows) == 0:
		lines = append(lines, st.Muted.Render("no inefficient files"))
	default:
		tableH := m.tableHeight()
		textW, bar := w, []string(nil)
		if len(rows) > tableH {
			textW = w - 1
			bar = common.ScrollBar(m.list.Offset, tableH, len(rows))
		}
		header := fmt.Sprintf("%*s  %*s  %s", countWidth, "Count", spaceWidth, "Total Space", "Path")
		lines = append(lines, st.Label.Render(common.Pad(header, w)))
		pathW := textW - countWidth - spaceWidth - 4
		for i := m.list.Offset; i < min(len(rows), m.list.Offset+tableH); i++ {
			r := rows[i]
			text := common.Pad(fmt.Sprintf("%*d  %*s  %s", countWidth, r.Count, spaceWidth,
				humanize.Bytes(uint64(max(0, r.SizeBytes))), cutLeft(r.Path, pathW)), textW)
			if i == m.list.Cursor && m.focused {
				text = st.Selected.Render(text)
			}
			if bar != nil {
				text += st.Muted.Render(bar[i-m.list.Offset])
			}
			lines = append(lines, text)
		}
	}
	return common.Frame(st, "Image details", m.focused, w, h, lines)
}

// cutLeft keeps the end of a path, where its name is, when it is wider
// than width: "…/lib/x86_64-linux-gnu/libc.so.6".
func cutLeft(p string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(p)
	if w <= width {
		return p
	}
	return "…" + ansi.TruncateLeft(p, w-width+1, "")
}
