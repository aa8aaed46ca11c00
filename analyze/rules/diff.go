package rules

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
	"go.yaml.in/yaml/v3"
)

// Rule names of the diff: section, the rules of `strata diff --ci`. Its
// third rule is [LowestEfficiency], applied to image B.
const (
	HighestSizeIncrease  = "highestSizeIncrease"
	HighestNewLayerBytes = "highestNewLayerBytes"
)

// DiffConfig holds the thresholds of `strata diff --ci`. Build it with
// [DefaultDiff] or [LoadDiff].
type DiffConfig struct {
	// HighestSizeIncrease fails when B's size exceeds A's by more than
	// Bytes, or with Relative by more than Ratio of A's size.
	HighestSizeIncrease Threshold
	// HighestNewLayerBytes fails when the layers of B that A lacks take
	// more than Bytes to download (compressed).
	HighestNewLayerBytes Threshold
	// LowestEfficiency fails when B's efficiency is below Ratio.
	LowestEfficiency Threshold

	// File is the rules file that was loaded, or empty if none was.
	File string
}

// DefaultDiff returns the diff rules when nothing configures them:
// highestSizeIncrease and highestNewLayerBytes disabled, lowestEfficiency
// dive's 0.9.
func DefaultDiff() DiffConfig {
	return DiffConfig{
		HighestSizeIncrease:  Threshold{Disabled: true, Raw: "disabled", Source: SourceDefault},
		HighestNewLayerBytes: Threshold{Disabled: true, Raw: "disabled", Source: SourceDefault},
		LowestEfficiency:     Default().LowestEfficiency,
	}
}

// LoadDiff reads the diff: section of the rules file that [Load] would
// read (explicitPath, else .strata-ci.yaml or .dive-ci in dir), or returns
// [DefaultDiff] when there is none. A lowestEfficiency the diff: section
// leaves out is the rules: section's.
//
// The warnings name keys that strata does not know and ignored, in the
// whole file. A threshold that cannot be used is a *[ValueError].
func LoadDiff(explicitPath, dir string) (DiffConfig, []string, error) {
	path, data, err := readFile(explicitPath, dir)
	if err != nil {
		return DiffConfig{}, nil, err
	}
	if path == "" {
		return DefaultDiff(), nil, nil
	}
	base, warnings, err := parseFile(path, data)
	if err != nil {
		return DiffConfig{}, nil, err
	}
	c := DefaultDiff()
	c.File = path
	c.LowestEfficiency = base.LowestEfficiency
	section, err := diffSection(path, data)
	if err != nil || section == nil {
		return c, warnings, err
	}
	unknown, err := c.apply(path, section)
	if err != nil {
		return DiffConfig{}, nil, err
	}
	if len(unknown) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: ignoring unknown keys: %s", path, strings.Join(unknown, ", ")))
	}
	return c, warnings, nil
}

// diffSection finds the value of the top-level diff: key, nil when there is
// none. parseFile has already checked the document's shape.
func diffSection(path string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parsing rules file %s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "diff" {
			continue
		}
		v := resolve(root.Content[i+1])
		if isNull(v) {
			return nil, nil
		}
		if v.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("parsing rules file %s: line %d: diff is not a mapping", path, v.Line)
		}
		return v, nil
	}
	return nil, nil
}

// apply sets the thresholds of the diff: map and returns the unknown keys
// it ignored, as "diff.<key>".
func (c *DiffConfig) apply(path string, m *yaml.Node) ([]string, error) {
	var unknown []string
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], resolve(m.Content[i+1])
		if seen[key.Value] {
			return nil, fmt.Errorf("parsing rules file %s: line %d: duplicate key \"diff.%s\"", path, key.Line, key.Value)
		}
		seen[key.Value] = true
		field := c.threshold(key.Value)
		if field == nil {
			if err := unknownKey(path, key.Line, "diff", key.Value); err != nil {
				return nil, err
			}
			unknown = append(unknown, "diff."+key.Value)
			continue
		}
		var t Threshold
		var err error
		switch {
		case isNull(value):
			err = errors.New("value is empty")
		case value.Kind != yaml.ScalarNode:
			err = errors.New("expected a number or a string")
		default:
			t, err = parseDiffThreshold(key.Value, value.Value, path)
		}
		if err != nil {
			return nil, &ValueError{File: path, Line: value.Line, Rule: "diff." + key.Value, Value: value.Value, Err: err}
		}
		*field = t
	}
	return unknown, nil
}

