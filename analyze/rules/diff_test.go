package rules_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/rules"
)

func TestLoadDiffDefaults(t *testing.T) {
	c, warnings, err := rules.LoadDiff("", t.TempDir())
	if err != nil || len(warnings) != 0 {
		t.Fatalf("LoadDiff: %v %q", err, warnings)
	}
	if !reflect.DeepEqual(c, rules.DefaultDiff()) {
		t.Errorf("config = %+v, want the defaults", c)
	}
	if !c.HighestSizeIncrease.Disabled || !c.HighestNewLayerBytes.Disabled || c.LowestEfficiency.Ratio != 0.9 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestLoadDiffSection(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, rules.StrataFile, `rules:
  lowestEfficiency: 0.95
diff:
  highestSizeIncrease: 5%
  highestNewLayerBytes: 20MB
  colour: blue
`)
	c, warnings, err := rules.LoadDiff("", dir)
	if err != nil {
		t.Fatalf("LoadDiff: %v", err)
	}
	want := rules.DiffConfig{
		HighestSizeIncrease:  rules.Threshold{Ratio: 0.05, Relative: true, Raw: "5%", Source: path},
		HighestNewLayerBytes: rules.Threshold{Bytes: 20_000_000, Raw: "20MB", Source: path},
		// Left out of diff:, so the rules: section's.
		LowestEfficiency:           rules.Threshold{Ratio: 0.95, Raw: "0.95", Source: path},
		File:                       path,
		NoNewPackages:              rules.DefaultDiff().NoNewPackages,
		HighestPackageSizeIncrease: rules.DefaultDiff().HighestPackageSizeIncrease,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("config:\n got %+v\nwant %+v", c, want)
	}
	if w := []string{path + ": ignoring unknown keys: diff.colour"}; !reflect.DeepEqual(warnings, w) {
		t.Errorf("warnings = %q, want %q", warnings, w)
	}

	// inspect's Load still reads the same file without a word about diff:.
	ic, iw, err := rules.Load("", dir)
	if err != nil || len(iw) != 0 || ic.LowestEfficiency.Ratio != 0.95 {
		t.Errorf("Load: %+v %q %v", ic, iw, err)
	}
}

func TestLoadDiffValues(t *testing.T) {
	tests := []struct {
		yaml string
		want rules.DiffConfig
	}{
		{"diff:\n  highestSizeIncrease: 1048576\n  lowestEfficiency: off\n", rules.DiffConfig{
			HighestSizeIncrease:        rules.Threshold{Bytes: 1 << 20, Raw: "1048576"},
			HighestNewLayerBytes:       rules.DefaultDiff().HighestNewLayerBytes,
			LowestEfficiency:           rules.Threshold{Disabled: true, Raw: "off"},
			NoNewPackages:              rules.DefaultDiff().NoNewPackages,
			HighestPackageSizeIncrease: rules.DefaultDiff().HighestPackageSizeIncrease,
		}},
		{"diff:\n  highestSizeIncrease: \"12.5 %\"\n  highestNewLayerBytes: 1.5 GiB\n  lowestEfficiency: 0.5\n", rules.DiffConfig{
			HighestSizeIncrease:        rules.Threshold{Ratio: 0.125, Relative: true, Raw: "12.5 %"},
			HighestNewLayerBytes:       rules.Threshold{Bytes: 1610612736, Raw: "1.5 GiB"},
			LowestEfficiency:           rules.Threshold{Ratio: 0.5, Raw: "0.5"},
			NoNewPackages:              rules.DefaultDiff().NoNewPackages,
			HighestPackageSizeIncrease: rules.DefaultDiff().HighestPackageSizeIncrease,
		}},
		{"diff:\n", rules.DefaultDiff()},
	}
	for _, tt := range tests {
		path := writeFile(t, t.TempDir(), "rules.yaml", tt.yaml)
		c, _, err := rules.LoadDiff(path, "")
		if err != nil {
			t.Errorf("%q: %v", tt.yaml, err)
			continue
		}
		c.File = ""
		for _, th := range []*rules.Threshold{&c.HighestSizeIncrease, &c.HighestNewLayerBytes, &c.LowestEfficiency} {
			if th.Source == path {
				th.Source = ""
			}
		}
		if !reflect.DeepEqual(c, tt.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tt.yaml, c, tt.want)
		}
	}
}

func TestLoadDiffErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"diff: [1]\n", "line 1: diff is not a mapping"},
		{"diff:\n  highestSizeIncrease: 5MB\n  highestSizeIncrease: 6MB\n", `line 3: duplicate key "diff.highestSizeIncrease"`},
		{"diff:\n  highestSizeIncrease: lots\n", `:2: invalid value "lots" for rule diff.highestSizeIncrease: not a size such as 10MB or a percentage such as 5%`},
		{"diff:\n  highestSizeIncrease: -5%\n", `invalid value "-5%" for rule diff.highestSizeIncrease: not a percentage such as 5%`},
		{"diff:\n  highestNewLayerBytes: -1\n", `invalid value "-1" for rule diff.highestNewLayerBytes: size must not be negative`},
		{"diff:\n  lowestEfficiency: 2\n", `invalid value "2" for rule diff.lowestEfficiency: must be between 0 and 1`},
		{"diff:\n  lowestEfficiency: [1]\n", "expected a number or a string"},
		{"diff:\n  highestNewLayerBytes:\n", "value is empty"},
		{"rules:\n  lowestEfficiency: 7\n", `invalid value "7" for rule lowestEfficiency`},
	}
	for _, tt := range tests {
		path := writeFile(t, t.TempDir(), "rules.yaml", tt.yaml)
		_, _, err := rules.LoadDiff(path, "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one holding %q", tt.yaml, err, tt.want)
		}
		var ve *rules.ValueError
		if strings.Contains(tt.want, "invalid value") && !errors.As(err, &ve) {
			t.Errorf("%q: %v is not a *ValueError", tt.yaml, err)
		}
	}
}

func TestDiffOverride(t *testing.T) {
	c := rules.DefaultDiff()
	for _, o := range [][2]string{{"highest-size-increase", "10%"}, {"highestNewLayerBytes", "1kB"}, {"lowest-efficiency", "disabled"}} {
		if err := c.Override(o[0], o[1]); err != nil {
			t.Fatalf("Override(%s, %s): %v", o[0], o[1], err)
		}
	}
	want := rules.DiffConfig{
		HighestSizeIncrease:        rules.Threshold{Ratio: 0.1, Relative: true, Raw: "10%", Source: rules.SourceOverride},
		HighestNewLayerBytes:       rules.Threshold{Bytes: 1000, Raw: "1kB", Source: rules.SourceOverride},
		LowestEfficiency:           rules.Threshold{Disabled: true, Raw: "disabled", Source: rules.SourceOverride},
		NoNewPackages:              rules.DefaultDiff().NoNewPackages,
		HighestPackageSizeIncrease: rules.DefaultDiff().HighestPackageSizeIncrease,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("after overrides:\n got %+v\nwant %+v", c, want)
	}
	if err := c.Override("highestWastedBytes", "1kB"); err == nil || !strings.Contains(err.Error(), "unknown rule") {
		t.Errorf("an inspect rule overrode a diff rule: %v", err)
	}
	var ve *rules.ValueError
	if err := c.Override("highest-size-increase", "x%"); !errors.As(err, &ve) || ve.Rule != rules.HighestSizeIncrease {
		t.Errorf("a bad value: %v", err)
	}
}

