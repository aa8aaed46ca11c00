package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The lines `strata --ci` prints for dive's test image.
const (
	failUserWasted = "  FAIL  highestUserWastedPercent: too many bytes wasted relative to the bytes added by user layers: " +
		"48.3491 % (0.4834911001404049) > threshold 10 % (0.1)"
	resultDefaultRules = "Result: FAIL [total:4] [passed:2] [failed:1] [skipped:1]"
	resultDiveCI       = "Result: PASS [total:4] [passed:4] [failed:0] [skipped:0]"
	diveCIWarning      = ": ignoring unknown keys: plugins, rules.plugin1/rule1"
)

// inEmptyDir runs the rest of the test in an empty working directory, so
// that no rules file lying around changes the rules.
func inEmptyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func TestCIDefaultRulesFailOnDiveImage(t *testing.T) {
	img := diveImage(t)
	inEmptyDir(t)

	r := strata(t, noEnv, "--ci", img)
	wantExit(t, r, exitRuleFailed)
	for _, want := range []string{
		"CI (default rules):",
		"  PASS  lowestEfficiency: 98.4421 % (0.9844212134184309) >= threshold 90 % (0.9)",
		"  SKIP  highestWastedBytes: rule disabled",
		failUserWasted,
		resultDefaultRules,
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("stdout lacks the line %q\n%s", want, r)
		}
	}
	if !strings.Contains(r.stdout, "Efficiency:") {
		t.Errorf("stdout lacks the summary\n%s", r)
	}
	if r.stderr != "" {
		t.Errorf("stderr is not empty\n%s", r)
	}
}

func TestCIConfigDiveFile(t *testing.T) {
	img := diveImage(t)
	diveCI := diveFixture(t, ".dive-ci")
	rulesFile := filepath.Join(inEmptyDir(t), "dive-ci.yaml")
	copyFile(t, diveCI, rulesFile)

	r := strata(t, noEnv, "--ci", "--ci-config", rulesFile, img)
	wantExit(t, r, exitOK)
	for _, want := range []string{
		"CI (rules from " + rulesFile + "):",
		"  PASS  lowestEfficiency: 98.4421 % (0.9844212134184309) >= threshold 95 % (0.95)",
		"  PASS  highestWastedBytes: 32 kB (32025 bytes) <= threshold 20 MB (20000000 bytes)",
		"  PASS  highestUserWastedPercent: 48.3491 % (0.4834911001404049) <= threshold 50 % (0.5)",
		resultDiveCI,
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("stdout lacks the line %q\n%s", want, r)
		}
	}
	wantStderr := "strata: warning: " + rulesFile + diveCIWarning + "\n"
	if r.stderr != wantStderr {
		t.Errorf("stderr = %q, want one warning %q", r.stderr, wantStderr)
	}
}

func TestCIRulesFileInWorkingDirectory(t *testing.T) {
	img := diveImage(t)
	diveCI := diveFixture(t, ".dive-ci")
	dir := inEmptyDir(t)
	copyFile(t, diveCI, filepath.Join(dir, ".dive-ci"))

	t.Run("dive-ci", func(t *testing.T) {
		r := strata(t, noEnv, "--ci", img)
		wantExit(t, r, exitOK)
		if !hasLine(r.stdout, "CI (rules from .dive-ci):") || !hasLine(r.stdout, resultDiveCI) {
			t.Errorf("stdout does not show .dive-ci's rules passing\n%s", r)
		}
		if want := "strata: warning: .dive-ci" + diveCIWarning + "\n"; r.stderr != want {
			t.Errorf("stderr = %q, want one warning %q", r.stderr, want)
		}
	})

	t.Run("strata-ci.yaml over dive-ci", func(t *testing.T) {
		writeFile(t, dir, ".strata-ci.yaml", "rules:\n  lowestEfficiency: 0.99\n")
		r := strata(t, noEnv, "--ci", img)
		wantExit(t, r, exitRuleFailed)
		if !hasLine(r.stdout, "CI (rules from .strata-ci.yaml):") {
			t.Errorf("stdout does not name .strata-ci.yaml\n%s", r)
		}
		want := "  FAIL  lowestEfficiency: image efficiency is too low: 98.4421 % (0.9844212134184309) < threshold 99 % (0.99)"
		if !hasLine(r.stdout, want) {
			t.Errorf("stdout lacks the line %q\n%s", want, r)
		}
		// .dive-ci was not read, so it raised no warning.
		if r.stderr != "" {
			t.Errorf("stderr is not empty\n%s", r)
		}
	})

	t.Run("--ci-config over both", func(t *testing.T) {
		explicit := writeFile(t, t.TempDir(), "rules.yaml", "rules:\n  highestUserWastedPercent: off\n")
		r := strata(t, noEnv, "--ci", "--ci-config", explicit, img)
		wantExit(t, r, exitOK)
		if !hasLine(r.stdout, "CI (rules from "+explicit+"):") ||
			!hasLine(r.stdout, "  SKIP  highestUserWastedPercent: rule disabled") {
			t.Errorf("stdout does not show %s's rules\n%s", explicit, r)
		}
	})
}

