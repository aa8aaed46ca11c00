package rules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/rules"
)

func TestWriteText(t *testing.T) {
	tests := []struct {
		name string
		c    func(t *testing.T) rules.Config
		want []string
	}{
		{
			name: "defaults",
			c:    func(t *testing.T) rules.Config { return rules.Default() },
			want: []string{
				"  PASS  lowestEfficiency: 98.4421 % (0.9844212134184309) >= threshold 90 % (0.9)",
				"  SKIP  highestWastedBytes: rule disabled",
				"  FAIL  highestUserWastedPercent: too many bytes wasted relative to the bytes added by user layers: 48.3491 % (0.4834911001404049) > threshold 10 % (0.1)",
				"  PASS  noHiddenSecrets: none found",
				"Result: FAIL [total:4] [passed:2] [failed:1] [skipped:1]",
			},
		},
		{
			name: "dive file",
			c: func(t *testing.T) rules.Config {
				dir := t.TempDir()
				writeFile(t, dir, rules.DiveFile, diveFile)
				c, _, err := rules.Load("", dir)
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return c
			},
			want: []string{
				"  PASS  lowestEfficiency: 98.4421 % (0.9844212134184309) >= threshold 95 % (0.95)",
				"  PASS  highestWastedBytes: 32 kB (32025 bytes) <= threshold 20 MB (20000000 bytes)",
				"  PASS  highestUserWastedPercent: 48.3491 % (0.4834911001404049) <= threshold 50 % (0.5)",
				"  PASS  noHiddenSecrets: none found",
				"Result: PASS [total:4] [passed:4] [failed:0] [skipped:0]",
			},
		},
		{
			name: "user percent switched off",
			c:    func(t *testing.T) rules.Config { return configWith(t, "highest-user-wasted-percent", "off") },
			want: []string{
				"  PASS  lowestEfficiency: 98.4421 % (0.9844212134184309) >= threshold 90 % (0.9)",
				"  SKIP  highestWastedBytes: rule disabled",
				"  SKIP  highestUserWastedPercent: rule disabled",
				"  PASS  noHiddenSecrets: none found",
				"Result: PASS [total:4] [passed:2] [failed:0] [skipped:2]",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := rules.Evaluate(tt.c(t), exampleMetrics).WriteText(&b); err != nil {
				t.Fatalf("WriteText: %v", err)
			}
			want := strings.Join(tt.want, "\n") + "\n"
			if b.String() != want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
			}
			if strings.Contains(b.String(), "\x1b") {
				t.Error("output contains an escape sequence")
			}
		})
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteErrors(t *testing.T) {
	r := rules.Evaluate(rules.Default(), exampleMetrics)
	if err := r.WriteText(failingWriter{}); !errors.Is(err, errWrite) {
		t.Errorf("WriteText error = %v, want %v", err, errWrite)
	}
	if err := r.WriteJUnit(failingWriter{}, "strata", 0); !errors.Is(err, errWrite) {
		t.Errorf("WriteJUnit error = %v, want %v", err, errWrite)
	}
}
