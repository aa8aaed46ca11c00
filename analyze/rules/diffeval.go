package rules

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
)

// EvaluateDiff checks m against every diff rule of c, in the order
// highestSizeIncrease, highestNewLayerBytes, lowestEfficiency. Like the
// other rules each comparison is strict: a value equal to its threshold
// passes. A shrinking image never fails highestSizeIncrease.
//
// With m.Packages, noNewPackages and highestPackageSizeIncrease follow.
func EvaluateDiff(c DiffConfig, m DiffMetrics) Report {
	r := Report{Results: []RuleResult{
		evalIncrease(c.HighestSizeIncrease, m.SizeA, m.SizeB),
		evalBytes(HighestNewLayerBytes, c.HighestNewLayerBytes, m.NewLayerBytes, "too many bytes in layers new in B"),
		evalRatio(LowestEfficiency, c.LowestEfficiency, m.Efficiency, true, "image B's efficiency is too low"),
	}}
	if p := m.Packages; p != nil {
		r.Results = append(r.Results, evalNewPackages(c.NoNewPackages, p.New))
		inc := evalBytes(HighestPackageSizeIncrease, c.HighestPackageSizeIncrease, p.LargestIncrease, "a package grew too much")
		if p.LargestIncreaseName != "" {
			inc.Value += " (" + p.LargestIncreaseName + ")"
			if inc.Status == Fail {
				inc.Message = fmt.Sprintf("%s grew too much: %s > threshold %s", p.LargestIncreaseName, formatBytes(p.LargestIncrease), inc.Threshold)
			}
		}
		r.Results = append(r.Results, inc)
	}
	return r
}

// maxNamed bounds the packages a rule's value names.
const maxNamed = 5

// evalNewPackages evaluates noNewPackages, which fails when B has a
// package A lacks.
func evalNewPackages(t Threshold, names []string) RuleResult {
	r := RuleResult{Name: NoNewPackages, Value: fmt.Sprintf("%d new", len(names))}
	if len(names) > 0 {
		shown := names[:min(len(names), maxNamed)]
		r.Value += ": " + strings.Join(shown, ", ")
		if len(names) > maxNamed {
			r.Value += fmt.Sprintf(" and %d more", len(names)-maxNamed)
		}
	}
	if t.Disabled {
		return skipped(r)
	}
	r.Threshold = "none"
	if len(names) > 0 {
		r.Status, r.Message = Fail, "image B has packages image A lacks: "+r.Value
	} else {
		r.Status, r.Message = Pass, "no package in B that A lacks"
	}
	return r
}

// evalIncrease evaluates highestSizeIncrease: B's size less A's, in bytes
// or as a fraction of A's size.
func evalIncrease(t Threshold, a, b uint64) RuleResult {
	inc := int64(b) - int64(a)
	r := RuleResult{Name: HighestSizeIncrease, Value: formatDelta(inc)}
	if t.Relative {
		frac := 0.0
		switch {
		case a > 0:
			frac = float64(inc) / float64(a)
		case inc > 0:
			frac = math.Inf(1)
		}
		r.Value = fmt.Sprintf("%s of %s", formatPercent(frac), formatBytes(a))
	}
	if t.Disabled {
		return skipped(r)
	}
	var failed bool
	if t.Relative {
		r.Threshold = strings.TrimPrefix(formatPercent(t.Ratio), "+")
		failed = a == 0 && inc > 0 || a > 0 && float64(inc)/float64(a) > t.Ratio
	} else {
		r.Threshold = formatBytes(t.Bytes)
		failed = inc > 0 && uint64(inc) > t.Bytes
	}
	if failed {
		r.Status, r.Message = Fail, fmt.Sprintf("image B grew too much: %s > threshold %s", r.Value, r.Threshold)
	} else {
		r.Status, r.Message = Pass, fmt.Sprintf("%s <= threshold %s", r.Value, r.Threshold)
	}
	return r
}

// formatDelta shows a signed size: "+12 kB (12000 bytes)", "-512 B", "0 B".
func formatDelta(d int64) string {
	sign := "+"
	if d < 0 {
		sign = "-"
	}
	if d == 0 {
		return "0 B"
	}
	n := uint64(d)
	if d < 0 {
		n = uint64(-d)
	}
	if n < 1000 {
		return fmt.Sprintf("%s%d B", sign, n)
	}
	return fmt.Sprintf("%s%s (%s%d bytes)", sign, humanize.Bytes(n), sign, n)
}

// formatPercent shows a fraction as a signed percentage rounded to four
// decimals: "+5.2174 %".
func formatPercent(f float64) string {
	if math.IsInf(f, 1) {
		return "+inf %"
	}
	s := strconv.FormatFloat(f*100, 'f', 4, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if f > 0 {
		s = "+" + s
	}
	return s + " %"
}
