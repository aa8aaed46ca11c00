package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/textsafe"
)

// maxSummaryFiles bounds the inefficient files the text summary lists.
const maxSummaryFiles = 20

// writeSummary prints an analysis as plain text: the layers, the metrics,
// the largest inefficient files and the findings (with their paths when
// verbose).
func writeSummary(w io.Writer, meta report.Meta, res *analyze.Result, verbose bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Image: %s (%s, %s)\n\n", textsafe.Line(meta.Reference), meta.Source, textsafe.Line(meta.Platform))
	fmt.Fprintf(&b, "%5s  %9s  %7s  %s\n", "Layer", "Size", "Files", "Command")
	for _, l := range res.Layers {
		fmt.Fprintf(&b, "%5d  %9s  %7d  %s\n", l.Index, humanize.Bytes(uint64(l.Size)), l.Files, oneLine(findings.RedactCommand(tree.ShortCommand(l.CreatedBy)), 72))
	}
	m := res.Metrics
	fmt.Fprintf(&b, "\nTotal size:          %s (%d bytes)\n", humanize.Bytes(m.SizeBytes), m.SizeBytes)
	fmt.Fprintf(&b, "User size:           %s (%d bytes)\n", humanize.Bytes(m.UserSizeBytes), m.UserSizeBytes)
	fmt.Fprintf(&b, "Efficiency:          %.4f %%\n", m.Efficiency*100)
	fmt.Fprintf(&b, "Wasted bytes:        %s (%d bytes)\n", humanize.Bytes(m.WastedBytes), m.WastedBytes)
	fmt.Fprintf(&b, "User wasted:         %.4f %%\n", m.UserWastedPercent*100)
	fmt.Fprintf(&b, "Reclaimable bytes:   %s (%d bytes)\n", humanize.Bytes(m.ReclaimableBytes), m.ReclaimableBytes)
	writeSupply(&b, meta.Supply)
	if len(m.Inefficient) > 0 {
		fmt.Fprintf(&b, "\nInefficient files:\n")
		fmt.Fprintf(&b, "%5s  %9s  %s\n", "Count", "Wasted", "Path")
		for i, in := range m.Inefficient {
			if i == maxSummaryFiles {
				break
			}
			fmt.Fprintf(&b, "%5d  %9s  %s\n", in.Count, humanize.Bytes(uint64(in.SizeBytes)), textsafe.Line(in.Path))
		}
		if n := len(m.Inefficient) - maxSummaryFiles; n > 0 {
			fmt.Fprintf(&b, "… and %d more (all of them are in --json)\n", n)
		}
	}
	writeFindings(&b, meta.Findings, verbose)
	writePackages(&b, res, meta.Packages, verbose)
	_, err := io.WriteString(w, b.String())
	return err
}

// oneLine squeezes a string from an image onto one line of at most n
// cells, escaped for a terminal.
func oneLine(s string, n int) string {
	return textsafe.Truncate(textsafe.Line(strings.Join(strings.Fields(s), " ")), n)
}
