package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSanitize checks the promises of the package on any string:
//   - Line, Text and Message give valid UTF-8 holding no character they
//     escape (control, C1, format, line separator); Line and Message hold no
//     LF or CR, Text no CR;
//   - Unescape(Line(s)) == s and Unescape(Text(s)) == s (the escaping is
//     unambiguous), and Safe(s) says whether Line(s) == s;
//   - Message is idempotent and leaves the output of Line as it is;
//   - Truncate(Line(s), w) is at most w cells wide, is Line(s) itself when
//     that fits, and otherwise a whole-token prefix of it plus "…" that
//     unescapes to a prefix of s.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "plain", "a\x1b[8mb", "\r\n\t", "\xff\xfe", "\u202e\u200b\ufeff", "\u009b", `\x1b`, `\`, `\\`,
		"\\\n", "日本語 e\u0301 🙂", "\U000E0041\u2028",
	} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		width %= 1 << 12
		line, text, msg := Line(s), Text(s), Message(s)
		for name, out := range map[string]string{"Line": line, "Text": text, "Message": msg} {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q is not valid UTF-8", name, s, out)
			}
			for _, r := range out {
				if escaped(r, name != "Text") {
					t.Fatalf("%s(%q) = %q holds %U", name, s, out, r)
				}
			}
		}
		if strings.ContainsAny(line, "\r\n") || strings.ContainsAny(msg, "\r\n") || strings.Contains(text, "\r") {
			t.Fatalf("a line break survived: Line %q, Message %q, Text %q", line, msg, text)
		}
		for name, out := range map[string]string{"Line": line, "Text": text} {
			back, err := Unescape(out)
			if err != nil || back != s {
				t.Fatalf("Unescape(%s(%q)) = %q, %v", name, s, back, err)
			}
		}
		if Safe(s) != (line == s) {
			t.Fatalf("Safe(%q) = %v, but Line gives %q", s, Safe(s), line)
		}
		if Message(msg) != msg || Message(line) != line {
			t.Fatalf("Message changed escaped text: %q → %q, %q → %q", msg, Message(msg), line, Message(line))
		}
		cut := Truncate(line, width)
		switch {
		case width < 1:
			if cut != "" {
				t.Fatalf("Truncate(%q, %d) = %q", line, width, cut)
			}
		case Width(line) <= width:
			if cut != line {
				t.Fatalf("Truncate(%q, %d) = %q though it fits", line, width, cut)
			}
		default:
			prefix, ok := strings.CutSuffix(cut, ellipsis)
			if !ok || !strings.HasPrefix(line, prefix) || Width(cut) > width {
				t.Fatalf("Truncate(%q, %d) = %q (%d cells)", line, width, cut, Width(cut))
			}
			back, err := Unescape(prefix)
			if err != nil || !strings.HasPrefix(s, back) {
				t.Fatalf("Truncate(%q, %d) = %q unescapes to %q, %v", line, width, cut, back, err)
			}
		}
	})
}
