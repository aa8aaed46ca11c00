package viewer

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

const (
	// sniffSize is how much of a file decides between text and hex.
	sniffSize = 8 << 10
	tabWidth  = 8
	// hexWidth is the width of a hex dump line: offset, 16 bytes, ASCII.
	hexWidth = 10 + 16*3 + 1 + 1 + 18
)

// isBinary says whether a file shows as a hex dump: a NUL byte or invalid
// UTF-8 in its first 8 KB. cut says that data stops before the file does,
// so that a character cut in two at the end does not count as invalid.
func isBinary(data []byte, cut bool) bool {
	head := data[:min(len(data), sniffSize)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	if utf8.Valid(head) {
		return false
	}
	if cut || len(data) > sniffSize {
		for range utf8.UTFMax - 1 {
			if len(head) == 0 {
				break
			}
			head = head[:len(head)-1]
			if utf8.Valid(head) {
				return false
			}
		}
	}
	return true
}

// textLines renders a text file's lines for the terminal: tabs expanded,
// everything that is not printable escaped in style esc. It returns the
// lines and the widest one's width in cells.
func textLines(data []byte, esc lipgloss.Style) ([]string, int) {
	data = bytes.TrimSuffix(data, []byte("\n"))
	var lines []string
	widest := 0
	for raw := range bytes.SplitSeq(data, []byte("\n")) {
		line, w := renderLine(bytes.TrimSuffix(raw, []byte("\r")), esc)
		lines = append(lines, line)
		widest = max(widest, w)
	}
	return lines, widest
}

// renderLine renders one line and returns it with its width in cells.
func renderLine(s []byte, esc lipgloss.Style) (string, int) {
	var b strings.Builder
	col := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case r == utf8.RuneError && size == 1:
			e := fmt.Sprintf(`\x%02x`, s[0])
			b.WriteString(esc.Render(e))
			col += len(e)
		case unprintable(r):
			e := escapeRune(r)
			b.WriteString(esc.Render(e))
			col += len(e)
		default:
			b.Write(s[:size])
			col += ansi.StringWidth(string(s[:size]))
		}
		s = s[size:]
	}
	return b.String(), col
}

// unprintable says whether a character must not reach the terminal as it
// is: controls (C0, DEL, C1), invisible format characters such as bidi
// overrides and zero widths, and line or paragraph separators.
func unprintable(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}

func escapeRune(r rune) string {
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// escapeString makes any string, a path or an error, safe to print on one
// line: tabs and everything unprintable or invalid come out escaped.
func escapeString(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' || unprintable(r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// hexLine renders the 16 bytes of data at off the way hexdump -C does.
func hexLine(data []byte, off int) string {
	var b strings.Builder
	b.Grow(hexWidth)
	fmt.Fprintf(&b, "%08x  ", off)
	for i := range 16 {
		if i == 8 {
			b.WriteByte(' ')
		}
		if off+i < len(data) {
			fmt.Fprintf(&b, "%02x ", data[off+i])
		} else {
			b.WriteString("   ")
		}
	}
	b.WriteString(" |")
	for _, c := range data[off:min(off+16, len(data))] {
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		b.WriteByte(c)
	}
	b.WriteByte('|')
	return b.String()
}
