package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/internal/textsafe"
)

func TestSafeEscapesWhatATerminalWouldObey(t *testing.T) {
	for in, want := range map[string]string{
		"plain/path":               "plain/path",
		"héllo wörld":              "héllo wörld",
		"a\x1b[2Jb":                `a\x1b[2Jb`,
		"Result: PASS\r\nforged":   `Result: PASS\r\nforged`,
		"\x1b[8mhidden\x1b[0m":     `\x1b[8mhidden\x1b[0m`,
		"\x1b]8;;http://x\x07link": `\x1b]8;;http://x\x07link`,
		"bidi\u202eevil":           `bidi\u202eevil`,
		"zero\u200bwidth":          `zero\u200bwidth`,
		"c1\u009bcsi":              `c1\u009bcsi`,
		"tab\there":                `tab\there`,
		"bad\xffutf8":              `bad\xffutf8`,
		"line\u2028separator":      `line\u2028separator`,
		"del\x7f":                  `del\x7f`,
	} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
		if back, err := textsafe.Unescape(Safe(in)); err != nil || back != in {
			t.Errorf("Safe(%q) does not unescape to it: %q, %v", in, back, err)
		}
		if Message(Safe(in)) != Safe(in) {
			t.Errorf("Message changed what Safe escaped: %q", Safe(in))
		}
	}
}

func TestTruncateNeverSplitsAnEscape(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven cells", 10, "eleven ce…"},
		{"ab\x1bcd", 5, `ab…`},      // \x1b takes 4 cells: it goes whole or not at all
		{"ab\x1bcd", 7, `ab\x1b…`},  // 2 + 4 + the ellipsis
		{"ab\x1bcd", 8, `ab\x1bcd`}, // all of it
		{"日本語テキスト", 7, "日本語…"},
		{"x", 0, ""},
	} {
		got := Truncate(tc.in, tc.width)
		if got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
		if w := ansi.StringWidth(got); w > tc.width {
			t.Errorf("Truncate(%q, %d) is %d cells wide", tc.in, tc.width, w)
		}
	}
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"/usr/lib/libc.so.6", 30, "/usr/lib/libc.so.6"},
		{"/usr/lib/x86_64-linux-gnu/libc.so.6", 15, "…-gnu/libc.so.6"},
		{"/a\x1b/b", 5, `…/b`},
		{"/a\x1b/b", 7, `…\x1b/b`},
		{"/a\x1b/b", 8, `/a\x1b/b`},
	} {
		got := TruncateLeft(tc.in, tc.width)
		if got != tc.want {
			t.Errorf("TruncateLeft(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
		if w := ansi.StringWidth(got); w > tc.width {
			t.Errorf("TruncateLeft(%q, %d) is %d cells wide", tc.in, tc.width, w)
		}
	}
}

// A name of megabytes costs no more to cut than a short one: only what
// the width needs is read.
func TestTruncateReadsOnlyWhatItShows(t *testing.T) {
	huge := strings.Repeat("a/", 400_000) + "file"
	allocs := testing.AllocsPerRun(10, func() { _ = Truncate(huge, 40) })
	if got := Truncate(huge, 40); ansi.StringWidth(got) != 40 || !strings.HasSuffix(got, "…") {
		t.Errorf("Truncate of a huge path gave %q", got)
	}
	if got := TruncateLeft(huge, 40); !strings.HasSuffix(got, "a/file") || ansi.StringWidth(got) != 40 {
		t.Errorf("TruncateLeft of a huge path gave %q", got)
	}
	if allocs > 200 {
		t.Errorf("Truncate of a huge path made %.0f allocations", allocs)
	}
}

func TestWrapKeepsWordsAndEscapes(t *testing.T) {
	got := Wrap("apt-get install -y curl ca-certificates\x1b[2J", 16)
	want := []string{"apt-get install", "-y curl", "ca-certificates", `\x1b[2J`} // an escape is not split
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
	if Wrap("x", 0) != nil {
		t.Error("Wrap at width 0 made lines")
	}
}

func TestBlankAndPad(t *testing.T) {
	if got := Blank(3, 2); got != "   \n   " {
		t.Errorf("Blank(3, 2) = %q", got)
	}
	if Blank(0, 2) != "" || Blank(2, 0) != "" {
		t.Error("an empty pane is not empty")
	}
	if got := Pad("abcdef", 4); got != "abc…" {
		t.Errorf("Pad cut to %q", got)
	}
	if got := Pad("ab", 4); got != "ab  " {
		t.Errorf("Pad filled to %q", got)
	}
}
