package viewer

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
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
	stateText // a file's text, with line numbers
	stateHex
	stateLines // lines a parent gave
)

// Model is the file viewer pane. Make one with New.
type Model struct {
	styles common.Styles
	keys   KeyMap
	input  common.InputKeys
	width  int // outer
	height int // outer
	scroll common.Scroller

	state   state
	path    string
	via     string // the links followed to the file
	heading string // the title of lines a parent gave
	head    []string
	layer   int
	err     error
	content layerfile.Content
	lines   []string

	searching bool
	editor    textinput.Model
	query     string
	matches   int
	closed    bool // the last Update was the Close key
}

// New makes an empty pane.
func New(styles common.Styles) Model {
	in := common.LineEditor("Search: ", "text")
	m := Model{styles: styles, keys: DefaultKeyMap(), input: common.DefaultInputKeys(), scroll: common.NewScroller(styles), editor: in}
	m.scroll.SetKeys(m.keys.Nav(), m.keys.Left, m.keys.Right)
	return m
}

// SetSize sets the pane's outer size, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

// SetKeyMap replaces the bindings, and those of the search line.
func (m *Model) SetKeyMap(k KeyMap, input common.InputKeys) {
	m.keys, m.input = k, input
	m.scroll.SetKeys(k.Nav(), k.Left, k.Right)
}

// KeyMap returns the bindings, for the help bar.
func (m Model) KeyMap() KeyMap { return m.keys }

// Searching says whether the search line is taking keys.
func (m Model) Searching() bool { return m.searching }

// clear empties the pane but for its size and keys.
func (m *Model) clear() {
	*m = Model{styles: m.styles, keys: m.keys, input: m.input, width: m.width, height: m.height,
		scroll: common.NewScroller(m.styles), editor: m.editor}
	m.editor.Blur()
	m.scroll.SetKeys(m.keys.Nav(), m.keys.Left, m.keys.Right)
}

// SetLoading shows that path is being read; via names the links that led
// to it ("→ /bin/busybox"), "" for none.
func (m *Model) SetLoading(p, via string) {
	m.clear()
	m.state, m.path, m.via = stateLoading, path.Clean("/"+p), via
	m.layout()
}

// SetError shows that the file could not be read.
func (m *Model) SetError(err error) {
	m.state, m.err = stateError, err
	m.content = layerfile.Content{}
	m.layout()
}

// SetContent shows a file read from layer: as text, or as a hex dump when
// it looks binary.
func (m *Model) SetContent(c layerfile.Content, layer int) {
	m.path, m.layer, m.content, m.err = c.Path, layer, c, nil
	if IsBinary(c.Data, c.Truncated) {
		m.state, m.lines = stateHex, hexLines(c.Data)
	} else {
		m.state, m.lines = stateText, TextLines(c.Data)
	}
	if len(c.Data) == 0 {
		m.lines = nil
	}
	m.scroll.SetLineStyle(nil)
	m.scroll.SetLines(m.lines)
	m.layout()
}

// SetLines shows lines a parent made: title in the top edge, head above
// the lines (not scrolled), and each line styled as a whole by style (nil:
// none). The lines must hold no styles, so that they can be searched.
func (m *Model) SetLines(title string, head, lines []string, style func(i int) lipgloss.Style) {
	m.clear()
	m.state, m.heading, m.head, m.lines = stateLines, title, head, lines
	m.scroll.SetLineStyle(style)
	m.scroll.SetLines(lines)
	m.layout()
}

// Closed says that the last Update was the Close key: the parent closes
// the pane at once, so that the keys pressed next go where the user sees.
func (m Model) Closed() bool { return m.closed }

// Path is the file shown or being read.
func (m Model) Path() string { return m.path }

// headLines are the lines above the scrolled ones.
func (m Model) headLines() []string {
	st := m.styles
	var out []string
	if m.via != "" {
		out = append(out, st.Label.Render(common.Truncate(m.via, max(1, m.width-2))))
	}
	if c := m.content; c.Truncated {
		out = append(out, st.Muted.Render(fmt.Sprintf("showing the first %s of %s bytes", humanize.Comma(int64(len(c.Data))), humanize.Comma(c.Size))))
	}
	return append(out, m.head...)
}

// searchLine is shown under the text while there is a search.
func (m Model) hasSearchLine() bool { return m.searching || m.query != "" }

// layout sizes the scroller: the inner size less the head and the search
// line; text gets line numbers.
func (m *Model) layout() {
	h := m.height - 2 - len(m.headLines())
	if m.hasSearchLine() {
		h--
	}
	m.scroll.SetSize(m.width-2, max(0, h))
	if m.state == stateText {
		w := len(strconv.Itoa(max(1, len(m.lines))))
		m.scroll.SetGutter(func(i int) string { return m.styles.Muted.Render(fmt.Sprintf("%*d │ ", w, i+1)) })
	} else {
		m.scroll.SetGutter(nil)
	}
	m.editor.SetWidth(max(1, m.width-14))
}

