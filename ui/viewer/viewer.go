package viewer

import (
	"fmt"
	"path"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/layerfile"
	"github.com/strata-dev/strata/ui/common"
)

// state is what the pane shows.
type state uint8

const (
	stateEmpty state = iota
	stateLoading
	stateError
	stateText
	stateHex
)

const (
	wheelStep = 3 // rows per wheel notch
	sideStep  = 8 // columns per left or right
)

// Model is the file viewer pane. Make one with New.
type Model struct {
	styles common.Styles
	keys   KeyMap
	width  int // outer
	height int // outer

	state   state
	path    string
	layer   int
	err     error
	content layerfile.Content
	lines   []string // text: rendered lines
	widest  int      // text: cells of the widest line
	offset  int      // first row shown
	xoff    int      // first column shown
}

// New makes an empty pane.
func New(styles common.Styles) Model {
	return Model{styles: styles, keys: DefaultKeyMap()}
}

// SetSize sets the pane's outer size, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.clamp()
}

// SetKeyMap replaces the bindings.
func (m *Model) SetKeyMap(k KeyMap) { m.keys = k }

// KeyMap returns the bindings, for the help bar.
func (m Model) KeyMap() KeyMap { return m.keys }

// SetLoading shows that path is being read.
func (m *Model) SetLoading(p string) {
	*m = Model{styles: m.styles, keys: m.keys, width: m.width, height: m.height,
		state: stateLoading, path: path.Clean("/" + p)}
}

// SetError shows that the file could not be read.
func (m *Model) SetError(err error) {
	m.state, m.err = stateError, err
	m.lines, m.content = nil, layerfile.Content{}
	m.offset, m.xoff = 0, 0
}

// SetContent shows a file read from layer: as text, or as a hex dump when
// it looks binary.
func (m *Model) SetContent(c layerfile.Content, layer int) {
	m.path, m.layer, m.content, m.err = c.Path, layer, c, nil
	m.offset, m.xoff = 0, 0
	m.lines, m.widest = nil, 0
	switch {
	case isBinary(c.Data, c.Truncated):
		m.state = stateHex
	case len(c.Data) > 0:
		m.state = stateText
		m.lines, m.widest = textLines(c.Data, m.styles.Muted)
	default:
		m.state = stateText
	}
	m.clamp()
}

// Path is the file shown or being read.
func (m Model) Path() string { return m.path }

// Update scrolls on keys and the wheel, closes on the Close key, and shows
// a FileContentMsg for the path being read (others are stale, and
// ignored).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case FileContentMsg:
		if m.state == stateLoading && path.Clean("/"+msg.Content.Path) != m.path {
			return m, nil
		}
		if msg.Err != nil {
			m.layer = msg.Layer
			m.SetError(msg.Err)
		} else {
			m.SetContent(msg.Content, msg.Layer)
		}
	case tea.KeyPressMsg:
		d, nav := m.keys.nav().Delta(msg, m.bodyHeight(), m.rows())
		switch {
		case key.Matches(msg, m.keys.Close):
			return m, func() tea.Msg { return CloseMsg{} }
		case nav:
			m.scroll(d)
		case key.Matches(msg, m.keys.Left):
			m.side(-sideStep)
		case key.Matches(msg, m.keys.Right):
			m.side(sideStep)
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.scroll(-wheelStep)
		case tea.MouseWheelDown:
			m.scroll(wheelStep)
		case tea.MouseWheelLeft:
			m.side(-sideStep)
		case tea.MouseWheelRight:
			m.side(sideStep)
		}
	}
	return m, nil
}

func (m *Model) scroll(d int) {
	m.offset += d
	m.clamp()
}

func (m *Model) side(d int) {
	m.xoff += d
	m.clamp()
}

func (m *Model) clamp() {
	m.offset = min(max(0, m.offset), max(0, m.rows()-m.bodyHeight()))
	m.xoff = min(max(0, m.xoff), max(0, m.lineWidth()-m.textWidth()))
}

// rows is the number of rows the contents take.
func (m Model) rows() int {
	switch m.state {
	case stateText:
		return len(m.lines)
	case stateHex:
		return (len(m.content.Data) + 15) / 16
	}
	return 0
}

// lineWidth is the width of the widest row, without line numbers.
func (m Model) lineWidth() int {
	switch m.state {
	case stateText:
		return m.widest
	case stateHex:
		return hexWidth
	}
	return 0
}

// bodyHeight is the number of rows in view: the inner height, less the
// note on a truncated file.
func (m Model) bodyHeight() int {
	h := m.height - 2
	if m.content.Truncated {
		h--
	}
	return max(0, h)
}

// gutterWidth is the width of the line numbers and their separator.
func (m Model) gutterWidth() int {
	if m.state != stateText {
		return 0
	}
	return len(strconv.Itoa(max(1, len(m.lines)))) + 3
}

// textWidth is the width left for the rows' text.
func (m Model) textWidth() int {
	w := m.width - 2 - m.gutterWidth()
	if m.rows() > m.bodyHeight() {
		w-- // the scroll bar
	}
	return max(0, w)
}

func (m Model) title() string {
	t := escapeString(m.path)
	switch m.state {
	case stateText, stateHex:
		t += fmt.Sprintf(" · layer %d · %s", m.layer, humanize.Bytes(uint64(max(0, m.content.Size))))
		if m.state == stateHex {
			t += " · binary"
		}
	case stateError:
		t += fmt.Sprintf(" · layer %d", m.layer)
	}
	return t
}

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	if m.width < 3 || m.height < 3 {
		return common.Blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	var lines []string
	switch m.state {
	case stateLoading:
		lines = []string{m.styles.Muted.Render("loading " + escapeString(m.path) + "…")}
	case stateError:
		lines = []string{m.styles.Error.Render(escapeString(m.err.Error()))}
	case stateText, stateHex:
		lines = m.body(w)
	}
	return common.Frame(m.styles, m.title(), true, w, h, lines)
}

// body draws the rows in view, under the note on a truncated file.
func (m Model) body(w int) []string {
	var lines []string
	c := m.content
	if c.Truncated {
		note := fmt.Sprintf("showing the first %s of %s bytes", humanize.Comma(int64(len(c.Data))), humanize.Comma(c.Size))
		lines = append(lines, m.styles.Muted.Render(note))
	}
	if m.rows() == 0 {
		return append(lines, m.styles.Muted.Render("(empty file)"))
	}
	bodyH, total := m.bodyHeight(), m.rows()
	var bar []string
	if total > bodyH {
		bar = common.ScrollBar(m.offset, bodyH, total)
	}
	textW, gutter := m.textWidth(), m.gutterWidth()
	for i := m.offset; i < min(total, m.offset+bodyH); i++ {
		var row string
		if m.state == stateText {
			num := m.styles.Muted.Render(fmt.Sprintf("%*d │ ", gutter-3, i+1))
			row = num + common.Pad(ansi.Cut(m.lines[i], m.xoff, m.xoff+textW), textW)
		} else {
			row = common.Pad(ansi.Cut(hexLine(c.Data, i*16), m.xoff, m.xoff+textW), textW)
		}
		if bar != nil {
			row += m.styles.Muted.Render(bar[i-m.offset])
		}
		lines = append(lines, row)
	}
	return lines
}
