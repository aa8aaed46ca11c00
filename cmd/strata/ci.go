package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/rules"
)

// ciGate checks an analysis against the CI rules.
type ciGate struct {
	env       *environment
	config    rules.Config
	reports   []ciReport
	signature rules.Signature // what checking the signatures found
}

// newCIGate loads the rules file and applies the rule flags given.
func newCIGate(cmd *cobra.Command, f *inspectFlags, env *environment) (*ciGate, error) {
	reports, err := ciReports(f.ciReports, true)
	if err != nil {
		return nil, err
	}
	cfg, warnings, err := rules.Load(f.ciConfig, ".")
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		warn(env.stderr, "%s", w)
	}
	if err := applyRuleFlags(cmd.Flags(), &cfg, f.ruleFlags()); err != nil {
		return nil, err
	}
	return &ciGate{env: env, config: cfg, reports: reports}, nil
}

// ruleFlag is a flag that sets one CI rule's threshold.
type ruleFlag struct{ flag, rule, value string }

// overrider is a set of rules a flag can set one of.
type overrider interface {
	Override(rule, value string) error
}

// applyRuleFlags sets the thresholds of the rule flags that were given.
func applyRuleFlags(fl *pflag.FlagSet, c overrider, flags []ruleFlag) error {
	for _, o := range flags {
		if !fl.Changed(o.flag) {
			continue
		}
		if err := c.Override(o.rule, o.value); err != nil {
			return fmt.Errorf("--%s: %w", o.flag, err)
		}
	}
	return nil
}

// ciFlags are the flags that only CI mode reads: giving one turns CI on.
type ciFlags struct {
	rules   []ruleFlag
	reports []string // --ci-report values
}

// names lists the flags, the rule flags first.
func (c ciFlags) names() []string {
	var names []string
	for _, r := range c.rules {
		names = append(names, r.flag)
	}
	return append(names, "ci-config", "ci-report")
}

// ciMode says whether CI mode is on, after checking the CI flags' values
// whether it is or not, so that a bad one is always exit 2: --ci when it
// was given; else on when a flag that only CI reads (a rule, --ci-config,
// --ci-report) was given; else $CI. check parses the rule flags' values.
func ciMode(cmd *cobra.Command, ci bool, getenv func(string) string, stderr io.Writer, flags ciFlags, check overrider) (bool, error) {
	fl := cmd.Flags()
	if err := applyRuleFlags(fl, check, flags.rules); err != nil {
		return false, err
	}
	if _, err := ciReports(flags.reports, true); err != nil {
		return false, err
	}
	var given []string
	for _, name := range flags.names() {
		if fl.Changed(name) {
			given = append(given, "--"+name)
		}
	}
	if fl.Changed("ci") {
		if !ci && len(given) > 0 {
			fmt.Fprintf(stderr, "strata: warning: --ci=false: ignoring %s\n", strings.Join(given, ", "))
		}
		return ci, nil
	}
	if len(given) > 0 {
		return true, nil
	}
	switch strings.ToLower(getenv("CI")) {
	case "true", "1", "yes":
		return true, nil
	}
	return false, nil
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
		Findings:          meta.Findings,
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
	if err := writeCIReports(g.env, g.reports, suiteName(meta.Reference), meta.Reference, report, meta.Findings, took); err != nil {
		return err
	}
	if !report.Passed() {
		return &exitErr{code: exitRuleFailed}
	}
	return nil
}