func TestCIOverrides(t *testing.T) {
	img := diveImage(t)
	diveCI := diveFixture(t, ".dive-ci")
	rulesFile := filepath.Join(inEmptyDir(t), "dive-ci.yaml")
	copyFile(t, diveCI, rulesFile)

	tests := []struct {
		name     string
		args     []string
		wantExit int
		wantLine string
	}{
		{
			name:     "lowest efficiency above the image's",
			args:     []string{"--ci-config", rulesFile, "--lowest-efficiency", "0.99"},
			wantExit: exitRuleFailed,
			wantLine: "  FAIL  lowestEfficiency: image efficiency is too low: 98.4421 % (0.9844212134184309) < threshold 99 % (0.99)",
		},
		{
			name:     "highest wasted bytes below the image's",
			args:     []string{"--ci-config", rulesFile, "--highest-wasted-bytes", "20kB"},
			wantExit: exitRuleFailed,
			wantLine: "  FAIL  highestWastedBytes: too many bytes wasted: 32 kB (32025 bytes) > threshold 20 kB (20000 bytes)",
		},
		{
			name:     "user wasted percent disabled",
			args:     []string{"--highest-user-wasted-percent", "disabled"},
			wantExit: exitOK,
			wantLine: "  SKIP  highestUserWastedPercent: rule disabled",
		},
		{
			name:     "user wasted percent raised",
			args:     []string{"--highest-user-wasted-percent=0.5"},
			wantExit: exitOK,
			wantLine: "  PASS  highestUserWastedPercent: 48.3491 % (0.4834911001404049) <= threshold 50 % (0.5)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"--ci"}, tt.args...), img)
			r := strata(t, noEnv, args...)
			wantExit(t, r, tt.wantExit)
			if !hasLine(r.stdout, tt.wantLine) {
				t.Errorf("stdout lacks the line %q\n%s", tt.wantLine, r)
			}
		})
	}
}

func TestCIFromEnvironment(t *testing.T) {
	img := diveImage(t)
	inEmptyDir(t)

	tests := []struct {
		ci     string
		args   []string
		wantCI bool
	}{
		{ci: "true", wantCI: true},
		{ci: "TRUE", wantCI: true},
		{ci: "1", wantCI: true},
		{ci: "yes", wantCI: true},
		{ci: "", wantCI: false},
		{ci: "false", wantCI: false},
		{ci: "0", wantCI: false},
		{ci: "true", args: []string{"--ci=false"}, wantCI: false},
		{ci: "false", args: []string{"--ci"}, wantCI: true},
		{ci: "", args: []string{"--ci=true"}, wantCI: true},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			args := append(append([]string(nil), tt.args...), img)
			r := strata(t, map[string]string{"CI": tt.ci}, args...)
			if tt.wantCI {
				wantExit(t, r, exitRuleFailed)
				if !hasLine(r.stdout, resultDefaultRules) {
					t.Errorf("stdout lacks %q\n%s", resultDefaultRules, r)
				}
				return
			}
			wantExit(t, r, exitOK)
			if strings.Contains(r.stdout, "Result:") || strings.Contains(r.stdout, "CI (") {
				t.Errorf("CI is off but the rules ran\n%s", r)
			}
			if !strings.Contains(r.stdout, "Efficiency:") {
				t.Errorf("stdout lacks the summary\n%s", r)
			}
		})
	}
}

