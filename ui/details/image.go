package details

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
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
	// Stopped says why the analysis stopped before the last layer, "" when
	// it did not.
	Stopped string
	// Supply is the base, signature and referrers, when known.
	Supply *Supply
}

func (d Image) complete() bool { return d.Analyzed >= d.Layers }

// The table's columns: Count and Total Space right-aligned, then the path.
const (
	countWidth = 5
	spaceWidth = 11
)

// headLines is the number of lines of figures above the table.
const headLines = 9

// ImageModel is the Image details pane: the figures stay at the top and
// the table of inefficient files scrolls below them. Make one with
// NewImage.
type ImageModel struct {
	list   common.ListPane // the table, under the figures
	width  int             // outer
	height int             // outer
	keys   KeyMap
	image  Image
	set    bool
	number int
}

// NewImage makes a pane with no image to show yet.
func NewImage(styles common.Styles) ImageModel {
	m := ImageModel{keys: DefaultKeyMap()}
	m.list = common.ListPane{Styles: styles, Keys: m.keys.Nav(), Header: true}
	return m
}

// SetSize sets the pane's outer size, border included.
func (m *ImageModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.list.SetSize(w, h-m.headShown(), 0, len(m.rows()))
}

// Height is how tall the pane would like to be: the figures and every
// row of the table in view.
func (m ImageModel) Height() int { return m.headCount() + 2 + 1 + max(1, len(m.rows())) }

// SetNumber sets the number in the title, the key that focuses the pane.
func (m *ImageModel) SetNumber(n int) { m.number = n }

// SetKeyMap replaces the bindings.
func (m *ImageModel) SetKeyMap(k KeyMap) {
	m.keys = k
	m.list.Keys = k.Nav()
}

// KeyMap returns the bindings, for the help bar.
func (m ImageModel) KeyMap() KeyMap { return m.keys }

// Focus makes the pane take keys, draw its focused frame and highlight
// the table's cursor row.
func (m *ImageModel) Focus() { m.list.Focus() }

// Blur makes the pane ignore keys.
func (m *ImageModel) Blur() { m.list.Blur() }

// Focused says whether the pane takes keys.
func (m ImageModel) Focused() bool { return m.list.Focused() }

// SetImage shows the image; the table's cursor stays where it was.
func (m *ImageModel) SetImage(d Image) {
	m.image, m.set = d, true
	m.SetSize(m.width, m.height)
	m.list.List.Move(0, len(m.rows()), m.list.RowsHeight())
}

// Selected is the inefficient file under the cursor.
func (m ImageModel) Selected() (metrics.Inefficiency, bool) {
	rows := m.rows()
	if len(rows) == 0 {
		return metrics.Inefficiency{}, false
	}
	return rows[m.list.List.Cursor], true
}

// Update moves the table's cursor on keys (when focused), clicks and the
// wheel.
func (m ImageModel) Update(msg tea.Msg) (ImageModel, tea.Cmd) {
	if mm, ok := msg.(tea.MouseMsg); ok {
		// The figures come before the table: the list counts from its
		// header.
		ev := mm.Mouse()
		ev.Y -= m.headShown()
		switch msg.(type) {
		case tea.MouseClickMsg:
			msg = tea.MouseClickMsg(ev)
		case tea.MouseWheelMsg:
			msg = tea.MouseWheelMsg(ev)
		}
	}
	m.list.Update(msg, len(m.rows()))
	return m, nil
}

// rows are the table's rows: none until the analysis is complete.
func (m ImageModel) rows() []metrics.Inefficiency {
	if !m.set || !m.image.complete() {
		return nil
	}
	return m.image.Metrics.Inefficient
}

// headShown is how many lines of figures fit, leaving room for the
// table's header and three rows.
func (m ImageModel) headShown() int {
	return common.Clamp(m.height-2-4, 0, m.headCount())
}

func (m ImageModel) head(w int) []string {
	st, d := m.list.Styles, m.image
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
		out = append(out, st.Label.Render(common.Pad(label, labelWidth))+common.Truncate(value, w-labelWidth))
	}
	add("Efficiency", fig(pct(mt.Efficiency)))
	add("Total size", fig(humanize.Bytes(mt.SizeBytes)))
	add("Wasted", fig(humanize.Bytes(mt.WastedBytes)))
	add("Reclaimable", fig(humanize.Bytes(mt.ReclaimableBytes)))
	add("User size", fig(humanize.Bytes(mt.UserSizeBytes)))
	add("User wasted", fig(pct(mt.UserWastedPercent)))
	add("Reference", orDash(d.Reference))
	add("Source", orDash(d.Source))
	add("Platform", orDash(d.Platform))
	return append(out, m.supplyLines(w)...)
}

// oneLine is what the pane says on one line.
func (m ImageModel) oneLine(w int) string {
	st, d := m.list.Styles, m.image
	switch {
	case d.Stopped != "":
		return st.Error.Render(common.Truncate(fmt.Sprintf("stopped after %d of %d layers", d.Analyzed, d.Layers), w))
	case !d.complete():
		return st.Muted.Render(fmt.Sprintf("analyzing… %d/%d layers", d.Analyzed, d.Layers))
	}
	mt := d.Metrics
	return common.Truncate(fmt.Sprintf("%d inefficient files · %s wasted · %s reclaimable", len(mt.Inefficient),
		humanize.Bytes(mt.WastedBytes), humanize.Bytes(mt.ReclaimableBytes)), w)
}

// View draws the pane at exactly its outer size.
func (m ImageModel) View() string {
	w, h := m.width, m.height
	st := m.list.Styles
	if w < 2 || h < 2 {
		return common.Blank(w, h)
	}
	title := common.Title(m.number, "Image details")
	if !m.set {
		return common.Frame(st, title, m.list.Focused(), w-2, h-2, []string{st.Muted.Render("loading…")})
	}
	head := m.head(w - 2)[:m.headShown()]
	d := m.image
	if h-2 < 4 {
		return common.Frame(st, title, m.list.Focused(), w-2, h-2, []string{m.oneLine(w - 2)})
	}
	switch {
	case d.Stopped != "":
		lines := append(head, st.Error.Render(common.Truncate(fmt.Sprintf("stopped after %d of %d layers: the figures are theirs", d.Analyzed, d.Layers), w-2)))
		return common.Frame(st, title, m.list.Focused(), w-2, h-2, lines)
	case !d.complete():
		lines := append(head, st.Muted.Render(fmt.Sprintf("analyzing… %d/%d layers", d.Analyzed, d.Layers)))
		return common.Frame(st, title, m.list.Focused(), w-2, h-2, lines)
	}
	// The table is a list pane under the figures: drawn at the height
	// left, then the figures put over its top edge.
	rows := m.rows()
	header := fmt.Sprintf("%*s  %*s  %s", countWidth, "Count", spaceWidth, "Total Space", "Path")
	row := func(i, width int) (string, lipgloss.Style) {
		r := rows[i]
		text := fmt.Sprintf("%*d  %*s  ", countWidth, r.Count, spaceWidth, humanize.Bytes(uint64(max(0, r.SizeBytes))))
		return text + common.TruncateLeft(r.Path, max(1, width-len(text))), lipgloss.NewStyle()
	}
	view := m.list.View("", header, "no inefficient files", len(rows), row, nil)
	// Replace the table's frame top with the pane's, figures below it.
	top := common.Frame(st, title, m.list.Focused(), w-2, len(head), head)
	topLines := strings.Split(top, "\n")
	tableLines := strings.Split(view, "\n")
	return strings.Join(append(topLines[:len(topLines)-1], tableLines[1:]...), "\n")
}
