package textsafe

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mode says which characters a function escapes and how it treats
// backslashes.
type mode struct {
	oneLine   bool // escape LF and TAB too
	backslash bool // double a backslash where it could start an escape
}

// Line returns s written for one line of a terminal or a text report:
// control characters (LF, CR and TAB included), C1 controls, format
// characters (bidi controls, zero-width characters), the line and
// paragraph separators and invalid UTF-8 bytes are escaped, and a
// backslash that could start an escape is doubled. The result holds no LF
// or CR, is valid UTF-8, and [Unescape] turns it back into s.
func Line(s string) string { return escape(s, mode{oneLine: true, backslash: true}) }

// Text is [Line] for text that may span lines, such as a history command
// shown in a pane of its own: LF and TAB are kept, everything else Line
// escapes is escaped the same way. CR is escaped.
func Text(s string) string { return escape(s, mode{backslash: true}) }

// Message makes a whole message one safe line: it escapes what [Line]
// escapes but leaves every backslash as it is. Use it over a message whose
// parts from an image were escaped with Line already (the one error line
// strata prints); on such text it changes nothing, and on anything else it
// still removes every control character. It is idempotent, but unlike
// Line it is not reversible.
func Message(s string) string { return escape(s, mode{oneLine: true}) }

// Safe says whether [Line] would return s unchanged: s is valid UTF-8,
// holds no character Line escapes and no backslash Line would double.
func Safe(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f || b == '\\' || b >= utf8.RuneSelf {
			return escape(s, mode{oneLine: true, backslash: true}) == s
		}
	}
	return true
}

// quick says whether s needs no work in mode m: printable ASCII only, and
// no backslash where backslashes matter.
func quick(s string, m mode) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= utf8.RuneSelf, b == 0x7f:
			return false
		case b < 0x20 && (m.oneLine || b != '\n' && b != '\t'):
			return false
		case b == '\\' && m.backslash:
			return false
		}
	}
	return true
}

func escape(s string, m mode) string {
	if quick(s, m) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\' && m.backslash:
			b.WriteByte('\\')
			if backslashNeedsDoubling(s[i+1:], m) {
				b.WriteByte('\\')
			}
		case escaped(r, m.oneLine):
			writeEscape(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// backslashNeedsDoubling says whether a backslash followed by rest could be
// read as the start of an escape once written.
func backslashNeedsDoubling(rest string, m mode) bool {
	if rest == "" {
		return true
	}
	r, size := utf8.DecodeRuneInString(rest)
	if r == utf8.RuneError && size == 1 {
		return true // written as \xHH
	}
	if escaped(r, m.oneLine) {
		return true
	}
	return strings.ContainsRune(`\xuUtnr`, r)
}

// escaped says whether r is written as an escape.
func escaped(r rune, oneLine bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return oneLine
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0x80:
		return false
	case r <= 0x9f:
		return true // C1
	case r == 0x2028 || r == 0x2029:
		return true // line and paragraph separators
	}
	return unicode.Is(unicode.Cf, r)
}

func writeEscape(b *strings.Builder, r rune) {
	switch {
	case r == '\t':
		b.WriteString(`\t`)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r < 0x80:
		fmt.Fprintf(b, `\x%02x`, r)
	case r <= 0xffff:
		fmt.Fprintf(b, `\u%04x`, r)
	default:
		fmt.Fprintf(b, `\U%08x`, r)
	}
}

// ErrMalformed says a string is not the output of [Line] or [Text].
var ErrMalformed = errors.New("malformed escape")

// Unescape turns the output of [Line] or [Text] back into the original
// string: Unescape(Line(s)) == s for every s. A backslash that does not
// start an escape (\\, \t, \n, \r, \xHH, \uHHHH, \UHHHHHHHH) stands for
// itself.
func Unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		tok, n := token(s[i:])
		if tok[0] != '\\' || n == 1 {
			b.WriteString(tok)
			i += n
			continue
		}
		switch tok[1] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u', 'U':
			if len(tok) != escapeLen(tok[1]) {
				return "", fmt.Errorf("%w at byte %d: %q", ErrMalformed, i, tok)
			}
			v, err := strconv.ParseUint(tok[2:], 16, 32)
			if err != nil {
				return "", fmt.Errorf("%w at byte %d: %q", ErrMalformed, i, tok)
			}
			if tok[1] == 'x' {
				b.WriteByte(byte(v))
			} else {
				b.WriteRune(rune(v))
			}
		}
		i += n
	}
	return b.String(), nil
}

// escapeLen is the length of an escape that carries hex digits: \xHH,
// \uHHHH or \UHHHHHHHH.
func escapeLen(c byte) int {
	switch c {
	case 'x':
		return 4
	case 'u':
		return 6
	}
	return 10
}

// token returns the first token of escaped text and its length in bytes:
// an escape, a lone backslash, or the text up to the next backslash. An
// escape whose digits are missing is returned as far as it goes.
func token(s string) (string, int) {
	if s[0] != '\\' {
		if i := strings.IndexByte(s, '\\'); i > 0 {
			return s[:i], i
		}
		return s, len(s)
	}
	if len(s) == 1 {
		return s, 1
	}
	switch c := s[1]; c {
	case '\\', 't', 'n', 'r':
		return s[:2], 2
	case 'x', 'u', 'U':
		n := 2
		for n < len(s) && n < escapeLen(c) && isHex(s[n]) {
			n++
		}
		return s[:n], n
	}
	return s[:1], 1
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// ShortDigest is a digest as strata prints it beside other figures: its
// algorithm and the first 12 hex digits ("sha256:0123456789ab"); anything
// that is not algorithm:hex is escaped with [Line], whole.
func ShortDigest(d string) string {
	if alg, hex, ok := strings.Cut(d, ":"); ok && len(hex) > 12 && Safe(alg) && isHexString(hex) {
		return alg + ":" + hex[:12]
	}
	return Line(d)
}

func isHexString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
