// Package textsafe makes strings that come from an image (file names,
// history commands, config fields, tags, tar member names) safe to write to
// a terminal or a text report, and cuts them to a display width.
//
// # What is escaped
//
// An image can hold any bytes in a name or a command. Written raw, they can
// move the cursor, recolour or hide text (ESC[8m), make a hyperlink (OSC 8),
// rewrite a line (CR), forge a line of CI output (LF), reorder what is shown
// (bidi overrides) or hide characters (zero-width). [Line] and [Text] write
// these as escapes instead:
//
//   - C0 controls and DEL: \t, \n, \r, and \xHH for the others (\x1b, \x7f).
//     [Text] keeps LF and TAB as they are; [Line] escapes them too and always
//     returns one line. CR is always escaped.
//   - C1 controls (U+0080–U+009F): \u0085, \u009b.
//   - Format characters (Unicode category Cf), which are invisible: the bidi
//     controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), the
//     zero-width characters (U+200B–U+200D, U+2060, U+FEFF), soft hyphen, tag
//     characters and the rest of Cf: \u202e, \U000e0041.
//   - The line and paragraph separators U+2028 and U+2029: \u2028.
//   - Bytes that are not valid UTF-8: \xHH with HH ≥ 80 (\xff). A C1 control
//     is a valid rune and is written \u00HH, so \x9b (a stray byte) and
//     \u009b (the rune) stay apart.
//
// Everything else, including all printable non-ASCII text, is kept.
//
// # Backslashes
//
// The escaping is unambiguous: [Unescape] turns the output back into the
// exact input, so a name that holds the text `\x1b` never looks like one
// that holds ESC. A backslash is doubled (`\\`) only where it could be read
// as the start of an escape: before another backslash, before one of the
// letters x, u, U, t, n, r, before a character that is itself escaped, and
// at the end of the string. Any other backslash is kept as it is, so that
// shell commands (`make \ && install`) and Windows paths stay readable.
//
// Because of that rule, Line and Text are not idempotent: escaping escaped
// text doubles backslashes again. Escape each string from an image exactly
// once, where it is put into a message or a line of a report. As a last
// line of defence over a whole message made of parts already escaped (the
// one line strata prints on stderr), use [Message]: it escapes what is
// unsafe the same way but leaves backslashes alone, so applying it to
// escaped text changes nothing.
//
// # Widths
//
// [Width] and [Truncate] measure escaped text in terminal cells (East Asian
// wide characters count two, combining marks none). Truncate cuts only
// between grapheme clusters and never inside an escape, so the cut text is
// still safe and still unescapes to a prefix of the original.
//
// JSON output keeps the exact bytes and must not use this package.
package textsafe