// junitSuite is the part of a JUnit report the tests read.
type junitSuite struct {
	XMLName  xml.Name `xml:"testsuite"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Cases    []struct {
		Classname string `xml:"classname,attr"`
		Name      string `xml:"name,attr"`
		Failure   *struct {
			Message string `xml:"message,attr"`
		} `xml:"failure"`
		Skipped *struct{} `xml:"skipped"`
	} `xml:"testcase"`
}

func TestCIReportJUnit(t *testing.T) {
	img := diveImage(t)
	dir := inEmptyDir(t)
	path := filepath.Join(dir, "reports", "junit.xml")
	if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}

	r := strata(t, noEnv, "--ci", "--ci-report", "junit="+path, img)
	wantExit(t, r, exitRuleFailed)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no JUnit report: %v\n%s", err, r)
	}
	var suite junitSuite
	if err := xml.Unmarshal(data, &suite); err != nil {
		t.Fatalf("the JUnit report does not parse: %v\n%s", err, data)
	}
	if len(suite.Cases) != 4 || suite.Tests != 4 || suite.Failures != 1 || suite.Skipped != 1 {
		t.Fatalf("suite has %d testcases, tests=%d failures=%d skipped=%d; want 4, 4, 1, 1\n%s",
			len(suite.Cases), suite.Tests, suite.Failures, suite.Skipped, data)
	}
	if suite.Name != "strata "+img {
		t.Errorf("suite name %q, want %q", suite.Name, "strata "+img)
	}
	wantNames := []string{"lowestEfficiency", "highestWastedBytes", "highestUserWastedPercent", "noHiddenSecrets"}
	for i, c := range suite.Cases {
		if c.Name != wantNames[i] {
			t.Errorf("testcase %d is %q, want %q", i, c.Name, wantNames[i])
		}
	}
	if c := suite.Cases[0]; c.Failure != nil || c.Skipped != nil {
		t.Errorf("lowestEfficiency did not pass:\n%s", data)
	}
	if c := suite.Cases[1]; c.Skipped == nil {
		t.Errorf("highestWastedBytes was not skipped:\n%s", data)
	}
	if c := suite.Cases[2]; c.Failure == nil || !strings.Contains(c.Failure.Message, "too many bytes wasted") {
		t.Errorf("highestUserWastedPercent did not fail:\n%s", data)
	}
	if names := dirNames(t, filepath.Dir(path)); len(names) != 1 {
		t.Errorf("the report's directory holds %q, want only junit.xml", names)
	}
}

// The large-image finding's budget is highestImageSize's limit when that
// rule is on, from a flag or the rules file, so that the finding and the
// rule say the same; else it is 1 GB.
func TestImageSizeBudget(t *testing.T) {
	demo := demoImage(t)
	rulesFile := filepath.Join(inEmptyDir(t), "budget.yaml")
	if err := os.WriteFile(rulesFile, []byte("rules:\n  highestImageSize: 1MB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const finding = "warning     640 kB  large-image        the image is 1640449 bytes, more than the budget of 1000000: "
	for _, tc := range []struct {
		name string
		args []string
		exit int
		want bool
	}{
		{"no rule", []string{"--no-tui"}, exitOK, false},
		{"a flag under the image's size", []string{"--highest-image-size", "1MB", "--highest-user-wasted-percent", "off", "--lowest-efficiency", "off"}, exitRuleFailed, true},
		{"the rules file's", []string{"--ci", "--ci-config", rulesFile, "--highest-user-wasted-percent", "off", "--lowest-efficiency", "off"}, exitRuleFailed, true},
		{"the rule off", []string{"--ci", "--ci-config", rulesFile, "--highest-image-size", "off", "--highest-user-wasted-percent", "off", "--lowest-efficiency", "off"}, exitOK, false},
	} {
		r := strata(t, noEnv, append(append([]string{"inspect"}, tc.args...), demo)...)
		wantExit(t, r, tc.exit)
		got := false
		for _, l := range lines(r.stdout) {
			if strings.HasPrefix(l, finding) {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("%s: the large-image finding shown: %v, want %v\n%s", tc.name, got, tc.want, r.stdout)
		}
		if strings.Contains(r.stdout, "large-image") != tc.want {
			t.Errorf("%s: large-image in the output: %v, want %v", tc.name, !tc.want, tc.want)
		}
	}
}
