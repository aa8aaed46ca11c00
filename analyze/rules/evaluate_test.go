package rules_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/strata-dev/strata/analyze/rules"
)

// exampleMetrics are measurements of a real image.
var exampleMetrics = rules.Metrics{
	SizeBytes:         1_220_000,
	UserSizeBytes:     66_237,
	WastedBytes:       32025,
	ReclaimableBytes:  32025,
	Efficiency:        0.9844212134184309,
	UserWastedPercent: 0.4834911001404049,
}

func configWith(t *testing.T, overrides ...string) rules.Config {
	t.Helper()
	c := rules.Default()
	for i := 0; i+1 < len(overrides); i += 2 {
		if err := c.Override(overrides[i], overrides[i+1]); err != nil {
			t.Fatalf("Override(%s, %s): %v", overrides[i], overrides[i+1], err)
		}
	}
	return c
}

func TestEvaluateDefaults(t *testing.T) {
	r := rules.Evaluate(rules.Default(), exampleMetrics)
	want := []rules.RuleResult{
		{
			Name: "lowestEfficiency", Status: rules.Pass,
			Value: "98.4421 % (0.9844212134184309)", Threshold: "90 % (0.9)",
			Message: "98.4421 % (0.9844212134184309) >= threshold 90 % (0.9)",
		},
		{
			Name: "highestWastedBytes", Status: rules.Skip,
			Value: "32 kB (32025 bytes)", Threshold: "disabled",
			Message: "rule disabled",
		},
		{
			Name: "highestUserWastedPercent", Status: rules.Fail,
			Value: "48.3491 % (0.4834911001404049)", Threshold: "10 % (0.1)",
			Message: "too many bytes wasted relative to the bytes added by user layers: 48.3491 % (0.4834911001404049) > threshold 10 % (0.1)",
		},
		{
			// strata's rule on hidden secrets is on by default.
			Name: "noHiddenSecrets", Status: rules.Pass,
			Value: "0 hidden secrets", Threshold: "none", Message: "none found",
		},
	}
	if !reflect.DeepEqual(r.Results, want) {
		t.Errorf("results:\n got %#v\nwant %#v", r.Results, want)
	}
	if r.Passed() {
		t.Error("Passed() = true, want false")
	}
	if p, f, s := r.Counts(); p != 2 || f != 1 || s != 1 {
		t.Errorf("Counts() = %d, %d, %d, want 2, 1, 1", p, f, s)
	}
}

func TestEvaluateDiveFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, rules.DiveFile, diveFile)
	c, _, err := rules.Load("", dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	r := rules.Evaluate(c, exampleMetrics)
	want := []rules.RuleResult{
		{
			Name: "lowestEfficiency", Status: rules.Pass,
			Value: "98.4421 % (0.9844212134184309)", Threshold: "95 % (0.95)",
			Message: "98.4421 % (0.9844212134184309) >= threshold 95 % (0.95)",
		},
		{
			Name: "highestWastedBytes", Status: rules.Pass,
			Value: "32 kB (32025 bytes)", Threshold: "20 MB (20000000 bytes)",
			Message: "32 kB (32025 bytes) <= threshold 20 MB (20000000 bytes)",
		},
		{
			Name: "highestUserWastedPercent", Status: rules.Pass,
			Value: "48.3491 % (0.4834911001404049)", Threshold: "50 % (0.5)",
			Message: "48.3491 % (0.4834911001404049) <= threshold 50 % (0.5)",
		},
		{
			Name: "noHiddenSecrets", Status: rules.Pass,
			Value: "0 hidden secrets", Threshold: "none", Message: "none found",
		},
	}
	if !reflect.DeepEqual(r.Results, want) {
		t.Errorf("results:\n got %#v\nwant %#v", r.Results, want)
	}
	if !r.Passed() {
		t.Error("Passed() = false, want true")
	}
}

