package rules

import (
	"errors"
	"fmt"
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
)

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
	case name == RequireSignature:
		return parseRequirement(t)
	case strings.EqualFold(raw, "disabled"), strings.EqualFold(raw, "off"):
		t.Disabled = true
		return t, nil
	}
	if name == HighestWastedBytes {
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