func diffConfig(t *testing.T, kv ...string) rules.DiffConfig {
	t.Helper()
	c := rules.DefaultDiff()
	for i := 0; i+1 < len(kv); i += 2 {
		if err := c.Override(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestEvaluateDiff(t *testing.T) {
	grew := rules.DiffMetrics{SizeA: 200_000, SizeB: 212_000, NewLayerBytes: 5_000, Efficiency: 0.95}
	tests := []struct {
		name string
		c    rules.DiffConfig
		m    rules.DiffMetrics
		want []string
	}{
		{"defaults", rules.DefaultDiff(), grew, []string{
			"  SKIP  highestSizeIncrease: rule disabled",
			"  SKIP  highestNewLayerBytes: rule disabled",
			"  PASS  lowestEfficiency: 95 % (0.95) >= threshold 90 % (0.9)",
			"Result: PASS [total:3] [passed:1] [failed:0] [skipped:2]",
		}},
		{"bytes", diffConfig(t, "highestSizeIncrease", "10kB", "highestNewLayerBytes", "5kB"), grew, []string{
			"  FAIL  highestSizeIncrease: image B grew too much: +12 kB (+12000 bytes) > threshold 10 kB (10000 bytes)",
			"  PASS  highestNewLayerBytes: 5.0 kB (5000 bytes) <= threshold 5.0 kB (5000 bytes)",
			"  PASS  lowestEfficiency: 95 % (0.95) >= threshold 90 % (0.9)",
			"Result: FAIL [total:3] [passed:2] [failed:1] [skipped:0]",
		}},
		{"percent", diffConfig(t, "highestSizeIncrease", "6%", "highestNewLayerBytes", "4999", "lowestEfficiency", "0.96"), grew, []string{
			"  PASS  highestSizeIncrease: +6 % of 200 kB (200000 bytes) <= threshold 6 %",
			"  FAIL  highestNewLayerBytes: too many bytes in layers new in B: 5.0 kB (5000 bytes) > threshold 5.0 kB (4999 bytes)",
			"  FAIL  lowestEfficiency: image B's efficiency is too low: 95 % (0.95) < threshold 96 % (0.96)",
			"Result: FAIL [total:3] [passed:1] [failed:2] [skipped:0]",
		}},
		{"percent exceeded", diffConfig(t, "highestSizeIncrease", "5.99%"), grew, []string{
			"  FAIL  highestSizeIncrease: image B grew too much: +6 % of 200 kB (200000 bytes) > threshold 5.99 %",
			"  SKIP  highestNewLayerBytes: rule disabled",
			"  PASS  lowestEfficiency: 95 % (0.95) >= threshold 90 % (0.9)",
			"Result: FAIL [total:3] [passed:1] [failed:1] [skipped:1]",
		}},
		{"shrunk", diffConfig(t, "highestSizeIncrease", "0", "highestNewLayerBytes", "0"), rules.DiffMetrics{SizeA: 1500, SizeB: 900, Efficiency: 1}, []string{
			"  PASS  highestSizeIncrease: -600 B <= threshold 0 B",
			"  PASS  highestNewLayerBytes: 0 B <= threshold 0 B",
			"  PASS  lowestEfficiency: 100 % (1) >= threshold 90 % (0.9)",
			"Result: PASS [total:3] [passed:3] [failed:0] [skipped:0]",
		}},
		{"from nothing", diffConfig(t, "highestSizeIncrease", "100%"), rules.DiffMetrics{SizeB: 10, Efficiency: 1}, []string{
			"  FAIL  highestSizeIncrease: image B grew too much: +inf % of 0 B > threshold 100 %",
			"  SKIP  highestNewLayerBytes: rule disabled",
			"  PASS  lowestEfficiency: 100 % (1) >= threshold 90 % (0.9)",
			"Result: FAIL [total:3] [passed:1] [failed:1] [skipped:1]",
		}},
		{"the same", diffConfig(t, "highestSizeIncrease", "0%"), rules.DiffMetrics{SizeA: 10, SizeB: 10, Efficiency: 1}, []string{
			"  PASS  highestSizeIncrease: 0 % of 10 B <= threshold 0 %",
			"  SKIP  highestNewLayerBytes: rule disabled",
			"  PASS  lowestEfficiency: 100 % (1) >= threshold 90 % (0.9)",
			"Result: PASS [total:3] [passed:2] [failed:0] [skipped:1]",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := rules.EvaluateDiff(tt.c, tt.m).WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if want := strings.Join(tt.want, "\n") + "\n"; b.String() != want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
			}
		})
	}
}
