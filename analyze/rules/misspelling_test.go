package rules_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/rules"
)

// TestMisspelledKeyIsAnError checks that a key a typo away from a rule is an
// error that names the rule meant, never a warning that lets the default, a
// looser gate, apply; and that keys that are no rule's typo stay warnings.
func TestMisspelledKeyIsAnError(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		diff       bool     // read with LoadDiff
		wantErr    []string // what the error holds; none: no error
		wantWarn   []string
	}{
		{name: "a letter missing", file: "rules:\n  lowestEfficency: 0.95\n",
			wantErr: []string{"line 2", `"rules.lowestEfficency"`, "did you mean lowestEfficiency?"}},
		{name: "two letters swapped", file: "rules:\n  highestWastedBtyes: 20MB\n",
			wantErr: []string{`"rules.highestWastedBtyes"`, "did you mean highestWastedBytes?"}},
		{name: "another case", file: "rules:\n  HighestUserWastedPercent: 0.1\n",
			wantErr: []string{"did you mean highestUserWastedPercent?"}},
		{name: "flag spelling", file: "rules:\n  lowest-efficiency: 0.95\n",
			wantErr: []string{"did you mean lowestEfficiency?"}},
		{name: "snake case", file: "rules:\n  highest_user_wasted_percent: 0.1\n",
			wantErr: []string{"did you mean highestUserWastedPercent?"}},
		{name: "section misspelled", file: "rule:\n  lowestEfficiency: 0.95\n",
			wantErr: []string{"line 1", `"rule"`, "did you mean rules?"}},
		{name: "rule at the top level", file: "lowestEfficiency: 0.95\n",
			wantErr: []string{`"lowestEfficiency"`, "lowestEfficiency goes in the rules: section"}},
		{name: "diff rule in rules:", file: "rules:\n  highestSizeIncrease: 5%\n",
			wantErr: []string{`"rules.highestSizeIncrease"`, "goes in the diff: section"}},
		{name: "diff rule misspelled", diff: true, file: "diff:\n  highestSizeIncrese: 5%\n",
			wantErr: []string{"line 2", `"diff.highestSizeIncrese"`, "did you mean highestSizeIncrease?"}},
		{name: "inspect rule in diff:", diff: true, file: "diff:\n  highestWastedBytes: 5MB\n",
			wantErr: []string{`"diff.highestWastedBytes"`, "goes in the rules: section"}},
		{name: "dive's plugins stay a warning", file: "plugins:\n  - name: x\nrules:\n  plugin1/rule1: error\n  lowestEfficiency: 0.9\n",
			wantWarn: []string{"ignoring unknown keys: plugins, rules.plugin1/rule1"}},
		{name: "an unrelated key stays a warning", diff: true, file: "diff:\n  colour: blue\n",
			wantWarn: []string{"ignoring unknown keys: diff.colour"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), rules.StrataFile, tt.file)
			var warnings []string
			var err error
			if tt.diff {
				_, warnings, err = rules.LoadDiff(path, "")
			} else {
				_, warnings, err = rules.Load(path, "")
			}
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("error %v, want warnings %q", err, tt.wantWarn)
				}
				var want []string
				for _, w := range tt.wantWarn {
					want = append(want, path+": "+w)
				}
				if !reflect.DeepEqual(warnings, want) {
					t.Errorf("warnings = %q, want %q", warnings, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error (warnings %q), want one holding %q", warnings, tt.wantErr)
			}
			for _, w := range append([]string{path}, tt.wantErr...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not hold %q", err, w)
				}
			}
		})
	}
}
