package rules_test

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/rules"
)

func TestLoadDiffPackageRules(t *testing.T) {
	path := writeFile(t, t.TempDir(), "rules.yaml", "diff:\n  noNewPackages: true\n  highestPackageSizeIncrease: 10MB\n")
	c, warnings, err := rules.LoadDiff(path, "")
	if err != nil || len(warnings) != 0 {
		t.Fatalf("LoadDiff: %v %q", err, warnings)
	}
	if c.NoNewPackages != (rules.Threshold{Raw: "true", Source: path}) ||
		c.HighestPackageSizeIncrease != (rules.Threshold{Bytes: 10_000_000, Raw: "10MB", Source: path}) {
		t.Errorf("package rules: %+v %+v", c.NoNewPackages, c.HighestPackageSizeIncrease)
	}
	for value, disabled := range map[string]bool{"false": true, "disabled": true, "off": true, "1": false, "TRUE": false} {
		if err := c.Override("no-new-packages", value); err != nil || c.NoNewPackages.Disabled != disabled {
			t.Errorf("--no-new-packages %s: %v, disabled %v", value, err, c.NoNewPackages.Disabled)
		}
	}
	if err := c.Override("highest-package-size-increase", "1kB"); err != nil || c.HighestPackageSizeIncrease.Bytes != 1000 {
		t.Errorf("--highest-package-size-increase 1kB: %v, %+v", err, c.HighestPackageSizeIncrease)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"diff:\n  noNewPackages: maybe\n", `invalid value "maybe" for rule diff.noNewPackages: not true or false`},
		{"diff:\n  highestPackageSizeIncrease: 5%\n", `invalid value "5%" for rule diff.highestPackageSizeIncrease`},
	} {
		_, _, err := rules.LoadDiff(writeFile(t, t.TempDir(), "rules.yaml", bad.yaml), "")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.yaml, err, bad.want)
		}
	}
}

func TestEvaluateDiffPackages(t *testing.T) {
	c := rules.DefaultDiff()
	m := rules.DiffMetrics{SizeA: 10, SizeB: 10, Efficiency: 1, Packages: &rules.PackageMetrics{
		New:             []string{"deb python3-pip", "deb python3-wheel", "npm a", "npm b", "npm c", "npm d"},
		LargestIncrease: 2_500_000, LargestIncreaseName: "deb python3-pip",
	}}
	check := func(what string, c rules.DiffConfig, m rules.DiffMetrics, want ...string) {
		t.Helper()
		var b strings.Builder
		if err := rules.EvaluateDiff(c, m).WriteText(&b); err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(got) != 6 || strings.Join(got[3:], "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\ngot:\n%s\nwant (after the first three):\n%s", what, b.String(), strings.Join(want, "\n"))
		}
	}
	check("defaults", c, m,
		"  SKIP  noNewPackages: rule disabled",
		"  SKIP  highestPackageSizeIncrease: rule disabled",
		"Result: PASS [total:5] [passed:1] [failed:0] [skipped:4]")
	if err := c.Override(rules.NoNewPackages, "true"); err != nil {
		t.Fatal(err)
	}
	if err := c.Override(rules.HighestPackageSizeIncrease, "2MB"); err != nil {
		t.Fatal(err)
	}
	check("failing", c, m,
		"  FAIL  noNewPackages: image B has packages image A lacks: 6 new: deb python3-pip, deb python3-wheel, npm a, npm b, npm c and 1 more",
		"  FAIL  highestPackageSizeIncrease: deb python3-pip grew too much: 2.5 MB (2500000 bytes) > threshold 2.0 MB (2000000 bytes)",
		"Result: FAIL [total:5] [passed:1] [failed:2] [skipped:2]")
	check("passing", c, rules.DiffMetrics{Efficiency: 1, Packages: &rules.PackageMetrics{}},
		"  PASS  noNewPackages: no package in B that A lacks",
		"  PASS  highestPackageSizeIncrease: 0 B <= threshold 2.0 MB (2000000 bytes)",
		"Result: PASS [total:5] [passed:3] [failed:0] [skipped:2]")
	var b strings.Builder
	if err := rules.EvaluateDiff(c, rules.DiffMetrics{Efficiency: 1}).WriteText(&b); err != nil || strings.Contains(b.String(), "Package") {
		t.Errorf("without package metrics the package rules are left out:\n%s", b.String())
	}
}
