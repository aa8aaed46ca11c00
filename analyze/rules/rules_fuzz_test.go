package rules_test

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze/rules"
)

// FuzzLoad reads arbitrary bytes as a rules file. Load must never panic;
// it returns either an error that names the file, or thresholds that are
// usable: ratios in [0, 1], each one parsed again from its Raw value to
// itself, and an evaluation that can be written as text and JUnit.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"",
		"rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n",
		"rules:\n  lowestEfficiency: \"0.9\"\n  highestWastedBytes: 1.5 GiB\nplugins:\n  - name: x\n",
		"rules: &r\n  lowestEfficiency: 0.5\nother: *r\n",
		"rules:\n  lowestEfficiency: 1.5\n",
		"rules:\n  highestWastedBytes: -1\n",
		"rules:\n  lowestEfficiency: 0.1\n  lowestEfficiency: 0.2\n",
		"rules: [1, 2]\n",
		"- a\n- b\n",
		"rules:\n  highestUserWastedPercent: NaN\n  lowestEfficiency: .inf\n",
		"diff:\n  x: 1\nrules: ~\n",
		"\t{",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), rules.StrataFile)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, warnings, err := rules.Load(path, "")
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("the error does not name the file: %v", err)
			}
			var ve *rules.ValueError
			if errors.As(err, &ve) && ve.File != path {
				t.Fatalf("ValueError of %q names the file %q", path, ve.File)
			}
			return
		}
		for _, w := range warnings {
			if !strings.Contains(w, path) {
				t.Fatalf("the warning does not name the file: %q", w)
			}
		}
		for _, r := range []struct {
			name string
			th   rules.Threshold
		}{
			{rules.LowestEfficiency, c.LowestEfficiency},
			{rules.HighestWastedBytes, c.HighestWastedBytes},
			{rules.HighestUserWastedPercent, c.HighestUserWastedPercent},
		} {
			th := r.th
			if math.IsNaN(th.Ratio) || th.Ratio < 0 || th.Ratio > 1 {
				t.Fatalf("%s: ratio %v from %q", r.name, th.Ratio, th.Raw)
			}
			// The value the file gave, given again on the command line,
			// means the same.
			var again rules.Config
			if err := again.Override(r.name, th.Raw); err != nil {
				t.Fatalf("%s: %q from the file does not parse again: %v", r.name, th.Raw, err)
			}
			got := map[string]rules.Threshold{
				rules.LowestEfficiency:         again.LowestEfficiency,
				rules.HighestWastedBytes:       again.HighestWastedBytes,
				rules.HighestUserWastedPercent: again.HighestUserWastedPercent,
			}[r.name]
			if got.Disabled != th.Disabled || got.Ratio != th.Ratio || got.Bytes != th.Bytes {
				t.Fatalf("%s: %q parses to %+v from the file and %+v again", r.name, th.Raw, th, got)
			}
		}
		for _, m := range []rules.Metrics{{}, {SizeBytes: 100, UserSizeBytes: 50, WastedBytes: 30, Efficiency: 0.7, UserWastedPercent: 0.6}} {
			rep := rules.Evaluate(c, m)
			if p, fl, s := rep.Counts(); p+fl+s < 3 {
				t.Fatalf("%d results", p+fl+s)
			}
			if err := rep.WriteText(io.Discard); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteJUnit(io.Discard, "fuzz", time.Second); err != nil {
				t.Fatal(err)
			}
		}
	})
}
