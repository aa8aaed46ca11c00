package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/internal/textsafe"
)

// writeIndexText prints the index as text, every string from the image
// escaped.
func writeIndexText(w io.Writer, doc *indexDoc) error {
	var b strings.Builder
	what := "image manifest"
	switch {
	case strings.Contains(doc.MediaType, "index") || strings.Contains(doc.MediaType, "manifest.list"):
		what = "index"
	case doc.MediaType == "":
		what = "one image"
	}
	fmt.Fprintf(&b, "Index: %s (%s, %s", textsafe.Line(doc.Reference), doc.Source, what)
	if doc.Digest != "" {
		fmt.Fprintf(&b, " %s", textsafe.ShortDigest(doc.Digest))
	}
	fmt.Fprintf(&b, ", %d %s)\n\n", len(doc.Platforms), plural(len(doc.Platforms), "platform", "platforms"))
	fmt.Fprintf(&b, "%-22s  %10s  %12s  %6s  %10s  %-8s  %s\n", "Platform", "Compressed", "Uncompressed", "Layers", "Shared", "Attested", "Digest")
	for _, p := range doc.Platforms {
		layers := "?"
		if p.LayerCount != nil {
			layers = fmt.Sprint(*p.LayerCount)
		}
		attested := "no"
		if p.Attestation != "" {
			attested = "yes"
		}
		line := fmt.Sprintf("%-22s  %10s  %12s  %6s  %10s  %-8s  %s", oneLine(p.Platform, 22), size(p.CompressedSizeBytes), size(p.UncompressedSizeBytes),
			layers, humanize.Bytes(uint64(p.SharedSizeBytes)), attested, textsafe.ShortDigest(p.Digest))
		if p.Absent != "" {
			line += "  (absent: " + oneLine(p.Absent, 100) + ")"
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	if len(doc.SharedLayers) > 0 {
		var total int64
		for _, s := range doc.SharedLayers {
			total += s.SizeBytes
		}
		fmt.Fprintf(&b, "\nShared layers (%d, %s):\n", len(doc.SharedLayers), humanize.Bytes(uint64(total)))
		for _, s := range doc.SharedLayers {
			names := make([]string, len(s.Platforms))
			for i, n := range s.Platforms {
				names[i] = oneLine(n, 30)
			}
			fmt.Fprintf(&b, "  %s  %9s  %s\n", textsafe.ShortDigest(s.Digest), humanize.Bytes(uint64(s.SizeBytes)), strings.Join(names, ", "))
		}
	}
	if n := len(doc.Platforms); n == 1 {
		if doc.Pull.Known {
			fmt.Fprintf(&b, "\nPulling it: %s\n", humanize.Bytes(uint64(doc.Pull.AllBytes)))
		} else {
			b.WriteString("\nPulling it: unknown (not every size is known)\n")
		}
	} else if n > 1 {
		p := doc.Pull
		fmt.Fprintf(&b, "\nPulling all %d %s: %s (shared blobs once); each on its own: %s", n, plural(n, "platform", "platforms"),
			humanize.Bytes(uint64(p.AllBytes)), humanize.Bytes(uint64(p.SeparatelyBytes)))
		if !p.Known {
			b.WriteString(" (not every size is known)")
		}
		b.WriteString("\n")
		for i, one := range p.OnePlatformBytes {
			fmt.Fprintf(&b, "  one platform, %-22s %s\n", oneLine(doc.Platforms[i].Platform, 22)+":", humanize.Bytes(uint64(one)))
		}
	}
	writeAttestationsText(&b, doc)
	if doc.Signature != nil {
		fmt.Fprintf(&b, "\nSignature:  %s\n", oneLine(doc.Signature.Summary, 400))
	}
	if len(doc.Referrers) > 0 {
		writeSupply(&b, &report.Supply{Referrers: doc.Referrers})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeAttestationsText lists the attestations by platform, with the
// summary of each statement read.
func writeAttestationsText(b *strings.Builder, doc *indexDoc) {
	if len(doc.Attestations) == 0 {
		return
	}
	fmt.Fprintf(b, "\nAttestations (strata index --attestation DIGEST prints one):\n")
	for _, a := range doc.Attestations {
		platform := a.Platform
		if platform == "" {
			platform = "for " + textsafe.ShortDigest(a.For)
		}
		line := fmt.Sprintf("  %s  %s", oneLine(platform, 40), textsafe.ShortDigest(a.Digest))
		if a.Absent != "" {
			line += "  (absent: " + oneLine(a.Absent, 100) + ")"
		}
		b.WriteString(line + "\n")
		for _, s := range a.Statements {
			fmt.Fprintf(b, "    %-36s %s  %9s\n", oneLine(s.PredicateType, 60), textsafe.ShortDigest(s.Digest), humanize.Bytes(uint64(max(s.SizeBytes, 0))))
			if p := s.Provenance; p != nil {
				if p.Source != "" || p.Revision != "" {
					fmt.Fprintf(b, "      source:      %s %s\n", oneLine(p.Source, 200), oneLine(p.Revision, 64))
				}
				if p.BuilderID != "" {
					fmt.Fprintf(b, "      builder:     %s\n", oneLine(p.BuilderID, 200))
				}
				if args := p.SortedArgs(); len(args) > 0 {
					fmt.Fprintf(b, "      build args:  %s\n", oneLine(strings.Join(args, " "), 400))
				}
				for _, m := range p.BaseImages {
					fmt.Fprintf(b, "      base image:  %s\n", oneLine(m.Reference(), 300))
				}
			}
			if sb := s.SBOM; sb != nil {
				fmt.Fprintf(b, "      %s, %d %s\n", oneLine(sb.Format, 40), sb.Packages, plural(sb.Packages, "package", "packages"))
			}
		}
	}
}

// size writes a size, or "unknown".
func size(n *int64) string {
	if n == nil {
		return "unknown"
	}
	return humanize.Bytes(uint64(*n))
}