// Update scrolls on keys and the wheel, searches, closes on the Close key,
// and shows a FileContentMsg for the path being read (others are stale,
// and ignored).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.closed = false
	switch msg := msg.(type) {
	case FileContentMsg:
		if m.state != stateLoading || path.Clean("/"+msg.Content.Path) != m.path {
			return m, nil
		}
		m.layer = msg.Layer
		if msg.Err != nil {
			m.SetError(msg.Err)
		} else {
			m.SetContent(msg.Content, msg.Layer)
		}
	case tea.KeyPressMsg:
		if m.searching {
			return m.typeSearch(msg)
		}
		switch {
		case key.Matches(msg, m.keys.Close):
			m.closed = true
		case key.Matches(msg, m.keys.Search):
			m.searching = true
			m.editor.SetValue(m.query)
			m.editor.CursorEnd()
			m.layout()
			return m, m.editor.Focus()
		case key.Matches(msg, m.keys.NextMatch):
			m.scroll.NextMatch()
		case key.Matches(msg, m.keys.PrevMatch):
			m.scroll.PrevMatch()
		default:
			m.scroll.Update(msg)
		}
	case tea.MouseWheelMsg:
		m.scroll.Update(msg)
	}
	return m, nil
}

// typeSearch edits the search line; Apply searches, Cancel clears.
func (m Model) typeSearch(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.input.Cancel):
		m.searching, m.query, m.matches = false, "", 0
		m.editor.Blur()
		m.scroll.Highlight(nil)
		m.layout()
		return m, nil
	case key.Matches(msg, m.input.Apply):
		m.searching = false
		m.editor.Blur()
		m.search(m.editor.Value())
		m.layout()
		return m, nil
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.Update(msg)
	return m, cmd
}

// search highlights every match of q in the lines, case-insensitively
// unless q has capitals, and moves to the first one at or below the top.
func (m *Model) search(q string) {
	m.query, m.matches = q, 0
	if q == "" {
		m.scroll.Highlight(nil)
		return
	}
	fold := strings.ToLower(q) == q
	if fold {
		q = strings.ToLower(q)
	}
	var found [][]int
	off := 0
	for _, l := range m.lines {
		hay := l
		if fold {
			hay = strings.ToLower(l)
		}
		if len(hay) == len(l) { // folding kept the offsets
			for i := 0; ; {
				j := strings.Index(hay[i:], q)
				if j < 0 {
					break
				}
				found = append(found, []int{off + i + j, off + i + j + len(q)})
				i += j + len(q)
			}
		}
		off += len(l) + 1
	}
	m.matches = len(found)
	m.scroll.Highlight(found)
}

func (m Model) title() string {
	if m.state == stateLines {
		return m.heading
	}
	var info string
	switch m.state {
	case stateText, stateHex:
		info = fmt.Sprintf(" · layer %d · %s", m.layer, humanize.Bytes(uint64(max(0, m.content.Size))))
		if m.state == stateHex {
			info += " · binary"
		}
	case stateError:
		info = fmt.Sprintf(" · layer %d", m.layer)
	}
	return common.TruncateLeft(m.path, max(10, m.width-4-len([]rune(info)))) + info
}

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	if m.width < 3 || m.height < 3 {
		return common.Blank(m.width, m.height)
	}
	w, h := m.width-2, m.height-2
	st := m.styles
	lines := m.headLines()
	switch m.state {
	case stateLoading:
		lines = append(lines, st.Muted.Render("loading "+common.TruncateLeft(m.path, w-10)+"…"))
	case stateError:
		for _, l := range common.WrapMessage(m.err.Error(), w) {
			lines = append(lines, st.Error.Render(l))
		}
	case stateText, stateHex, stateLines:
		if len(m.lines) == 0 {
			lines = append(lines, st.Muted.Render("(empty file)"))
		} else {
			lines = append(lines, m.scroll.View()...)
		}
	}
	if m.hasSearchLine() {
		for len(lines) < h-1 {
			lines = append(lines, "")
		}
		lines = lines[:max(0, h-1)]
		s := "Search: " + common.Truncate(m.query, w-30)
		if m.searching {
			s = m.editor.View()
		} else {
			s += st.Muted.Render("  " + matchCount(m.matches))
		}
		lines = append(lines, s)
	}
	return common.Frame(st, m.title(), true, w, h, lines)
}

func matchCount(n int) string {
	if n == 1 {
		return "1 match"
	}
	return fmt.Sprintf("%d matches", n)
}
