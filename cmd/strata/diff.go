package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/rules"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/config"
)

// diffFlags are the flags of `strata diff`.
type diffFlags struct {
	config string
	sourceFlags
	jsonPath      string
	noTUI         bool
	ci            bool
	ciConfig      string
	ciReports     []string
	sizeIncrease  string
	newLayerBytes string
	lowestEff     string
	noNewPkgs     string
	pkgIncrease   string
}

func (f *diffFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "configuration `FILE` (default: $STRATA_CONFIG, $XDG_CONFIG_HOME/strata/config.yaml, ~/.config/strata/config.yaml)")
	f.sourceFlags.register(fl)
	fl.StringVarP(&f.jsonPath, "json", "j", "", "write the comparison as JSON to `PATH` (- for stdout)")
	fl.BoolVar(&f.noTUI, "no-tui", false, "print the comparison as text even on a terminal (the terminal UI opens only when stdin, stdout and stderr are terminals)")
	fl.BoolVar(&f.ci, "ci", false, "check B against A with the diff rules and exit 1 if one fails (default: on when a rule flag, --ci-config or --ci-report is given, or $CI is true, 1 or yes)")
	fl.StringVar(&f.ciConfig, "ci-config", "", "CI rules `FILE`, its diff: section (default: .strata-ci.yaml, else .dive-ci)")
	fl.StringArrayVar(&f.ciReports, "ci-report", nil, "also write the CI result to a file: `junit=PATH` (JUnit XML) or markdown=PATH (a pull-request summary); repeatable")
	fl.StringVar(&f.sizeIncrease, "highest-size-increase", "", "CI rule: fail when B is larger than A by more than `SIZE` (e.g. 10MB) or a percentage of A's size (e.g. 5%), or \"disabled\"")
	fl.StringVar(&f.newLayerBytes, "highest-new-layer-bytes", "", "CI rule: fail when B's layers that A lacks take more than `SIZE` to download (compressed), or \"disabled\"")
	fl.StringVar(&f.lowestEff, "lowest-efficiency", "", "CI rule: fail when B's efficiency is below this `RATIO` (0-1), or \"disabled\"")
	fl.StringVar(&f.noNewPkgs, "no-new-packages", "", "CI rule: fail when B has a package A lacks (--no-new-packages=false turns it off)")
	fl.Lookup("no-new-packages").NoOptDefVal = "true"
	fl.StringVar(&f.pkgIncrease, "highest-package-size-increase", "", "CI rule: fail when one package grew by more than `SIZE` (e.g. 10MB; an added package counts whole), or \"disabled\"")
	registerSourceCompletions(cmd)
}

// ciFlags are diff's flags that only CI mode reads.
func (f *diffFlags) ciFlags() ciFlags {
	return ciFlags{rules: f.ruleFlags(), reports: f.ciReports}
}

// ruleFlags are diff's rule flags and the rules they set.
func (f *diffFlags) ruleFlags() []ruleFlag {
	return []ruleFlag{
		{"highest-size-increase", rules.HighestSizeIncrease, f.sizeIncrease},
		{"highest-new-layer-bytes", rules.HighestNewLayerBytes, f.newLayerBytes},
		{"lowest-efficiency", rules.LowestEfficiency, f.lowestEff},
		{"no-new-packages", rules.NoNewPackages, f.noNewPkgs},
		{"highest-package-size-increase", rules.HighestPackageSizeIncrease, f.pkgIncrease},
	}
}

func newDiffCmd(env *environment) *cobra.Command {
	f := &diffFlags{}
	cmd := &cobra.Command{
		Use:   "diff [flags] IMAGE_A IMAGE_B",
		Short: "Compare two images: shared and new layers, changed files, history, metrics",
		Long: `strata diff compares image B with image A: the layers they share and the ones
B adds (with what a machine holding A downloads to get B), the files of the
final filesystems path by path, the build histories aligned, and the metrics
side by side. Each IMAGE is read from any source; --source and --platform
apply to both.`,
		Example: `  strata diff myapp:1.4 myapp:1.5
  strata diff --json diff.json docker://myapp:dev registry://ghcr.io/org/myapp:main
  strata diff --ci --highest-size-increase 5% base.tar rebuild.tar`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return &exitErr{code: exitError, err: diffUsage("diff takes exactly two images, IMAGE_A and IMAGE_B")}
			}
			return nil
		},
		ValidArgsFunction: completeImages(env, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, env, f, args)
		},
	}
	f.register(cmd)
	return cmd
}

func diffUsage(msg string) error { return errors.New(msg + " (see strata diff --help)") }

func runDiff(cmd *cobra.Command, env *environment, f *diffFlags, args []string) error {
	out := newJSONOutput(f.jsonPath, env.stdout)
	err := diffImages(cmd, env, f, args, out)
	var ee *exitErr
	if err != nil && !(errors.As(err, &ee) && ee.code == exitRuleFailed) {
		out.discard()
	}
	return err
}

