package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/rules"
	"github.com/strata-dev/strata/internal/textsafe"
)

// ciGate checks an analysis against the CI rules.
type ciGate struct {
	config    rules.Config
	junit     []string
	signature rules.Signature // what checking the signatures found
}

func newCIGate(cmd *cobra.Command, f *inspectFlags, env *environment) (*ciGate, error) {
	g := &ciGate{}
	junit, err := junitPaths(f.ciReports)
	if err != nil {
		return nil, err
	}
	g.junit = junit
	cfg, warnings, err := rules.Load(f.ciConfig, ".")
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		warn(env.stderr, "%s", w)
	}
	for _, o := range []struct {
		flag, rule string
		value      string
	}{
		{"lowest-efficiency", rules.LowestEfficiency, f.lowestEff},
		{"highest-wasted-bytes", rules.HighestWastedBytes, f.wastedBytes},
		{"highest-user-wasted-percent", rules.HighestUserWastedPercent, f.userWasted},
		{"require-signature", rules.RequireSignature, f.requireSig},
	} {
		if !cmd.Flags().Changed(o.flag) {
			continue
		}
		if err := cfg.Override(o.rule, o.value); err != nil {
			return nil, fmt.Errorf("--%s: %w", o.flag, err)
		}
	}
	g.config = cfg
	return g, nil
}

// run prints the analysis summary and the rules' results, writes the
// JUnit reports, and fails with exitRuleFailed when a rule failed.
func (g *ciGate) run(w io.Writer, meta report.Meta, res *analyze.Result, took time.Duration, verbose bool) error {
	m := res.Metrics
	report := rules.Evaluate(g.config, rules.Metrics{
		SizeBytes:         m.SizeBytes,
		UserSizeBytes:     m.UserSizeBytes,
		WastedBytes:       m.WastedBytes,
		ReclaimableBytes:  m.ReclaimableBytes,
		Efficiency:        m.Efficiency,
		UserWastedPercent: m.UserWastedPercent,
		Signature:         g.signature,
	})
	if err := writeSummary(w, meta, res, verbose); err != nil {
		return err
	}
	from := "default rules"
	if g.config.File != "" {
		from = "rules from " + g.config.File
	}
	fmt.Fprintf(w, "\nCI (%s):\n", from)
	if err := report.WriteText(w); err != nil {
		return err
	}
	for _, path := range g.junit {
		err := writeFileAtomic(path, func(w io.Writer) error {
			return report.WriteJUnit(w, "strata "+textsafe.Line(meta.Reference), took)
		})
		if err != nil {
			return err
		}
	}
	if !report.Passed() {
		return &exitErr{code: exitRuleFailed}
	}
	return nil
}

// junitPaths reads --ci-report values, each junit=PATH.
func junitPaths(reports []string) ([]string, error) {
	var paths []string
	for _, r := range reports {
		format, path, ok := strings.Cut(r, "=")
		if !ok || path == "" || format != "junit" {
			return nil, fmt.Errorf("--ci-report %q: give junit=PATH", r)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
