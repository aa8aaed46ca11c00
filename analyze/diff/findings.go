package diff

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/findings"
)

// Findings are the findings that B has and A does not (New), and the
// other way round (Gone). A finding is the same in both when it is of the
// same kind about the same first path (or, with no path, the same title):
// layer numbers differ between rebuilds and say nothing of it.
type Findings struct {
	New  []findings.Finding `json:"new"`
	Gone []findings.Finding `json:"gone"`
}

// findingKey is what makes a finding the same in two images.
func findingKey(f findings.Finding) string {
	if len(f.Paths) > 0 {
		return string(f.ID) + "\x00" + f.Paths[0].Path
	}
	return string(f.ID) + "\x00" + f.Title
}

// CompareFindings compares the findings of image A with B's.
func CompareFindings(a, b []findings.Finding) *Findings {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, f := range a {
		inA[findingKey(f)] = true
	}
	for _, f := range b {
		inB[findingKey(f)] = true
	}
	out := &Findings{New: []findings.Finding{}, Gone: []findings.Finding{}}
	for _, f := range b {
		if !inA[findingKey(f)] {
			out.New = append(out.New, f)
		}
	}
	for _, f := range a {
		if !inB[findingKey(f)] {
			out.Gone = append(out.Gone, f)
		}
	}
	return out
}

// writeFindings writes the findings new in B and gone from A, one line
// each.
func (d *Diff) writeFindings(s *strings.Builder) {
	f := d.Findings
	if f == nil || len(f.New)+len(f.Gone) == 0 {
		return
	}
	fmt.Fprintf(s, "\nFindings: %d new in B, %d gone from A\n", len(f.New), len(f.Gone))
	for _, side := range []struct {
		mark string
		fs   []findings.Finding
	}{{"+", f.New}, {"-", f.Gone}} {
		for _, x := range side.fs {
			size := "-"
			if x.Bytes > 0 {
				size = humanize.Bytes(uint64(x.Bytes))
			}
			fmt.Fprintf(s, "%s %-7s %9s  %-17s %s\n", side.mark, x.Severity, size, x.ID, oneLine(x.Title, 100))
		}
	}
}
