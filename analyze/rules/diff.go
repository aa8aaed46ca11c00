package rules

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Rule names of the diff: section, the rules of `strata diff --ci`. Its
// third rule is [LowestEfficiency], applied to image B.
const (
	HighestSizeIncrease  = "highestSizeIncrease"
	HighestNewLayerBytes = "highestNewLayerBytes"
	// NoNewPackages, when true, fails when B has a package A lacks.
	NoNewPackages = "noNewPackages"
	// HighestPackageSizeIncrease fails when one package grew by more than
	// a size from A to B (an added package from nothing).
	HighestPackageSizeIncrease = "highestPackageSizeIncrease"
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
	// NoNewPackages, unless Disabled, fails when B has a package A lacks.
	NoNewPackages Threshold
	// HighestPackageSizeIncrease fails when a package's size in B exceeds
	// its size in A (0 if A lacks it) by more than Bytes.
	HighestPackageSizeIncrease Threshold

	// File is the rules file that was loaded, or empty if none was.
	File string
}

// DefaultDiff returns the diff rules when nothing configures them:
// highestSizeIncrease, highestNewLayerBytes, noNewPackages and
// highestPackageSizeIncrease disabled, lowestEfficiency dive's 0.9.
func DefaultDiff() DiffConfig {
	return DiffConfig{
		HighestSizeIncrease:        Threshold{Disabled: true, Raw: "disabled", Source: SourceDefault},
		HighestNewLayerBytes:       Threshold{Disabled: true, Raw: "disabled", Source: SourceDefault},
		LowestEfficiency:           Default().LowestEfficiency,
		NoNewPackages:              Threshold{Disabled: true, Raw: "disabled", Source: SourceDefault},
		HighestPackageSizeIncrease: Threshold{Disabled: true, Raw: "disabled", Source: SourceDefault},
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
	case NoNewPackages:
		return &c.NoNewPackages
	case HighestPackageSizeIncrease:
		return &c.HighestPackageSizeIncrease
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
	case NoNewPackages, "no-new-packages":
		return NoNewPackages, true
	case HighestPackageSizeIncrease, "highest-package-size-increase":
		return HighestPackageSizeIncrease, true
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
	case HighestNewLayerBytes, HighestPackageSizeIncrease:
		return parseThreshold(HighestWastedBytes, raw, source) // a size
	case NoNewPackages:
		s := strings.TrimSpace(raw)
		t := Threshold{Raw: s, Source: source}
		if strings.EqualFold(s, "disabled") || strings.EqualFold(s, "off") {
			t.Disabled = true
			return t, nil
		}
		on, err := strconv.ParseBool(s)
		if err != nil {
			return t, errors.New("not true or false")
		}
		t.Disabled = !on
		return t, nil
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
	// Packages, when the images' packages were compared, are what the
	// package rules are evaluated against; without them those rules are
	// left out of the report.
	Packages *PackageMetrics
}

// PackageMetrics are what noNewPackages and highestPackageSizeIncrease
// are evaluated against.
type PackageMetrics struct {
	// New names B's packages that A lacks.
	New []string
	// LargestIncrease is the largest growth of one package from A to B
	// (an added one's whole size), 0 when none grew, and
	// LargestIncreaseName names that package.
	LargestIncrease     uint64
	LargestIncreaseName string
}