func TestEvaluateBoundaries(t *testing.T) {
	below := func(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
	above := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }
	tests := []struct {
		name string
		c    rules.Config
		m    rules.Metrics
		rule int
		want rules.Status
	}{
		// lowestEfficiency fails only strictly below the threshold.
		{"efficiency equal", configWith(t), rules.Metrics{Efficiency: 0.9}, 0, rules.Pass},
		{"efficiency just below", configWith(t), rules.Metrics{Efficiency: below(0.9)}, 0, rules.Fail},
		{"efficiency just above", configWith(t), rules.Metrics{Efficiency: above(0.9)}, 0, rules.Pass},
		{"efficiency 1 at threshold 1", configWith(t, "lowestEfficiency", "1"), rules.Metrics{Efficiency: 1}, 0, rules.Pass},
		{"efficiency 0 at threshold 0", configWith(t, "lowestEfficiency", "0"), rules.Metrics{}, 0, rules.Pass},
		{"efficiency NaN", configWith(t), rules.Metrics{Efficiency: math.NaN()}, 0, rules.Fail},
		{"efficiency disabled", configWith(t, "lowestEfficiency", "off"), rules.Metrics{Efficiency: 0}, 0, rules.Skip},

		// highestWastedBytes fails only strictly above the threshold.
		{"bytes equal", configWith(t, "highestWastedBytes", "20MB"), rules.Metrics{WastedBytes: 20_000_000}, 1, rules.Pass},
		{"bytes one over", configWith(t, "highestWastedBytes", "20MB"), rules.Metrics{WastedBytes: 20_000_001}, 1, rules.Fail},
		{"bytes one under", configWith(t, "highestWastedBytes", "20MB"), rules.Metrics{WastedBytes: 19_999_999}, 1, rules.Pass},
		{"bytes binary units", configWith(t, "highestWastedBytes", "1 KiB"), rules.Metrics{WastedBytes: 1025}, 1, rules.Fail},
		{"zero bytes at threshold 0", configWith(t, "highestWastedBytes", "0"), rules.Metrics{}, 1, rules.Pass},
		{"one byte at threshold 0", configWith(t, "highestWastedBytes", "0"), rules.Metrics{WastedBytes: 1}, 1, rules.Fail},
		{"bytes disabled by default", configWith(t), rules.Metrics{WastedBytes: math.MaxUint64}, 1, rules.Skip},

		// highestUserWastedPercent fails only strictly above the threshold.
		{"user percent equal", configWith(t), rules.Metrics{UserWastedPercent: 0.1}, 2, rules.Pass},
		{"user percent just above", configWith(t), rules.Metrics{UserWastedPercent: above(0.1)}, 2, rules.Fail},
		{"user percent just below", configWith(t), rules.Metrics{UserWastedPercent: below(0.1)}, 2, rules.Pass},
		{"no user layers", configWith(t), rules.Metrics{UserSizeBytes: 0, UserWastedPercent: 0}, 2, rules.Pass},
		{"no user layers at threshold 0", configWith(t, "highestUserWastedPercent", "0"), rules.Metrics{UserSizeBytes: 0, UserWastedPercent: 0}, 2, rules.Pass},
		{"user percent NaN", configWith(t), rules.Metrics{UserWastedPercent: math.NaN()}, 2, rules.Fail},
		{"user percent disabled", configWith(t, "highestUserWastedPercent", "disabled"), rules.Metrics{UserWastedPercent: 1}, 2, rules.Skip},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules.Evaluate(tt.c, tt.m)
			if len(r.Results) != 4 {
				t.Fatalf("got %d results, want dive's 3 and noHiddenSecrets", len(r.Results))
			}
			got := r.Results[tt.rule]
			if got.Status != tt.want {
				t.Errorf("%s = %s (%s), want %s", got.Name, got.Status, got.Message, tt.want)
			}
		})
	}
}

func TestEvaluateOrderAndNames(t *testing.T) {
	r := rules.Evaluate(configWith(t, "highest-wasted-bytes", "1"), rules.Metrics{})
	var names []string
	for _, res := range r.Results {
		names = append(names, res.Name)
	}
	want := []string{rules.LowestEfficiency, rules.HighestWastedBytes, rules.HighestUserWastedPercent, rules.NoHiddenSecrets}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
}

