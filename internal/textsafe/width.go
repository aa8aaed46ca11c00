package textsafe

import (
	"strings"

	"github.com/rivo/uniseg"
)

// ellipsis ends a truncated string.
const ellipsis = "…"

// Width is the number of terminal cells escaped text takes: an escape
// takes one a character, a grapheme cluster its display width (two for
// East Asian wide characters and most emoji).
func Width(s string) int {
	w := 0
	for s != "" {
		tok, n := token(s)
		if tok[0] == '\\' {
			w += n
		} else {
			w += uniseg.StringWidth(tok)
		}
		s = s[n:]
	}
	return w
}

// Truncate cuts escaped text (the output of [Line]) to at most width
// cells, ending it with "…" when it cut anything. It cuts between grapheme
// clusters and never inside an escape, so the result is still safe and
// unescapes (without the "…") to a prefix of the original. A width below 1
// gives "".
func Truncate(s string, width int) string {
	if width < 1 {
		return ""
	}
	if Width(s) <= width {
		return s
	}
	room := width - 1 // for the ellipsis
	var b strings.Builder
	for s != "" && room > 0 {
		tok, n := token(s)
		if tok[0] == '\\' {
			if n > room {
				break
			}
			b.WriteString(tok)
			room -= n
			s = s[n:]
			continue
		}
		state := -1
		for tok != "" {
			cluster, rest, w, next := uniseg.FirstGraphemeClusterInString(tok, state)
			if w > room {
				room = 0
				break
			}
			b.WriteString(cluster)
			room -= w
			tok, state = rest, next
		}
		if room > 0 {
			s = s[n:]
		}
	}
	return b.String() + ellipsis
}