func diffImages(cmd *cobra.Command, env *environment, f *diffFlags, args []string, out *jsonOutput) error {
	for i, name := range []string{"IMAGE_A", "IMAGE_B"} {
		if args[i] == "" {
			return diffUsage(name + " is empty")
		}
	}
	cfg, err := config.Load(f.config, env.getenv)
	if err != nil {
		return err
	}
	if _, err := source.ParseKind(f.source); err != nil {
		return err
	}
	if _, err := source.ParsePlatform(f.platform); err != nil {
		return err
	}
	check := rules.DefaultDiff()
	ci, err := ciMode(cmd, f.ci, env.getenv, env.stderr, f.ciFlags(), &check)
	if err != nil {
		return err
	}
	if err := checkOutputFile("--json", f.jsonPath, "diff.json"); err != nil {
		return err
	}
	if wantTUI(env, f.noTUI, ci, f.jsonPath) {
		return runDiffTUI(cmd, env, cfg, args[0], args[1], &f.sourceFlags)
	}
	var gate *diffGate
	if ci {
		if gate, err = newDiffGate(cmd, f, env); err != nil {
			return err
		}
	}

	start := time.Now()
	ld := f.sourceFlags.startLoad(cmd.Context())
	defer ld.cancel()
	var res [2]*analyze.Result
	var meta [2]report.Meta
	var bases [2]*report.Base
	for i, ref := range args {
		fa, pa := findings.New(), packages.New()
		r, img, err := ld.analyze(env, ref, cfg.Source, nil, analyze.WithObserver(fa), analyze.WithObserver(pa))
		if err != nil {
			return err
		}
		defer img.Close()
		res[i] = r
		meta[i] = report.Meta{Reference: img.Reference, Source: string(img.Kind), Platform: source.FormatPlatform(img.Platform),
			Packages: pa.Packages(r), Findings: fa.Findings(r)}
		bases[i] = namedBase(ld.ctx, env, &f.sourceFlags, ref, img)
	}
	d := diff.Compare(res[0], res[1])
	d.Findings = diff.CompareFindings(meta[0].Findings, meta[1].Findings)
	if len(meta[0].Packages.Packages)+len(meta[1].Packages.Packages) > 0 {
		d.Packages = diff.ComparePackages(meta[0].Packages, meta[1].Packages)
	}
	if f.jsonPath != "" {
		rep := diff.NewReport(d, meta[0], meta[1])
		if err := out.writeWith(rep.Write); err != nil {
			return err
		}
		if out.toFile() {
			fmt.Fprintf(env.stderr, "strata: wrote the comparison of %s and %s as JSON to %s\n", textsafe.Line(meta[0].Reference), textsafe.Line(meta[1].Reference), f.jsonPath)
		}
	}
	text := env.stdout
	if f.jsonPath == "-" {
		text = env.stderr
	}
	if f.jsonPath == "" || gate != nil {
		writeBases(text, bases)
	}
	switch {
	case gate != nil:
		return gate.run(text, d, meta[0], meta[1], time.Since(start))
	case f.jsonPath == "":
		return d.WriteText(text, meta[0], meta[1])
	}
	return nil
}

// writeWith writes a document through write, to stdout or to the file
// atomically.
func (o *jsonOutput) writeWith(write func(io.Writer) error) error {
	if o.path == "-" {
		return write(o.stdout)
	}
	return writeFileAtomic(o.path, write)
}

// diffGate checks a diff against the diff rules.
type diffGate struct {
	config  rules.DiffConfig
	env     *environment
	reports []ciReport
}

func newDiffGate(cmd *cobra.Command, f *diffFlags, env *environment) (*diffGate, error) {
	reports, err := ciReports(f.ciReports, false)
	if err != nil {
		return nil, err
	}
	cfg, warnings, err := rules.LoadDiff(f.ciConfig, ".")
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		warn(env.stderr, "%s", w)
	}
	if err := applyRuleFlags(cmd.Flags(), &cfg, f.ruleFlags()); err != nil {
		return nil, err
	}
	return &diffGate{config: cfg, env: env, reports: reports}, nil
}

// run prints the diff and the rules' results, writes the JUnit reports,
// and fails with exitRuleFailed when a rule failed.
func (g *diffGate) run(w io.Writer, d *diff.Diff, a, b report.Meta, took time.Duration) error {
	report := rules.EvaluateDiff(g.config, rules.DiffMetrics{
		SizeA:         d.A.Metrics.SizeBytes,
		SizeB:         d.B.Metrics.SizeBytes,
		NewLayerBytes: uint64(max(0, d.Download.CompressedBytes)),
		Efficiency:    d.B.Metrics.Efficiency,
		Packages:      packageMetrics(d.Packages, g.config),
	})
	if err := d.WriteText(w, a, b); err != nil {
		return err
	}
	from := "default diff rules"
	if g.config.File != "" {
		from = "diff rules from " + g.config.File
	}
	fmt.Fprintf(w, "\nCI (%s):\n", from)
	if err := report.WriteText(w); err != nil {
		return err
	}
	if err := writeCIReports(g.env, g.reports, suiteName("diff", a.Reference, b.Reference), a.Reference+" → "+b.Reference, report, nil, took); err != nil {
		return err
	}
	if !report.Passed() {
		return &exitErr{code: exitRuleFailed}
	}
	return nil
}
