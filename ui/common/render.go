package common

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Pad cuts or pads a line to exactly width cells.
func Pad(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", width-w)
}

// Frame draws a pane: a border with the title in its top edge around
// exactly height lines of content, each padded to width. The outer size is
// (width+2) × (height+2).
func Frame(st Styles, title string, focused bool, width, height int, lines []string) string {
	style, titleStyle := st.Pane, st.Title
	if focused {
		style, titleStyle = st.FocusedPane, st.FocusedTitle
	}
	body := make([]string, height)
	for i := range body {
		if i < len(lines) {
			body[i] = Pad(lines[i], width)
		} else {
			body[i] = strings.Repeat(" ", max(0, width))
		}
	}
	box := style.Width(width + 2).Height(height + 2).Render(strings.Join(body, "\n"))
	if title == "" || width < 4 {
		return box
	}
	// Put the title into the top border, after the corner.
	first, rest, _ := strings.Cut(box, "\n")
	t := titleStyle.Render(" " + ansi.Truncate(title, width-2, "…") + " ")
	tw := lipgloss.Width(t)
	edge := ansi.Cut(first, 0, 1) + t + ansi.Cut(first, 1+tw, width+2)
	return edge + "\n" + rest
}

// Blank fills a pane too small for a border: w×h spaces.
func Blank(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat(strings.Repeat(" ", w)+"\n", h), "\n")
}

// ScrollWindow returns the first row to show so that cursor stays within a
// window of height rows, moving the window as little as possible.
func ScrollWindow(offset, cursor, height, total int) int {
	if height <= 0 {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+height {
		offset = cursor - height + 1
	}
	if offset > total-height {
		offset = total - height
	}
	return max(0, offset)
}

// ScrollBar returns, for each of height rows, the bar character to draw
// for a window of height rows at offset into total rows.
func ScrollBar(offset, height, total int) []string {
	bar := make([]string, height)
	if total <= height || height <= 0 {
		for i := range bar {
			bar[i] = " "
		}
		return bar
	}
	size := max(1, height*height/total)
	pos := (height - size) * offset / max(1, total-height)
	for i := range bar {
		if i >= pos && i < pos+size {
			bar[i] = "┃"
		} else {
			bar[i] = "│"
		}
	}
	return bar
}

// Sanitize makes a name from an image safe to print: control characters
// and invalid UTF-8 become visible escapes, so they never reach the
// terminal raw.
func Sanitize(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || (r >= 0x80 && r < 0xa0) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}