// Override sets one diff rule's threshold, such as from a command-line
// flag. name is a rule name ("highestSizeIncrease") or its flag spelling
// ("highest-size-increase"); value is written as in a rules file.
func (c *DiffConfig) Override(name, value string) error {
	canonical, ok := diffRuleName(name)
	if !ok {
		return fmt.Errorf("overriding diff rule %q: unknown rule", name)
	}
	t, err := parseDiffThreshold(canonical, value, SourceOverride)
	if err != nil {
		return &ValueError{Rule: canonical, Value: value, Err: err}
	}
	*c.threshold(canonical) = t
	return nil
}

func (c *DiffConfig) threshold(name string) *Threshold {
	switch name {
	case HighestSizeIncrease:
		return &c.HighestSizeIncrease
	case HighestNewLayerBytes:
		return &c.HighestNewLayerBytes
	case LowestEfficiency:
		return &c.LowestEfficiency
	}
	return nil
}

func diffRuleName(name string) (string, bool) {
	switch name {
	case HighestSizeIncrease, "highest-size-increase":
		return HighestSizeIncrease, true
	case HighestNewLayerBytes, "highest-new-layer-bytes":
		return HighestNewLayerBytes, true
	case LowestEfficiency, "lowest-efficiency":
		return LowestEfficiency, true
	}
	return "", false
}

// parseDiffThreshold parses raw as a diff rule's threshold: a size for
// both size rules, or a percentage ("5%") for highestSizeIncrease.
func parseDiffThreshold(name, raw, source string) (Threshold, error) {
	switch name {
	case HighestSizeIncrease:
		s := strings.TrimSpace(raw)
		if num, ok := strings.CutSuffix(s, "%"); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
				return Threshold{Raw: s, Source: source}, errors.New("not a percentage such as 5%")
			}
			return Threshold{Ratio: f / 100, Relative: true, Raw: s, Source: source}, nil
		}
		t, err := parseThreshold(HighestWastedBytes, raw, source)
		if err != nil && !strings.HasPrefix(s, "-") && s != "" {
			err = errors.New("not a size such as 10MB or a percentage such as 5%")
		}
		return t, err
	case HighestNewLayerBytes:
		return parseThreshold(HighestWastedBytes, raw, source) // a size
	}
	return parseThreshold(name, raw, source)
}

// DiffMetrics are what the diff rules are evaluated against.
type DiffMetrics struct {
	// SizeA and SizeB are the images' total sizes.
	SizeA, SizeB uint64
	// NewLayerBytes is the compressed size of B's layers that A lacks:
	// what a machine holding A downloads to get B.
	NewLayerBytes uint64
	// Efficiency is B's efficiency, between 0 and 1.
	Efficiency float64
}

// EvaluateDiff checks m against every diff rule of c, in the order
// highestSizeIncrease, highestNewLayerBytes, lowestEfficiency. Like the
// other rules each comparison is strict: a value equal to its threshold
// passes. A shrinking image never fails highestSizeIncrease.
func EvaluateDiff(c DiffConfig, m DiffMetrics) Report {
	return Report{Results: []RuleResult{
		evalIncrease(c.HighestSizeIncrease, m.SizeA, m.SizeB),
		evalSize(HighestNewLayerBytes, c.HighestNewLayerBytes, m.NewLayerBytes, "too many bytes in layers new in B"),
		evalRatio(LowestEfficiency, c.LowestEfficiency, m.Efficiency, true, "image B's efficiency is too low"),
	}}
}

// evalSize evaluates a size rule, which fails when v is above t.
func evalSize(name string, t Threshold, v uint64, failure string) RuleResult {
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
