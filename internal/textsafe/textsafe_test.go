package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain/path.txt", "plain/path.txt"},
		{"", ""},
		{"a\x1b[8mhidden\x1b[0m", `a\x1b[8mhidden\x1b[0m`},
		{"ok\rResult: PASS", `ok\rResult: PASS`},
		{"two\nlines\tand a tab", `two\nlines\tand a tab`},
		{"\x1b]8;;http://evil\x07link\x1b]8;;\x07", `\x1b]8;;http://evil\x07link\x1b]8;;\x07`},
		{"del\x7f", `del\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bad \xff\xfe byte", `bad \xff\xfe byte`},
		{"stray \x9b byte", `stray \x9b byte`},
		{"rlo \u202egnp.exe", `rlo \u202egnp.exe`},
		{"bidi \u2066\u2067\u2068\u2069\u200e\u200f\u061c", `bidi \u2066\u2067\u2068\u2069\u200e\u200f\u061c`},
		{"zw \u200b\u200c\u200d\u2060\ufeff", `zw \u200b\u200c\u200d\u2060\ufeff`},
		{"tag \U000E0041", `tag \U000e0041`},
		{"ls \u2028 ps \u2029", `ls \u2028 ps \u2029`},
		{"ünïcödé 日本語 🙂", "ünïcödé 日本語 🙂"},
		// Backslashes: doubled only where they could start an escape.
		{`make \ && install`, `make \ && install`},
		{`C:\Windows\system32`, `C:\Windows\system32`},
		{`C:\Users\tmp`, `C:\\Users\\tmp`},
		{`forged \x1b`, `forged \\x1b`},
		{`forged \u202e`, `forged \\u202e`},
		{`two \\ backslashes`, `two \\\ backslashes`},
		{`trailing \`, `trailing \\`},
		{"before LF \\\nnext", `before LF \\\nnext`},
		{"before ESC \\\x1b", `before ESC \\\x1b`},
	} {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := Unescape(Line(tt.in)); err != nil || back != tt.in {
			t.Errorf("Unescape(Line(%q)) = %q, %v", tt.in, back, err)
		}
		if got := Safe(tt.in); got != (tt.in == tt.want) {
			t.Errorf("Safe(%q) = %v", tt.in, got)
		}
	}
}

func TestText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"RUN a && \\\n    b\tc", "RUN a && \\\n    b\tc"},
		{"ok\r\nfake", "ok\\r\nfake"},
		{"esc \x1b[2J", `esc \x1b[2J`},
		{`literal \n`, `literal \\n`},
	} {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := Unescape(Text(tt.in)); err != nil || back != tt.in {
			t.Errorf("Unescape(Text(%q)) = %q, %v", tt.in, back, err)
		}
	}
}

func TestMessage(t *testing.T) {
	part := Line("evil\x1b[31m\\x1b")
	msg := "reading " + part + ": boom\nsecond line\r"
	got := Message(msg)
	want := `reading evil\x1b[31m\\x1b: boom\nsecond line\r`
	if got != want {
		t.Errorf("Message(%q) = %q, want %q", msg, got, want)
	}
	if again := Message(got); again != got {
		t.Errorf("Message is not idempotent: %q then %q", got, again)
	}
}

func TestUnescapeMalformed(t *testing.T) {
	for _, s := range []string{`\x1`, `\xzz`, `\u12`, `\U0000004`} {
		if _, err := Unescape(s); err == nil {
			t.Errorf("Unescape(%q) gave no error", s)
		}
	}
	if got, err := Unescape(`a\b`); err != nil || got != `a\b` {
		t.Errorf(`Unescape("a\\b") = %q, %v`, got, err)
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a bit too long", 10, "a bit too…"},
		{"ab\x1b[31m", 4, "ab…"},                               // \x1b does not fit whole: not split
		{"ab\x1b[31m", 7, `ab\x1b…`},                           // it does
		{"日本語テキスト", 7, "日本語…"},                                 // wide characters: 2 cells each
		{"e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"}, // a cluster stays whole
		{`x\\y`, 2, "x…"},
		{"anything", 1, "…"},
		{"anything", 0, ""},
		{"anything", -3, ""},
	} {
		escaped := Line(tt.in)
		got := Truncate(escaped, tt.width)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", escaped, tt.width, got, tt.want)
		}
		if tt.width > 0 && Width(got) > tt.width {
			t.Errorf("Truncate(%q, %d) is %d wide", escaped, tt.width, Width(got))
		}
		if !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) = %q is not UTF-8", escaped, tt.width, got)
		}
		prefix := strings.TrimSuffix(got, ellipsis)
		if back, err := Unescape(prefix); err != nil || !strings.HasPrefix(tt.in, back) {
			t.Errorf("Truncate(%q, %d) = %q unescapes to %q, %v: not a prefix", escaped, tt.width, got, back, err)
		}
	}
}

func TestWidth(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"abc", 3}, {"日本", 4}, {Line("\x1b"), 4}, {Line(`\x`), 3}, {"🙂", 2}, {"e\u0301", 1},
	} {
		if got := Width(tt.in); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func BenchmarkLine(b *testing.B) {
	for _, bm := range []struct{ name, s string }{
		{"ascii", "usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"},
		{"escaped", "evil\x1b[8m\u202ename\xff"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				Line(bm.s)
			}
		})
	}
}

func TestShortDigest(t *testing.T) {
	for in, want := range map[string]string{
		"sha256:0123456789abcdef0123":    "sha256:0123456789ab",
		"sha256:0123":                    "sha256:0123",
		"sha256:0123456789abcdef\x1b[2J": "sha256:0123456789abcdef\\x1b[2J",
		"\u202esha256:0123456789abcdef":  "\\u202esha256:0123456789abcdef",
		"":                               "",
	} {
		if got := ShortDigest(in); got != want {
			t.Errorf("ShortDigest(%q) = %q, want %q", in, got, want)
		}
	}
}
