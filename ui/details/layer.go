package details

import (
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/common"
)

// labelWidth fits the longest label ("Uncompressed") and a space.
const labelWidth = 13

// LayerModel is the Layer details pane. Make one with NewLayer.
type LayerModel struct {
	styles   common.Styles
	keys     KeyMap
	scroll   common.Scroller
	index    int
	declared image.Layer
	step     tree.HistoryEntry
	stacked  *tree.Layer // nil until the layer is analyzed
	counts   [4]int
	stopped  string // why the layer will not be analyzed
	set      bool
	width    int // outer
	height   int // outer
	focused  bool
	number   int
}

// NewLayer makes a pane with no layer to show yet.
func NewLayer(styles common.Styles) LayerModel {
	m := LayerModel{styles: styles, keys: DefaultKeyMap(), scroll: common.NewScroller(styles)}
	m.scroll.SetKeys(m.keys.Nav(), common.Bind(""), common.Bind(""))
	m.layout()
	return m
}

// SetSize sets the pane's outer size, border included.
func (m *LayerModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

// Height is how tall the pane would like to be: all of it in view.
func (m LayerModel) Height() int { return m.scroll.Lines() + 2 }

// SetNumber sets the number in the title, the key that focuses the pane.
func (m *LayerModel) SetNumber(n int) { m.number = n }

// SetKeyMap replaces the bindings.
func (m *LayerModel) SetKeyMap(k KeyMap) {
	m.keys = k
	m.scroll.SetKeys(k.Nav(), common.Bind(""), common.Bind(""))
}

// KeyMap returns the bindings, for the help bar.
func (m LayerModel) KeyMap() KeyMap { return m.keys }

// Focus makes the pane take keys and draw its focused frame.
func (m *LayerModel) Focus() { m.focused = true }

// Blur makes the pane ignore keys.
func (m *LayerModel) Blur() { m.focused = false }

// Focused says whether the pane takes keys.
func (m LayerModel) Focused() bool { return m.focused }

// SetLayer shows layer k: as the image declares it, the history step that
// made it, and once analyzed as the analysis stacked it with its paths by
// change type (stacked nil: not yet). Showing another layer scrolls to the
// top; the same layer again (now analyzed) keeps the scroll position.
func (m *LayerModel) SetLayer(k int, declared image.Layer, step tree.HistoryEntry, stacked *tree.Layer, counts [4]int) {
	if !m.set || k != m.index {
		m.scroll.SetOffset(0)
		m.stopped = ""
	}
	m.index, m.declared, m.step, m.stacked, m.counts, m.set = k, declared, step, stacked, counts, true
	m.layout()
}

// SetStopped says why the layer shown will not be analyzed.
func (m *LayerModel) SetStopped(reason string) {
	m.stopped = reason
	m.layout()
}

// Update scrolls on keys (when focused) and the wheel.
func (m LayerModel) Update(msg tea.Msg) (LayerModel, tea.Cmd) {
	switch msg.(type) {
	case tea.KeyPressMsg:
		if m.focused {
			m.scroll.Update(msg)
		}
	case tea.MouseWheelMsg:
		m.scroll.Update(msg)
	}
	return m, nil
}

// Offset is the first content line in view.
func (m LayerModel) Offset() int { return m.scroll.Offset() }

// layout renders the content for the width, leaving a column for the
// scroll bar when it is taller than the pane.
func (m *LayerModel) layout() {
	w, h := max(0, m.width-2), max(0, m.height-2)
	lines := m.content(w)
	if len(lines) > h && w > 1 {
		lines = m.content(w - 1)
	}
	m.scroll.SetSize(w, h)
	m.scroll.SetLines(lines)
}

func (m LayerModel) content(w int) []string {
	st := m.styles
	if !m.set {
		return []string{st.Muted.Render("no layer selected")}
	}
	l := m.stacked
	unknown := func(s string) string {
		switch {
		case l != nil:
			return s
		case m.stopped != "":
			return "not analyzed"
		}
		return "…"
	}
	var out []string
	add := func(label, value string) { out = append(out, field(st, label, value, w)...) }
	// A line that says the most, for a pane of one line.
	head := fmt.Sprintf("Layer %d", m.index)
	switch {
	case l != nil:
		head += fmt.Sprintf(" · %s · %d entries · +%d ~%d -%d", humanize.Bytes(uint64(max(0, l.Size))), l.Files,
			m.counts[tree.Added], m.counts[tree.Modified], m.counts[tree.Removed])
	case m.stopped != "":
		head += " · not analyzed"
	default:
		head += " · analyzing…"
	}
	out = append(out, common.Truncate(head, w))
	cmd := tree.Command(m.step.CreatedBy)
	if l != nil && l.CreatedBy != "" {
		cmd = tree.Command(l.CreatedBy)
	}
	if cmd == "" {
		out = append(out, st.Muted.Render("(no command)"))
	} else {
		for _, line := range common.Wrap(cmd, w) {
			out = append(out, st.Label.Render(line))
		}
	}
	if m.stopped != "" && l == nil {
		for _, line := range common.WrapMessage("not analyzed: "+m.stopped, w) {
			out = append(out, st.Error.Render(line))
		}
	}
	out = append(out, "")
	add("Layer", strconv.Itoa(m.index))
	digest, diffID, media := "…", "…", "…"
	if l != nil {
		digest, diffID, media = l.Digest.String(), l.DiffID.String(), string(l.MediaType)
	} else if m.stopped != "" {
		digest, diffID, media = "not analyzed", "not analyzed", "not analyzed"
	}
	add("Digest", orDash(digest))
	add("DiffID", orDash(diffID))
	add("Media type", orDash(media))
	compressed := m.declared.Size
	if l != nil {
		compressed = l.CompressedSize
	}
	add("Compressed", bytes(compressed))
	size := int64(0)
	if l != nil {
		size = l.Size
	}
	add("Uncompressed", unknown(bytes(size)))
	created := "-"
	if t := m.step.Created; !t.IsZero() {
		created = t.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	add("Created", created)
	files := 0
	if l != nil {
		files = l.Files
	}
	add("Entries", unknown(strconv.Itoa(files)))
	for _, c := range []struct {
		t     tree.ChangeType
		label string
	}{{tree.Added, "Added"}, {tree.Modified, "Modified"}, {tree.Removed, "Removed"}, {tree.Unmodified, "Unmodified"}} {
		label := st.Change[c.t].Render(common.Pad(c.label, labelWidth))
		out = append(out, styledField(label, unknown(strconv.Itoa(m.counts[c.t])), st.Change[c.t], w)...)
	}
	return out
}

// View draws the pane at exactly its outer size.
func (m LayerModel) View() string {
	if m.width < 2 || m.height < 2 {
		return common.Blank(m.width, m.height)
	}
	return common.Frame(m.styles, common.Title(m.number, "Layer details"), m.focused, m.width-2, m.height-2, m.scroll.View())
}

// field renders "Label  value", the value wrapped under itself when it
// is wider than the pane; on a pane too narrow for the label column the
// value goes on the lines below the label.
func field(st common.Styles, label, value string, width int) []string {
	return styledField(st.Label.Render(common.Pad(label, labelWidth)), value, lipgloss.NewStyle(), width)
}

// styledField is field with the label drawn already and the value drawn
// in a style; value is plain text, made safe here.
func styledField(label, value string, style lipgloss.Style, width int) []string {
	if width-labelWidth < 12 {
		out := []string{label}
		for _, l := range common.Wrap(value, width) {
			out = append(out, style.Render(l))
		}
		return out
	}
	var out []string
	for i, l := range common.Wrap(value, width-labelWidth) {
		if i == 0 {
			out = append(out, label+style.Render(l))
		} else {
			out = append(out, common.Pad("", labelWidth)+style.Render(l))
		}
	}
	return out
}

// bytes is a size as a person reads it and exactly: "1.2 MB (1,234,567 bytes)".
func bytes(n int64) string {
	if n < 0 {
		return "unknown"
	}
	return humanize.Bytes(uint64(n)) + " (" + humanize.Comma(n) + " bytes)"
}

// orDash shows a missing value.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
