package common

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Every string that comes from an image — a path, a link target, a
// command, a config field, an error that quotes them — goes through Safe
// (or Truncate, TruncateLeft) before it is drawn. They are the one place
// to switch to internal/textsafe once it lands.

// maxScan bounds how much of a string Truncate and TruncateLeft look at
// per cell of the width asked for: a character takes at most 4 bytes and
// an escape at most 10 cells, so this is always enough for the cells
// drawn, and a path of megabytes costs no more than a short one.
const maxScan = 8

// Safe makes a string from an image safe to draw: control characters (C0,
// DEL, C1), invisible format characters (bidi overrides, zero widths),
// line and paragraph separators, tabs and invalid UTF-8 come out as
// visible escapes: \x1b, \u202e, \xff.
func Safe(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		tok, size := token(s[i:])
		b.WriteString(tok)
		i += size
	}
	return b.String()
}

// clean says whether s needs no escape.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return cleanSlow(s[i:])
		}
	}
	return true
}

func cleanSlow(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if Unprintable(r) {
			return false
		}
	}
	return true
}

// token is the first character of s as it is drawn, and its size in s.
func token(s string) (string, int) {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, s[0]), 1
	case Unprintable(r):
		return EscapeRune(r), size
	}
	return s[:size], size
}

// lastToken is the last character of s as it is drawn, and its size.
func lastToken(s string) (string, int) {
	r, size := utf8.DecodeLastRuneInString(s)
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, s[len(s)-1]), 1
	case Unprintable(r):
		return EscapeRune(r), size
	}
	return s[len(s)-size:], size
}

// Unprintable says whether a character must not reach the terminal as it
// is: controls (C0, DEL, C1, tab), invisible format characters such as
// bidi overrides and zero widths, and line or paragraph separators.
func Unprintable(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}

// EscapeRune is how an unprintable character is drawn.
func EscapeRune(r rune) string {
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// Truncate is Safe(s) cut to at most width cells, ending in "…" when cut;
// an escape is never split. It reads no more of s than width needs.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	var toks []string
	var widths []int
	used, i, limit := 0, 0, width*maxScan+maxScan
	for i < len(s) && i < limit {
		tok, size := token(s[i:])
		w := ansi.StringWidth(tok)
		if used+w > width {
			break
		}
		toks, widths = append(toks, tok), append(widths, w)
		used += w
		i += size
	}
	if i < len(s) {
		for used+1 > width && len(toks) > 0 {
			used -= widths[len(widths)-1]
			toks, widths = toks[:len(toks)-1], widths[:len(widths)-1]
		}
		toks = append(toks, "…")
	}
	return strings.Join(toks, "")
}

// TruncateLeft is Safe(s) cut at the start to at most width cells, so
// that its end shows: "…/lib/x86_64-linux-gnu/libc.so.6".
func TruncateLeft(s string, width int) string {
	if width <= 0 {
		return ""
	}
	var toks []string
	var widths []int
	used, i, limit := 0, len(s), width*maxScan+maxScan
	for i > 0 && len(s)-i < limit {
		tok, size := lastToken(s[:i])
		w := ansi.StringWidth(tok)
		if used+w > width {
			break
		}
		toks, widths = append(toks, tok), append(widths, w)
		used += w
		i -= size
	}
	if i > 0 {
		for used+1 > width && len(toks) > 0 {
			used -= widths[len(widths)-1]
			toks, widths = toks[:len(toks)-1], widths[:len(widths)-1]
		}
		toks = append(toks, "…")
	}
	var b strings.Builder
	for j := len(toks) - 1; j >= 0; j-- {
		b.WriteString(toks[j])
	}
	return b.String()
}

// Pad cuts or pads a line, which may hold styles, to exactly width cells.
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

// Blank is w×h spaces.
func Blank(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat(strings.Repeat(" ", w)+"\n", h), "\n")
}

// Wrap makes Safe(text) lines of at most width cells, broken at spaces,
// and inside a word only when the word alone is wider than a line; never
// at hyphens, which in a command would read as a space. The text's own
// line breaks are kept.
func Wrap(text string, width int) []string {
	if width <= 0 {
		return nil
	}
	text = strings.ReplaceAll(text, "\t", "    ")
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line, lw := "", 0
		flush := func() {
			out = append(out, line)
			line, lw = "", 0
		}
		words := strings.Fields(para)
		if len(words) == 0 {
			flush()
		}
		for _, w := range words {
			w = Safe(w)
			ww := ansi.StringWidth(w)
			if lw > 0 && lw+1+ww <= width {
				line, lw = line+" "+w, lw+1+ww
				continue
			}
			if lw > 0 {
				flush()
			}
			for ww > width {
				out = append(out, ansi.Cut(w, 0, width))
				w = ansi.Cut(w, width, ww)
				ww = ansi.StringWidth(w)
			}
			line, lw = w, ww
		}
		if lw > 0 {
			flush()
		}
	}
	return out
}