func TestEvaluateFormatting(t *testing.T) {
	tests := []struct {
		name          string
		c             rules.Config
		m             rules.Metrics
		rule          int
		wantValue     string
		wantThreshold string
		wantMessage   string
	}{
		{
			name: "efficiency too low", c: configWith(t), m: rules.Metrics{Efficiency: 0.85}, rule: 0,
			wantValue: "85 % (0.85)", wantThreshold: "90 % (0.9)",
			wantMessage: "image efficiency is too low: 85 % (0.85) < threshold 90 % (0.9)",
		},
		{
			name: "efficiency NaN", c: configWith(t), m: rules.Metrics{Efficiency: math.NaN()}, rule: 0,
			wantValue: "NaN % (NaN)", wantThreshold: "90 % (0.9)",
			wantMessage: "image efficiency is too low: measured value is not a number",
		},
		{
			name: "bytes too many", c: configWith(t, "highestWastedBytes", "1.5 GiB"), m: rules.Metrics{WastedBytes: 2_000_000_000}, rule: 1,
			wantValue: "2.0 GB (2000000000 bytes)", wantThreshold: "1.6 GB (1610612736 bytes)",
			wantMessage: "too many bytes wasted: 2.0 GB (2000000000 bytes) > threshold 1.6 GB (1610612736 bytes)",
		},
		{
			name: "small byte counts are exact", c: configWith(t, "highestWastedBytes", "999"), m: rules.Metrics{WastedBytes: 7}, rule: 1,
			wantValue: "7 B", wantThreshold: "999 B",
			wantMessage: "7 B <= threshold 999 B",
		},
		{
			name: "user percent rounding", c: configWith(t, "highestUserWastedPercent", "0.123456789"), m: rules.Metrics{UserWastedPercent: 0.00001}, rule: 2,
			wantValue: "0.001 % (1e-05)", wantThreshold: "12.3457 % (0.123456789)",
			wantMessage: "0.001 % (1e-05) <= threshold 12.3457 % (0.123456789)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rules.Evaluate(tt.c, tt.m).Results[tt.rule]
			if got.Value != tt.wantValue || got.Threshold != tt.wantThreshold || got.Message != tt.wantMessage {
				t.Errorf("got value %q threshold %q message %q\nwant value %q threshold %q message %q",
					got.Value, got.Threshold, got.Message, tt.wantValue, tt.wantThreshold, tt.wantMessage)
			}
		})
	}
}

func TestReportPassedAndCounts(t *testing.T) {
	tests := []struct {
		name                string
		statuses            []rules.Status
		wantPassed          bool
		wantP, wantF, wantS int
	}{
		{name: "empty", wantPassed: true},
		{name: "all skipped", statuses: []rules.Status{rules.Skip, rules.Skip, rules.Skip}, wantPassed: true, wantS: 3},
		{name: "all passed", statuses: []rules.Status{rules.Pass, rules.Pass, rules.Pass}, wantPassed: true, wantP: 3},
		{name: "one failed", statuses: []rules.Status{rules.Pass, rules.Skip, rules.Fail}, wantPassed: false, wantP: 1, wantF: 1, wantS: 1},
		{name: "all failed", statuses: []rules.Status{rules.Fail, rules.Fail, rules.Fail}, wantPassed: false, wantF: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r rules.Report
			for _, s := range tt.statuses {
				r.Results = append(r.Results, rules.RuleResult{Name: "x", Status: s})
			}
			if got := r.Passed(); got != tt.wantPassed {
				t.Errorf("Passed() = %v, want %v", got, tt.wantPassed)
			}
			if p, f, s := r.Counts(); p != tt.wantP || f != tt.wantF || s != tt.wantS {
				t.Errorf("Counts() = %d, %d, %d, want %d, %d, %d", p, f, s, tt.wantP, tt.wantF, tt.wantS)
			}
		})
	}
}
