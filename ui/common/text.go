package common

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/strata-dev/strata/internal/textsafe"
)

// Every string that comes from an image — a path, a link target, a
// command, a config field — goes through Safe, Truncate, TruncateLeft or
// Wrap before it is drawn, and every error text that may quote one
// through Message or TruncateMessage: they escape with internal/textsafe,
// each string once.

// maxScan bounds how much of a string Truncate and TruncateLeft look at
// per cell of the width asked for: a character takes at most 4 bytes, so
// this is always enough for the cells drawn, and a path of megabytes costs
// no more than a short one.
const maxScan = 8

// Safe is a string from an image escaped for one line: control
// characters (C0, DEL, C1), invisible format characters (bidi overrides,
// zero widths), line and paragraph separators, tabs and invalid UTF-8 come
// out as visible escapes (\x1b, \u202e, \xff); see textsafe.Line.
func Safe(s string) string { return textsafe.Line(s) }

// Message makes a message safe for one line, such as an error's text
// whose parts from an image may be escaped already: see textsafe.Message.
func Message(s string) string { return textsafe.Message(s) }

// Truncate is Safe(s) cut to at most width cells, ending in "…" when cut;
// an escape is never split. It reads no more of s than width needs.
func Truncate(s string, width int) string { return truncate(s, width, textsafe.Line) }

// TruncateMessage is Message(s) cut to at most width cells.
func TruncateMessage(s string, width int) string { return truncate(s, width, textsafe.Message) }

func truncate(s string, width int, escape func(string) string) string {
	if width < 1 {
		return ""
	}
	raw, cut := head(s, width*maxScan+maxScan)
	out := textsafe.Truncate(escape(raw), width)
	if cut && !strings.HasSuffix(out, "…") {
		// What was read fits: say that there is more.
		if out = textsafe.Truncate(out, width-1); !strings.HasSuffix(out, "…") {
			out += "…"
		}
	}
	return out
}

// head is the first n bytes of s, or fewer to end between characters, and
// whether that cut anything.
func head(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

// TruncateLeft is Safe(s) cut at the start to at most width cells, so
// that its end shows: "…/lib/x86_64-linux-gnu/libc.so.6". It reads no more
// of s than width needs, and never splits an escape.
func TruncateLeft(s string, width int) string {
	if width < 1 {
		return ""
	}
	n := len(s) - min(len(s), width*maxScan+maxScan)
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n++
	}
	esc := textsafe.Line(s[n:])
	if n == 0 && textsafe.Width(esc) <= width {
		return esc
	}
	// Drop whole tokens from the left until the rest and "…" fit.
	for esc != "" && textsafe.Width(esc) > width-1 {
		esc = esc[tokenLen(esc):]
	}
	return "…" + esc
}

// tokenLen is the length of the first token of escaped text: an escape,
// or a grapheme cluster.
func tokenLen(s string) int {
	if s[0] == '\\' && len(s) > 1 {
		switch s[1] {
		case '\\', 't', 'n', 'r':
			return 2
		case 'x':
			return min(len(s), 4)
		case 'u':
			return min(len(s), 6)
		case 'U':
			return min(len(s), 10)
		}
		return 1
	}
	cluster, _, _, _ := uniseg.FirstGraphemeClusterInString(s, -1)
	return len(cluster)
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

// Wrap makes lines of at most width cells of text from an image, each
// word escaped (Safe), broken at spaces, and inside a word only when the
// word alone is wider than a line, between escapes; never at hyphens,
// which in a command would read as a space. The text's own line breaks
// are kept.
func Wrap(text string, width int) []string { return wrap(text, width, textsafe.Line) }

// WrapMessage is Wrap for a message, such as an error's text: its words
// are escaped with Message.
func WrapMessage(text string, width int) []string { return wrap(text, width, textsafe.Message) }

func wrap(text string, width int, escape func(string) string) []string {
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
			w = escape(w)
			ww := textsafe.Width(w)
			if lw > 0 && lw+1+ww <= width {
				line, lw = line+" "+w, lw+1+ww
				continue
			}
			if lw > 0 {
				flush()
			}
			for ww > width {
				// The widest head of the word that fits, cut between
				// escapes and characters.
				cut, cw := 0, 0
				for cut < len(w) {
					n := tokenLen(w[cut:])
					tw := textsafe.Width(w[cut : cut+n])
					if cw+tw > width {
						break
					}
					cut, cw = cut+n, cw+tw
				}
				if cut == 0 {
					cut = tokenLen(w)
				}
				out = append(out, w[:cut])
				w = w[cut:]
				ww = textsafe.Width(w)
			}
			line, lw = w, ww
		}
		if lw > 0 {
			flush()
		}
	}
	return out
}
