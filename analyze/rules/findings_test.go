package rules_test

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/rules"
)

var someFindings = []findings.Finding{
	{ID: findings.HiddenSecret, Severity: findings.Error, Paths: []findings.Path{{Path: "/root/.ssh/id_rsa", Layer: 1, Kind: "private key", Fingerprint: "0a1b2c3d"}}},
	{ID: findings.RunsAsRoot, Severity: findings.Warning},
	{ID: findings.PackageCache, Severity: findings.Info, Paths: []findings.Path{{Path: "/var/cache/apk/x"}}},
}

func TestRulesOnFindings(t *testing.T) {
	for _, tt := range []struct {
		name    string
		rules   []string // name, value pairs
		fs      []findings.Finding
		want    string // the result of the rule set (else noHiddenSecrets): status and message
		results int
	}{
		{"a hidden secret fails by default", nil, someFindings,
			"FAIL secrets a later step deleted, still in a layer: hidden-secret /root/.ssh/id_rsa (private key, layer 1, fingerprint 0a1b2c3d)", 4},
		{"no hidden secret passes", nil, someFindings[1:], "PASS none found", 4},
		{"noHiddenSecrets off", []string{"noHiddenSecrets", "false"}, someFindings, "SKIP rule disabled", 3},
		{"root user", []string{"noRootUser", "true"}, someFindings[1:], "FAIL the image runs as root: runs-as-root", 5},
		{"failOn an id", []string{"failOn", "package-cache"}, someFindings[1:], "FAIL findings the rules fail on: package-cache /var/cache/apk/x", 5},
		{"failOn a severity", []string{"failOn", "warning"}, someFindings[2:], "PASS none found", 5},
		{"failOn warning catches errors", []string{"failOn", "warning"}, someFindings, "FAIL findings the rules fail on: hidden-secret /root/.ssh/id_rsa (private key, layer 1, fingerprint 0a1b2c3d); runs-as-root", 5},
		{"image size", []string{"highestImageSize", "1kB"}, nil, "FAIL the image is too large: 2.0 kB (2000 bytes) > threshold 1.0 kB (1000 bytes)", 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := rules.Default()
			for i := 0; i+1 < len(tt.rules); i += 2 {
				if err := c.Override(tt.rules[i], tt.rules[i+1]); err != nil {
					t.Fatal(err)
				}
			}
			r := rules.Evaluate(c, rules.Metrics{SizeBytes: 2000, Efficiency: 1, Findings: tt.fs})
			name := rules.NoHiddenSecrets
			if tt.rules != nil {
				name = tt.rules[0]
			}
			got := "SKIP rule disabled" // a rule on findings that is off is not reported
			for _, res := range r.Results {
				if res.Name == name {
					got = string(res.Status) + " " + res.Message
				}
			}
			if got != tt.want || len(r.Results) != tt.results {
				t.Errorf("%d results, %s %q; want %d and %q", len(r.Results), name, got, tt.results, tt.want)
			}
		})
	}
}

func TestFailOnInAFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, rules.StrataFile, "rules:\n  failOn: [hidden-secret, error]\n  highestImageSize: 500MB\n")
	c, _, err := rules.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailOn.List != "hidden-secret,error" || c.HighestImageSize.Bytes != 500_000_000 {
		t.Errorf("failOn %q, highestImageSize %d", c.FailOn.List, c.HighestImageSize.Bytes)
	}
	writeFile(t, dir, rules.StrataFile, "rules:\n  failOn: [hiden-secret]\n")
	if _, _, err := rules.Load("", dir); err == nil || !strings.Contains(err.Error(), "did you mean hidden-secret?") {
		t.Errorf("a misspelled finding: %v", err)
	}
	writeFile(t, dir, rules.StrataFile, "rules:\n  noHidenSecrets: false\n")
	if _, _, err := rules.Load("", dir); err == nil || !strings.Contains(err.Error(), "did you mean noHiddenSecrets?") {
		t.Errorf("a misspelled rule: %v", err)
	}
}
