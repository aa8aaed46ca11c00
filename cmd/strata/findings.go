package main

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/internal/textsafe"
)

// writeFindings prints the findings, largest first, one line each: the
// severity, the bytes, the kind and the fix, which names the steps; with
// verbose, each one's paths under it.
func writeFindings(b *strings.Builder, fs []findings.Finding, verbose bool) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(b, "\nFindings (largest first; sizes uncompressed%s):\n", map[bool]string{false: "; -v lists paths", true: ""}[verbose])
	for _, f := range fs {
		size := "-"
		if f.Bytes > 0 {
			size = humanize.Bytes(uint64(f.Bytes))
		}
		fmt.Fprintf(b, "%-7s  %9s  %-17s  %s %s\n", f.Severity, size, f.ID, oneLine(f.Title, 120)+":", oneLine(f.Fix, 400))
		if !verbose {
			continue
		}
		for _, p := range f.Paths {
			line := fmt.Sprintf("%9s  %s (layer %d)", humanize.Bytes(uint64(p.Size)), textsafe.Line(p.Path), p.Layer)
			if p.Kind != "" {
				line += fmt.Sprintf(" %s, fingerprint %s", p.Kind, p.Fingerprint)
			}
			fmt.Fprintf(b, "%28s%s\n", "", line)
		}
		if n := f.PathCount - len(f.Paths); n > 0 {
			fmt.Fprintf(b, "%28s… and %d more\n", "", n)
		}
	}
}
