package rules

import (
	"slices"

	"errors"
	"fmt"
	"github.com/strata-dev/strata/analyze/findings"
	"math"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
)

// Rule names, as written in the rules: section of a rules file.
const (
	LowestEfficiency         = "lowestEfficiency"
	HighestWastedBytes       = "highestWastedBytes"
	HighestUserWastedPercent = "highestUserWastedPercent"
	// The rules on findings (see package findings).
	HighestImageSize        = "highestImageSize"
	HighestReclaimableBytes = "highestReclaimableBytes"
	NoHiddenSecrets         = "noHiddenSecrets"
	NoRootUser              = "noRootUser"
	FailOn                  = "failOn"
)

// inspectRules are the rules of the rules: section, in the order they are
// reported.
func inspectRules() []string {
	return []string{LowestEfficiency, HighestWastedBytes, HighestUserWastedPercent,
		HighestImageSize, HighestReclaimableBytes, NoHiddenSecrets, NoRootUser, FailOn, RequireSignature}
}

// sizeRule says whether a rule's threshold is a size.
func sizeRule(name string) bool {
	return name == HighestWastedBytes || name == HighestImageSize || name == HighestReclaimableBytes
}

// switchRule says whether a rule is on or off, with no threshold.
func switchRule(name string) bool {
	return name == NoHiddenSecrets || name == NoRootUser || name == RequireSignature
}

// Sources of a threshold other than a rules file, which is named by its path.
const (
	// SourceDefault marks a threshold that nothing configured.
	SourceDefault = "default"
	// SourceOverride marks a threshold set by [Config.Override].
	SourceOverride = "command line"
)

// Threshold is one rule's configured limit.
type Threshold struct {
	// Disabled reports whether the rule is skipped.
	Disabled bool
	// Ratio is the limit of lowestEfficiency and highestUserWastedPercent,
	// between 0 and 1.
	Ratio float64
	// Bytes is the limit of highestWastedBytes.
	Bytes uint64
	// Relative says that Ratio is a fraction of a reference size rather
	// than a ratio rule's limit: diff's highestSizeIncrease written as a
	// percentage ("5%") of image A's size.
	Relative bool
	// List is failOn's: finding IDs and severities, separated by commas.
	List string
	// Raw is the value as written, such as "0.95", "20Mb" or "off".
	Raw string
	// Source says where the value came from: a rules file's path,
	// SourceDefault or SourceOverride.
	Source string
}

// ValueError reports a threshold that cannot be used.
type ValueError struct {
	// File is the rules file holding the value; empty for an override.
	File string
	// Line is the value's line in File, or 0 if unknown.
	Line int
	// Rule is the rule's name.
	Rule string
	// Value is the value as written.
	Value string
	// Err says what is wrong with the value.
	Err error
}

func (e *ValueError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "invalid value %q for rule %s: %v", e.Value, e.Rule, e.Err)
	return b.String()
}

func (e *ValueError) Unwrap() error { return e.Err }

// canonicalName maps a rule name or its flag spelling
// ("lowest-efficiency") to the rule name.
func canonicalName(name string) (string, bool) {
	switch name {
	case LowestEfficiency, "lowest-efficiency":
		return LowestEfficiency, true
	case HighestWastedBytes, "highest-wasted-bytes":
		return HighestWastedBytes, true
	case HighestUserWastedPercent, "highest-user-wasted-percent":
		return HighestUserWastedPercent, true
	case HighestImageSize, "highest-image-size":
		return HighestImageSize, true
	case HighestReclaimableBytes, "highest-reclaimable-bytes":
		return HighestReclaimableBytes, true
	case NoHiddenSecrets, "no-hidden-secrets":
		return NoHiddenSecrets, true
	case NoRootUser, "no-root-user":
		return NoRootUser, true
	case FailOn, "fail-on":
		return FailOn, true
	case RequireSignature, "require-signature":
		return RequireSignature, true
	}
	return "", false
}

// parseThreshold parses raw as the threshold of the named rule. The error it
// returns is the bare reason; callers wrap it in a ValueError.
func parseThreshold(name, raw, source string) (Threshold, error) {
	raw = strings.TrimSpace(raw)
	t := Threshold{Raw: raw, Source: source}
	switch {
	case raw == "":
		return t, errors.New("value is empty")
	case strings.EqualFold(raw, "disabled"), strings.EqualFold(raw, "off"):
		t.Disabled = true
		return t, nil
	}
	switch {
	case switchRule(name):
		switch strings.ToLower(raw) {
		case "true", "on", "yes":
			return t, nil
		case "false", "no":
			t.Disabled = true
			return t, nil
		}
		return t, errors.New("not true or false")
	case name == FailOn:
		return parseFailOn(t, raw)
	}
	if sizeRule(name) {
		if strings.HasPrefix(raw, "-") {
			return t, errors.New("size must not be negative")
		}
		n, err := humanize.ParseBytes(raw)
		if err != nil {
			return t, errors.New("not a size such as 20MB, 1.5 GiB or 1048576")
		}
		t.Bytes = n
		return t, nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return t, errors.New("not a number")
	}
	if math.IsNaN(f) || f < 0 || f > 1 {
		return t, errors.New("must be between 0 and 1")
	}
	t.Ratio = f
	return t, nil
}

// parseFailOn reads failOn's list: finding IDs and severities, separated
// by commas or spaces.
func parseFailOn(t Threshold, raw string) (Threshold, error) {
	known := []string{string(findings.Info), string(findings.Warning), string(findings.Error)}
	for _, id := range findings.IDs() {
		known = append(known, string(id))
	}
	var items []string
	for _, item := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if !slices.Contains(known, item) {
			if k, ok := misspelling(item, known); ok {
				return t, fmt.Errorf("%q is not a finding or a severity (did you mean %s?)", item, k)
			}
			return t, fmt.Errorf("%q is not a finding or a severity (see strata's docs/findings.md)", item)
		}
		items = append(items, item)
	}
	if len(items) == 0 {
		return t, errors.New("names no finding or severity")
	}
	t.List = strings.Join(items, ",")
	return t, nil
}
