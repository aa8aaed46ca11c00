package details

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/ui/common"
)

// labelWidth fits the longest label ("Uncompressed") and a space.
const labelWidth = 13

// field renders "Label  value", the value wrapped under itself when it
// is wider than the pane; on a pane too narrow for the label column the
// value goes on the lines below the label.
func field(st common.Styles, label, value string, width int) []string {
	return styledField(st, st.Label.Render(common.Pad(label, labelWidth)), value, width)
}

func styledField(st common.Styles, label, value string, width int) []string {
	if width-labelWidth < 12 {
		return append([]string{label}, wrap(value, width)...)
	}
	var out []string
	for i, l := range wrap(value, width-labelWidth) {
		if i == 0 {
			out = append(out, label+l)
		} else {
			out = append(out, strings.Repeat(" ", labelWidth)+l)
		}
	}
	return out
}

// wrap breaks text into lines of at most width cells at spaces, and
// inside a word only when the word alone is wider than a line. It never
// breaks at hyphens, which in a command would read as a space. The text's
// own line breaks are kept.
func wrap(text string, width int) []string {
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

// bytes is a size as a person reads it and exactly: "1.2 MB (1,234,567 bytes)".
func bytes(n int64) string {
	return humanize.Bytes(uint64(max(0, n))) + " (" + humanize.Comma(n) + " bytes)"
}

// orDash shows a missing value.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
