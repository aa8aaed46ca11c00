package details

import (
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
)

// Layer is what the Layer details pane shows about one layer.
type Layer struct {
	Index          int
	Digest, DiffID string
	MediaType      string
	CompressedSize int64 // the stored blob
	Size           int64 // uncompressed: tree.Layer.Size, as dive counts it
	Created        time.Time
	CreatedBy      string // the full history step
	Files          int    // entries in the layer's tar
	Counts         [4]int // paths by tree.ChangeType, as tree.View.Counts
	Analyzed       bool   // false: sizes, entries and counts show as "…"
}

// LayerModel is the Layer details pane. Make one with NewLayer.
type LayerModel struct {
	styles  common.Styles
	keys    KeyMap
	layer   Layer
	set     bool
	lines   []string // the content at the current width
	bar     bool     // the content is taller than the pane: a scroll bar takes a column
	offset  int
	width   int // outer
	height  int // outer
	focused bool
}

// NewLayer makes a pane with no layer to show yet.
func NewLayer(styles common.Styles) LayerModel {
	m := LayerModel{styles: styles, keys: DefaultKeyMap()}
	m.layout()
	return m
}

// SetSize sets the pane's outer size, border included.
func (m *LayerModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

// SetKeyMap replaces the bindings.
func (m *LayerModel) SetKeyMap(k KeyMap) { m.keys = k }

// KeyMap returns the bindings, for the help bar.
func (m LayerModel) KeyMap() KeyMap { return m.keys }

// Focus makes the pane take keys and draw its focused frame.
func (m *LayerModel) Focus() { m.focused = true }

// Blur makes the pane ignore keys.
func (m *LayerModel) Blur() { m.focused = false }

// Focused says whether the pane takes keys.
func (m LayerModel) Focused() bool { return m.focused }

// SetLayer shows a layer. Showing another layer scrolls to the top; the
// same layer again (now analyzed) keeps the scroll position.
func (m *LayerModel) SetLayer(d Layer) {
	if !m.set || d.Index != m.layer.Index {
		m.offset = 0
	}
	m.layer, m.set = d, true
	m.layout()
}

// Update scrolls on keys (when focused) and the wheel.
func (m LayerModel) Update(msg tea.Msg) (LayerModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if !m.focused {
			return m, nil
		}
		if d, ok := common.NavKeys(m.keys).Delta(msg, m.innerHeight(), len(m.lines)); ok {
			m.scrollBy(d)
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.scrollBy(-1)
		case tea.MouseWheelDown:
			m.scrollBy(1)
		}
	}
	return m, nil
}

// Offset is the first content line in view.
func (m LayerModel) Offset() int { return m.offset }

func (m *LayerModel) scrollBy(d int) {
	m.offset = common.Clamp(m.offset+d, 0, len(m.lines)-m.innerHeight())
}

func (m LayerModel) innerHeight() int { return max(0, m.height-2) }

// layout renders the content for the width, leaving a column for the
// scroll bar when it is taller than the pane.
func (m *LayerModel) layout() {
	w := max(0, m.width-2)
	m.lines, m.bar = m.content(w), false
	if len(m.lines) > m.innerHeight() && w > 1 {
		m.lines, m.bar = m.content(w-1), true
	}
	m.scrollBy(0)
}

func (m LayerModel) content(w int) []string {
	st := m.styles
	if !m.set {
		return []string{st.Muted.Render("no layer selected")}
	}
	d := m.layer
	unknown := func(s string) string {
		if !d.Analyzed {
			return "…"
		}
		return s
	}
	var out []string
	add := func(label, value string) { out = append(out, field(st, label, value, w)...) }
	add("Layer", strconv.Itoa(d.Index))
	add("Digest", orDash(d.Digest))
	add("DiffID", orDash(d.DiffID))
	add("Media type", orDash(d.MediaType))
	add("Compressed", bytes(d.CompressedSize))
	add("Uncompressed", unknown(bytes(d.Size)))
	created := "-"
	if !d.Created.IsZero() {
		created = d.Created.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	add("Created", created)
	add("Entries", unknown(strconv.Itoa(d.Files)))
	for _, c := range []struct {
		t     tree.ChangeType
		label string
	}{{tree.Added, "Added"}, {tree.Modified, "Modified"}, {tree.Removed, "Removed"}, {tree.Unmodified, "Unmodified"}} {
		label := st.Change[c.t].Render(common.Pad(c.label, labelWidth))
		out = append(out, styledField(st, label, st.Change[c.t].Render(unknown(strconv.Itoa(d.Counts[c.t]))), w)...)
	}
	out = append(out, st.Label.Render("Command"))
	if cmd := tree.Command(d.CreatedBy); cmd != "" {
		out = append(out, wrap(cmd, w)...)
	} else {
		out = append(out, st.Muted.Render("-"))
	}
	return out
}

// View draws the pane at exactly its outer size.
func (m LayerModel) View() string {
	if m.width < 2 || m.height < 2 {
		return common.Blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	end := min(len(m.lines), m.offset+h)
	lines := make([]string, 0, h)
	var bar []string
	if m.bar {
		bar = common.ScrollBar(m.offset, h, len(m.lines))
	}
	for i := m.offset; i < end; i++ {
		l := m.lines[i]
		if bar != nil {
			l = common.Pad(l, w-1) + m.styles.Muted.Render(bar[i-m.offset])
		}
		lines = append(lines, l)
	}
	return common.Frame(m.styles, "Layer details", m.focused, w, h, lines)
}
