package rules

import (
	"fmt"
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

// Report holds one result per rule, in the order lowestEfficiency,
// highestWastedBytes, highestUserWastedPercent, then requireSignature when
// it is enabled.
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
		evalBytes(HighestWastedBytes, c.HighestWastedBytes, m.WastedBytes),
		evalRatio(HighestUserWastedPercent, c.HighestUserWastedPercent, m.UserWastedPercent, false,
			"too many bytes wasted relative to the bytes added by user layers"),
	}}
	if !c.RequireSignature.Disabled {
		r.Results = append(r.Results, evalSignature(c.RequireSignature, m.Signature))
	}
	return r
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
func evalBytes(name string, t Threshold, v uint64) RuleResult {
	r := RuleResult{Name: name, Value: formatBytes(v)}
	if t.Disabled {
		return skipped(r)
	}
	r.Threshold = formatBytes(t.Bytes)
	if v > t.Bytes {
		r.Status, r.Message = Fail, fmt.Sprintf("too many bytes wasted: %s > threshold %s", r.Value, r.Threshold)
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
