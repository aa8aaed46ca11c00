package rules

import (
	"fmt"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/internal/textsafe"
	"math"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
)

// Status is the outcome of one rule.
type Status string

// Rule outcomes.
const (
	Pass Status = "PASS"
	Fail Status = "FAIL"
	Skip Status = "SKIP"
)

// RuleResult is the outcome of one rule.
type RuleResult struct {
	// Name is the rule's name, such as "lowestEfficiency".
	Name   string
	Status Status
	// Value is the measured metric, such as "98.4421 % (0.9844212134184309)"
	// or "32 kB (32025 bytes)".
	Value string
	// Threshold is the limit in the same form, or "disabled".
	Threshold string
	// Message explains the outcome in one line.
	Message string
}

// Report holds one result per rule: lowestEfficiency, highestWastedBytes
// and highestUserWastedPercent always (as dive reports them), then the
// rules on findings and requireSignature that are on.
type Report struct {
	Results []RuleResult
}

// Passed reports whether no rule failed.
func (r Report) Passed() bool {
	_, failed, _ := r.Counts()
	return failed == 0
}

// Counts returns how many rules passed, failed and were skipped.
func (r Report) Counts() (passed, failed, skipped int) {
	for _, res := range r.Results {
		switch res.Status {
		case Pass:
			passed++
		case Fail:
			failed++
		case Skip:
			skipped++
		}
	}
	return passed, failed, skipped
}

// Evaluate checks m against every rule of c. See the package documentation
// for the exact comparisons.
func Evaluate(c Config, m Metrics) Report {
	r := Report{Results: []RuleResult{
		evalRatio(LowestEfficiency, c.LowestEfficiency, m.Efficiency, true,
			"image efficiency is too low"),
		evalBytes(HighestWastedBytes, c.HighestWastedBytes, m.WastedBytes, "too many bytes wasted"),
		evalRatio(HighestUserWastedPercent, c.HighestUserWastedPercent, m.UserWastedPercent, false,
			"too many bytes wasted relative to the bytes added by user layers"),
	}}
	if !c.HighestImageSize.Disabled {
		r.Results = append(r.Results, evalBytes(HighestImageSize, c.HighestImageSize, m.SizeBytes, "the image is too large"))
	}
	if !c.HighestReclaimableBytes.Disabled {
		r.Results = append(r.Results, evalBytes(HighestReclaimableBytes, c.HighestReclaimableBytes, m.ReclaimableBytes, "too many bytes shipped that no container sees"))
	}
	if !c.NoHiddenSecrets.Disabled {
		r.Results = append(r.Results, evalFindings(NoHiddenSecrets, m.Findings, func(f findings.Finding) bool { return f.ID == findings.HiddenSecret },
			"hidden secrets", "secrets a later step deleted, still in a layer"))
	}
	if !c.NoRootUser.Disabled {
		r.Results = append(r.Results, evalFindings(NoRootUser, m.Findings, func(f findings.Finding) bool { return f.ID == findings.RunsAsRoot },
			"runs as root", "the image runs as root"))
	}
	if t := c.FailOn; !t.Disabled {
		list := strings.Split(t.List, ",")
		match := func(f findings.Finding) bool {
			for _, item := range list {
				if string(f.ID) == item || f.Severity.Rank() >= 0 && f.Severity.Rank() >= findings.Severity(item).Rank() && findings.Severity(item).Rank() >= 0 {
					return true
				}
			}
			return false
		}
		res := evalFindings(FailOn, m.Findings, match, "findings", "findings the rules fail on")
		res.Threshold = strings.Join(list, ", ")
		r.Results = append(r.Results, res)
	}
	if !c.RequireSignature.Disabled {
		r.Results = append(r.Results, evalSignature(c.RequireSignature, m.Signature))
	}
	return r
}

// evalFindings fails when any finding matches, naming the first few.
func evalFindings(name string, fs []findings.Finding, match func(findings.Finding) bool, what, failure string) RuleResult {
	var hits []string
	for _, f := range fs {
		if match(f) {
			hits = append(hits, findingWords(f))
		}
	}
	r := RuleResult{Name: name, Value: fmt.Sprintf("%d %s", len(hits), what), Threshold: "none"}
	if len(hits) == 0 {
		r.Status, r.Message = Pass, "none found"
		return r
	}
	shown := hits[:min(len(hits), 3)]
	more := ""
	if len(hits) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(hits)-len(shown))
	}
	r.Status, r.Message = Fail, fmt.Sprintf("%s: %s%s", failure, strings.Join(shown, "; "), more)
	return r
}

// findingWords names a finding in a rule's message: its id and first path,
// escaped, with a secret's kind and fingerprint, never its value.
func findingWords(f findings.Finding) string {
	s := string(f.ID)
	if len(f.Paths) > 0 {
		p := f.Paths[0]
		s += " " + textsafe.Truncate(textsafe.Line(p.Path), 80)
		if p.Kind != "" {
			s += fmt.Sprintf(" (%s, layer %d, fingerprint %s)", p.Kind, p.Layer, p.Fingerprint)
		}
	}
	return s
}

// evalRatio evaluates a ratio rule. With lowest set, the rule fails when v
// is below t; otherwise when v is above t. A NaN metric fails.
func evalRatio(name string, t Threshold, v float64, lowest bool, failure string) RuleResult {
	r := RuleResult{Name: name, Value: formatRatio(v)}
	if t.Disabled {
		return skipped(r)
	}
	r.Threshold = formatRatio(t.Ratio)
	okOp, failOp := "<=", ">"
	failed := v > t.Ratio
	if lowest {
		okOp, failOp = ">=", "<"
		failed = v < t.Ratio
	}
	switch {
	case math.IsNaN(v):
		r.Status, r.Message = Fail, fmt.Sprintf("%s: measured value is not a number", failure)
	case failed:
		r.Status, r.Message = Fail, fmt.Sprintf("%s: %s %s threshold %s", failure, r.Value, failOp, r.Threshold)
	default:
		r.Status, r.Message = Pass, fmt.Sprintf("%s %s threshold %s", r.Value, okOp, r.Threshold)
	}
	return r
}

// evalBytes evaluates a size rule, which fails when v is above t.
func evalBytes(name string, t Threshold, v uint64, failure string) RuleResult {
	r := RuleResult{Name: name, Value: formatBytes(v)}
	if t.Disabled {
		return skipped(r)
	}
	r.Threshold = formatBytes(t.Bytes)
	if v > t.Bytes {
		r.Status, r.Message = Fail, fmt.Sprintf("%s: %s > threshold %s", failure, r.Value, r.Threshold)
	} else {
		r.Status, r.Message = Pass, fmt.Sprintf("%s <= threshold %s", r.Value, r.Threshold)
	}
	return r
}

func skipped(r RuleResult) RuleResult {
	r.Status, r.Threshold, r.Message = Skip, "disabled", "rule disabled"
	return r
}

// formatRatio shows a ratio as a percentage rounded to four decimals,
// followed by the exact ratio: "98.4421 % (0.9844212134184309)".
func formatRatio(v float64) string {
	pct := strconv.FormatFloat(v*100, 'f', 4, 64)
	if strings.Contains(pct, ".") {
		pct = strings.TrimRight(strings.TrimRight(pct, "0"), ".")
	}
	return fmt.Sprintf("%s %% (%s)", pct, strconv.FormatFloat(v, 'g', -1, 64))
}

// formatBytes shows a size in SI units followed by the exact byte count:
// "32 kB (32025 bytes)". Sizes under 1000 bytes are exact already.
func formatBytes(n uint64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%s (%d bytes)", humanize.Bytes(n), n)
}
