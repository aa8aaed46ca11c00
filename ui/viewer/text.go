package viewer

import "charm.land/lipgloss/v2"

// IsBinary says whether data, the first bytes of a file or all of it,
// shows as a hex dump rather than text: a NUL byte or invalid UTF-8 in its
// first 8 KB. truncated says that data stops before the file does.
func IsBinary(data []byte, truncated bool) bool { return isBinary(data, truncated) }

// TextLines renders text for the terminal the way the viewer does: split
// into lines, tabs expanded, everything unprintable escaped in style esc.
// It returns the lines and the widest one's width in cells.
func TextLines(data []byte, esc lipgloss.Style) ([]string, int) { return textLines(data, esc) }
