package viewer

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/ui/common"
)

const (
	// sniffSize is how much of a file decides between text and hex.
	sniffSize = 8 << 10
	tabWidth  = 8
)

// IsBinary says whether data, the first bytes of a file or all of it,
// shows as a hex dump rather than text: a NUL byte or invalid UTF-8 in its
// first 8 KB. truncated says that data stops before the file does, so
// that a character cut in two at the end does not count as invalid.
func IsBinary(data []byte, truncated bool) bool {
	head := data[:min(len(data), sniffSize)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	if utf8.Valid(head) {
		return false
	}
	if truncated || len(data) > sniffSize {
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

// TextLines renders text for the terminal: split into lines, tabs
// expanded, everything unprintable or invalid escaped. The lines hold no
// styles, so that they can be searched.
func TextLines(data []byte) []string {
	data = bytes.TrimSuffix(data, []byte("\n"))
	var lines []string
	for raw := range bytes.SplitSeq(data, []byte("\n")) {
		lines = append(lines, renderLine(bytes.TrimSuffix(raw, []byte("\r"))))
	}
	return lines
}

// renderLine renders one line: tabs to the next stop, the rest as Safe.
func renderLine(s []byte) string {
	if bytes.IndexByte(s, '\t') < 0 {
		return common.Safe(string(s))
	}
	var b strings.Builder
	col := 0
	for i, part := range bytes.Split(s, []byte("\t")) {
		if i > 0 {
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
		}
		p := common.Safe(string(part))
		b.WriteString(p)
		col += ansi.StringWidth(p)
	}
	return b.String()
}

// hexLines renders data the way hexdump -C does, 16 bytes a line.
func hexLines(data []byte) []string {
	const digits = "0123456789abcdef"
	lines := make([]string, 0, (len(data)+15)/16)
	buf := make([]byte, 0, 80)
	for off := 0; off < len(data); off += 16 {
		buf = buf[:0]
		for shift := 28; shift >= 0; shift -= 4 {
			buf = append(buf, digits[off>>shift&0xf])
		}
		buf = append(buf, ' ', ' ')
		for i := range 16 {
			if i == 8 {
				buf = append(buf, ' ')
			}
			if off+i < len(data) {
				c := data[off+i]
				buf = append(buf, digits[c>>4], digits[c&0xf], ' ')
			} else {
				buf = append(buf, ' ', ' ', ' ')
			}
		}
		buf = append(buf, ' ', '|')
		for _, c := range data[off:min(off+16, len(data))] {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			buf = append(buf, c)
		}
		buf = append(buf, '|')
		lines = append(lines, string(buf))
	}
	return lines
}
