package common

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Frame draws a pane: a border with the title in its top edge around
// exactly height lines of content, each cut or padded to width. The outer
// size is (width+2) × (height+2). The title is drawn as given: make what
// comes from an image Safe first.
func Frame(st Styles, title string, focused bool, width, height int, lines []string) string {
	if width < 0 || height < 0 {
		return ""
	}
	style, titleStyle := st.Pane, st.Title
	if focused {
		style, titleStyle = st.FocusedPane, st.FocusedTitle
	}
	b := style.GetBorderStyle()
	edge := lipgloss.NewStyle().Foreground(style.GetBorderTopForeground())
	var out strings.Builder
	out.Grow((width + 8) * (height + 2))
	// The top edge, with the title after the corner.
	top := strings.Repeat(b.Top, width)
	if title != "" && width >= 4 {
		t := " " + ansi.Truncate(title, width-2, "…") + " "
		tw := ansi.StringWidth(t)
		out.WriteString(edge.Render(b.TopLeft))
		out.WriteString(titleStyle.Render(t))
		out.WriteString(edge.Render(strings.Repeat(b.Top, width-tw) + b.TopRight))
	} else {
		out.WriteString(edge.Render(b.TopLeft + top + b.TopRight))
	}
	left, right := edge.Render(b.Left), edge.Render(b.Right)
	for i := range height {
		out.WriteByte('\n')
		out.WriteString(left)
		if i < len(lines) {
			out.WriteString(Pad(lines[i], width))
		} else {
			out.WriteString(strings.Repeat(" ", width))
		}
		out.WriteString(right)
	}
	out.WriteByte('\n')
	out.WriteString(edge.Render(b.BottomLeft + strings.Repeat(b.Bottom, width) + b.BottomRight))
	return out.String()
}

// Title is a pane's title with its number, the key that focuses it:
// "[1] Layers".
func Title(number int, title string) string {
	if number <= 0 {
		return title
	}
	return fmt.Sprintf("[%d] %s", number, title)
}

// ScrollBar returns, for each of height rows, the character to draw in
// the bar of a window of height rows at offset into total rows: the
// thumb ┃ on the track │, or spaces when everything is in view.
func ScrollBar(offset, height, total int) []string {
	bar := make([]string, max(0, height))
	if total <= height || height <= 0 {
		for i := range bar {
			bar[i] = " "
		}
		return bar
	}
	size := max(1, height*height/total)
	pos := (height - size) * offset / max(1, total-height)
	pos = Clamp(pos, 0, height-size)
	if offset > 0 && pos == 0 && height-size > 0 {
		pos = 1 // not at the top: the thumb leaves the first row
	}
	if offset+height < total && pos == height-size && pos > 0 {
		pos-- // not at the bottom
	}
	for i := range bar {
		if i >= pos && i < pos+size {
			bar[i] = "┃"
		} else {
			bar[i] = "│"
		}
	}
	return bar
}

// WithBar draws lines of width-1 cells with the scroll bar of a window at
// offset into total rows in the last column; with everything in view the
// lines take the whole width.
func WithBar(st Styles, lines []string, width, offset, total int) []string {
	height := len(lines)
	if total <= height {
		for i, l := range lines {
			lines[i] = Pad(l, width)
		}
		return lines
	}
	bar := ScrollBar(offset, height, total)
	for i, l := range lines {
		lines[i] = Pad(l, width-1) + st.Muted.Render(bar[i])
	}
	return lines
}

// TooSmall fills a w×h screen with one centered line saying the terminal
// is smaller than needW×needH.
func TooSmall(w, h, needW, needH int) string {
	msg := fmt.Sprintf("terminal too small: need %d×%d, have %d×%d", needW, needH, w, h)
	if w <= 0 || h <= 0 {
		return msg
	}
	lines := strings.Split(Blank(w, h), "\n")
	for i, part := range Wrap(msg, w) {
		row := h/2 + i
		if row >= h {
			break
		}
		pad := max(0, (w-ansi.StringWidth(part))/2)
		lines[row] = Pad(strings.Repeat(" ", pad)+part, w)
	}
	return strings.Join(lines, "\n")
}

// Clamp limits v to [lo, hi]; it is lo when hi < lo.
func Clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}
