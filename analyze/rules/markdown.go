package rules

import (
	"fmt"
	"io"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/internal/textsafe"
)

// WriteMarkdown writes the CI result as Markdown for a pull request
// comment or a job summary: a headline, the rules in a table, and the
// findings in a table, largest first. Strings from the image are escaped
// for the terminal and for Markdown, so that none can inject markup.
func WriteMarkdown(w io.Writer, ref string, r Report, fs []findings.Finding) error {
	var b strings.Builder
	verdict := "✅ passed"
	if !r.Passed() {
		verdict = "❌ failed"
	}
	p, f, s := r.Counts()
	fmt.Fprintf(&b, "### strata: %s %s\n\n", mdCode(ref), verdict)
	fmt.Fprintf(&b, "%d passed, %d failed, %d skipped.\n\n", p, f, s)
	b.WriteString("| rule | result | value | threshold |\n| --- | --- | --- | --- |\n")
	for _, res := range r.Results {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", res.Name, res.Status, mdText(res.Value), mdText(res.Threshold))
	}
	if len(fs) > 0 {
		b.WriteString("\n#### Findings\n\n| severity | bytes | finding | fix |\n| --- | ---: | --- | --- |\n")
		for _, f := range fs {
			size := "–"
			if f.Bytes > 0 {
				size = humanize.Bytes(uint64(f.Bytes))
			}
			fmt.Fprintf(&b, "| %s | %s | `%s`: %s | %s |\n", f.Severity, size, f.ID, mdText(f.Title), mdText(f.Fix))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdText makes text from an image safe in a Markdown table cell: escaped
// for a terminal, one line, with Markdown's and HTML's active characters
// escaped.
func mdText(s string) string {
	s = textsafe.Line(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '|', '*', '_', '[', ']', '<', '>', '#', '!', '`', '~', '&':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode shows text as inline code, with backticks in it replaced.
func mdCode(s string) string {
	return "`" + strings.ReplaceAll(textsafe.Line(s), "`", "'") + "`"
}
