package rules_test

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze/rules"
)

// Independent of the package's own types, so the test checks the XML shape.
type suiteXML struct {
	XMLName  xml.Name  `xml:"testsuite"`
	Name     string    `xml:"name,attr"`
	Tests    int       `xml:"tests,attr"`
	Failures int       `xml:"failures,attr"`
	Errors   int       `xml:"errors,attr"`
	Skipped  int       `xml:"skipped,attr"`
	Time     string    `xml:"time,attr"`
	Cases    []caseXML `xml:"testcase"`
}

type caseXML struct {
	Classname string `xml:"classname,attr"`
	Name      string `xml:"name,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
}

func TestWriteJUnit(t *testing.T) {
	tests := []struct {
		name                       string
		c                          rules.Config
		m                          rules.Metrics
		wantFailures, wantSkipped  int
		wantFailed, wantSkippedSet map[string]bool
	}{
		{
			name: "defaults", c: rules.Default(), m: exampleMetrics,
			wantFailures: 1, wantSkipped: 1,
			wantFailed:     map[string]bool{"highestUserWastedPercent": true},
			wantSkippedSet: map[string]bool{"highestWastedBytes": true},
		},
		{
			name: "all fail", c: configWith(t, "highestWastedBytes", "1kB", "lowestEfficiency", "0.99"), m: exampleMetrics,
			wantFailures: 3,
			wantFailed:   map[string]bool{"lowestEfficiency": true, "highestWastedBytes": true, "highestUserWastedPercent": true},
		},
		{
			name: "all skipped", c: configWith(t, "lowestEfficiency", "off", "highestUserWastedPercent", "off"), m: exampleMetrics,
			wantSkipped:    3,
			wantSkippedSet: map[string]bool{"lowestEfficiency": true, "highestWastedBytes": true, "highestUserWastedPercent": true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules.Evaluate(tt.c, tt.m)
			var b strings.Builder
			if err := r.WriteJUnit(&b, "strata ci: alpine:3.20", 1500*time.Millisecond); err != nil {
				t.Fatalf("WriteJUnit: %v", err)
			}
			out := b.String()
			if !strings.HasPrefix(out, xml.Header) {
				t.Errorf("output does not start with the XML header:\n%s", out)
			}
			var s suiteXML
			if err := xml.Unmarshal([]byte(out), &s); err != nil {
				t.Fatalf("parsing output: %v\n%s", err, out)
			}
			if s.Name != "strata ci: alpine:3.20" || s.Time != "1.500" || s.Tests != len(r.Results) || s.Errors != 0 ||
				s.Failures != tt.wantFailures || s.Skipped != tt.wantSkipped {
				t.Errorf("suite = name %q time %q tests %d errors %d failures %d skipped %d, want %q 1.500 4 0 %d %d",
					s.Name, s.Time, s.Tests, s.Errors, s.Failures, s.Skipped, "strata ci: alpine:3.20", tt.wantFailures, tt.wantSkipped)
			}
			if len(s.Cases) != len(r.Results) {
				t.Fatalf("got %d test cases, want %d", len(s.Cases), len(r.Results))
			}
			for i, c := range s.Cases {
				res := r.Results[i]
				if c.Classname != "strata.ci" || c.Name != res.Name {
					t.Errorf("case %d = %s/%s, want strata.ci/%s", i, c.Classname, c.Name, res.Name)
				}
				if got := c.Failure != nil; got != tt.wantFailed[c.Name] {
					t.Errorf("%s: has failure = %v, want %v", c.Name, got, tt.wantFailed[c.Name])
				} else if got {
					if c.Failure.Message != res.Message {
						t.Errorf("%s: failure message %q, want %q", c.Name, c.Failure.Message, res.Message)
					}
					if !strings.Contains(c.Failure.Text, res.Value) || !strings.Contains(c.Failure.Text, res.Threshold) {
						t.Errorf("%s: failure text %q lacks value %q or threshold %q", c.Name, c.Failure.Text, res.Value, res.Threshold)
					}
				}
				if got := c.Skipped != nil; got != tt.wantSkippedSet[c.Name] {
					t.Errorf("%s: has skipped = %v, want %v", c.Name, got, tt.wantSkippedSet[c.Name])
				} else if got && c.Skipped.Message != "rule disabled" {
					t.Errorf("%s: skipped message %q, want %q", c.Name, c.Skipped.Message, "rule disabled")
				}
			}
		})
	}
}

func TestWriteJUnitEscapesAndClampsTime(t *testing.T) {
	var b strings.Builder
	r := rules.Report{Results: []rules.RuleResult{{Name: `a<b&"c"`, Status: rules.Fail, Message: "x < y & z"}}}
	if err := r.WriteJUnit(&b, "s", -time.Second); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	var s suiteXML
	if err := xml.Unmarshal([]byte(b.String()), &s); err != nil {
		t.Fatalf("parsing output: %v\n%s", err, b.String())
	}
	if s.Time != "0.000" || len(s.Cases) != 1 || s.Cases[0].Name != `a<b&"c"` ||
		s.Cases[0].Failure == nil || s.Cases[0].Failure.Message != "x < y & z" {
		t.Errorf("round trip lost data:\n%s", b.String())
	}
}
