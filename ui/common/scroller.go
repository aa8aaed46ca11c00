package common

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Scroller shows lines that may be taller or wider than its window: a
// bubbles viewport driven by NavKeys (and Left, Right when set), with a
// scroll bar in the last column whenever the lines are taller than the
// window. Text panes (layer details, the file viewer, diff's summary, the
// help) scroll with it.
type Scroller struct {
	vp          viewport.Model
	styles      Styles
	keys        NavKeys
	left, right key.Binding
	w, h        int
	total       int
	gutter      func(i int) string // drawn before line i, kept while scrolling sideways
	gutterW     int
}

// NewScroller makes an empty scroller.
func NewScroller(st Styles) Scroller {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // keys are matched here, with NavKeys
	vp.MouseWheelDelta = 3
	vp.SetHorizontalStep(8)
	vp.HighlightStyle = st.Match
	vp.SelectedHighlightStyle = st.CurrentMatch
	return Scroller{vp: vp, styles: st, keys: DefaultNavKeys()}
}

// SetKeys sets the keys that scroll: up and down with nav, sideways with
// left and right (a disabled or zero binding does not scroll).
func (s *Scroller) SetKeys(nav NavKeys, left, right key.Binding) {
	s.keys, s.left, s.right = nav, left, right
}

// SetSize sets the window, the scroll bar's column included.
func (s *Scroller) SetSize(w, h int) {
	s.w, s.h = max(0, w), max(0, h)
	s.fit()
}

// SetLines replaces the lines; the window stays where it was, as far as
// the new lines allow.
func (s *Scroller) SetLines(lines []string) {
	s.total = len(lines)
	s.fit()
	s.vp.SetContentLines(lines)
	s.vp.SetYOffset(s.vp.YOffset())
}

// SetLineStyle styles each line as a whole (nil: none). Lines that may be
// searched hold no styles of their own and are styled this way instead.
func (s *Scroller) SetLineStyle(f func(i int) lipgloss.Style) { s.vp.StyleLineFunc = f }

// SetGutter draws f(i) before line i, kept while scrolling sideways (line
// numbers); f must draw the same width for every line.
func (s *Scroller) SetGutter(f func(i int) string) {
	s.gutter, s.gutterW = f, 0
	if f != nil {
		s.gutterW = ansi.StringWidth(f(0))
	}
	s.fit()
}

func (s *Scroller) fit() {
	w := s.w - s.gutterW
	if s.total > s.h {
		w--
	}
	s.vp.SetWidth(max(0, w))
	s.vp.SetHeight(s.h)
}

// Height is the number of lines in view.
func (s Scroller) Height() int { return s.h }

// Offset is the first line in view.
func (s Scroller) Offset() int { return s.vp.YOffset() }

// SetOffset scrolls to put line n first, as far as the lines allow.
func (s *Scroller) SetOffset(n int) { s.vp.SetYOffset(n) }

// Lines is the number of lines.
func (s Scroller) Lines() int { return s.total }

// Update scrolls on the keys and the wheel, and says whether msg was one
// of them.
func (s *Scroller) Update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if d, ok := s.keys.Delta(msg, s.h, s.total); ok {
			s.vp.SetYOffset(s.vp.YOffset() + d)
			return true
		}
		switch {
		case key.Matches(msg, s.left):
			s.vp.ScrollLeft(8)
		case key.Matches(msg, s.right):
			s.vp.ScrollRight(8)
		default:
			return false
		}
		return true
	case tea.MouseWheelMsg:
		s.vp, _ = s.vp.Update(msg)
		return true
	}
	return false
}

// Highlight marks matches, [start, end) byte ranges into the lines joined
// by "\n" (which must hold no styles), and scrolls to the first at or
// below the window. None clears them.
func (s *Scroller) Highlight(matches [][]int) {
	s.vp.ClearHighlights()
	s.vp.SetHighlights(matches)
}

// NextMatch and PrevMatch move to the next or previous match.
func (s *Scroller) NextMatch() { s.vp.HighlightNext() }

// PrevMatch moves to the previous match.
func (s *Scroller) PrevMatch() { s.vp.HighlightPrevious() }

// View draws exactly the window's lines, each its width.
func (s Scroller) View() []string {
	if s.h == 0 || s.w == 0 {
		return nil
	}
	lines := make([]string, 0, s.h)
	if s.total > 0 {
		lines = strings.Split(s.vp.View(), "\n")
	}
	for len(lines) < s.h {
		lines = append(lines, "")
	}
	if s.gutter != nil {
		blank := strings.Repeat(" ", s.gutterW)
		for i := range lines {
			if n := s.vp.YOffset() + i; n < s.total {
				lines[i] = s.gutter(n) + lines[i]
			} else {
				lines[i] = blank + lines[i]
			}
		}
	}
	return WithBar(s.styles, lines[:s.h], s.w, s.vp.YOffset(), s.total)
}
