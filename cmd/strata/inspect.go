package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/rules"
	"github.com/strata-dev/strata/analyze/saved"
	"github.com/strata-dev/strata/internal/textsafe"

	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/config"
)

// inspectFlags are the flags of `strata inspect` (and of `strata IMAGE`).
type inspectFlags struct {
	config string
	sourceFlags
	supplyFlags
	jsonPath    string
	noTUI       bool
	ci          bool
	ciConfig    string
	ciReports   []string
	lowestEff   string
	wastedBytes string
	userWasted  string
	imageSize   string
	reclaimable string
	secrets     string
	rootUser    string
	failOn      string
	verbose     bool
	save        string
}

func (f *inspectFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "configuration `FILE` (default: $STRATA_CONFIG, $XDG_CONFIG_HOME/strata/config.yaml, ~/.config/strata/config.yaml)")
	f.sourceFlags.register(fl)
	f.supplyFlags.register(fl)
	fl.StringVarP(&f.jsonPath, "json", "j", "", "write the analysis as JSON to `PATH` (- for stdout)")
	fl.BoolVar(&f.noTUI, "no-tui", false, "print the text summary even on a terminal (the terminal UI opens only when stdin, stdout and stderr are terminals)")
	fl.BoolVar(&f.ci, "ci", false, "check the image against the CI rules and exit 1 if one fails (default: on when a rule flag, --ci-config or --ci-report is given, or $CI is true, 1 or yes)")
	fl.StringVar(&f.ciConfig, "ci-config", "", "CI rules `FILE` (default: .strata-ci.yaml, else .dive-ci)")
	fl.StringArrayVar(&f.ciReports, "ci-report", nil, "also write the CI result to a file: `junit=PATH` (JUnit XML), sarif=PATH (SARIF 2.1.0, one result per finding) or markdown=PATH (a pull-request summary); repeatable")
	fl.StringVar(&f.lowestEff, "lowest-efficiency", "", "CI rule: fail when efficiency is below this `RATIO` (0-1), or \"disabled\"")
	fl.StringVar(&f.wastedBytes, "highest-wasted-bytes", "", "CI rule: fail when wasted bytes exceed this `SIZE` (e.g. 20MB), or \"disabled\"")
	fl.StringVar(&f.userWasted, "highest-user-wasted-percent", "", "CI rule: fail when wasted ÷ user bytes exceeds this `RATIO` (0-1), or \"disabled\"")
	fl.StringVar(&f.imageSize, "highest-image-size", "", "CI rule: fail when the image is larger than this `SIZE` (e.g. 500MB), or \"disabled\"")
	fl.StringVar(&f.reclaimable, "highest-reclaimable-bytes", "", "CI rule: fail when the bytes shipped that no container sees exceed this `SIZE`, or \"disabled\"")
	fl.StringVar(&f.secrets, "no-hidden-secrets", "", "CI rule (on by default): fail when a secret a later step deleted is still in a layer; =false turns it off")
	fl.Lookup("no-hidden-secrets").NoOptDefVal = "true"
	fl.StringVar(&f.rootUser, "no-root-user", "", "CI rule: fail when the image runs as root")
	fl.Lookup("no-root-user").NoOptDefVal = "true"
	fl.StringVar(&f.failOn, "fail-on", "", "CI rule: fail on these `FINDINGS` — ids (hidden-secret,runs-as-root) or a severity (warning fails on warnings and errors)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "list the paths of each finding in the text output")
	fl.StringVar(&f.save, "save", "", "also write the whole analysis to `FILE`, which \"strata inspect FILE\" opens later without the image (file contents are not kept)")
	registerSourceCompletions(cmd)
}

// ciFlags are inspect's flags that only CI mode reads.
func (f *inspectFlags) ciFlags() ciFlags {
	return ciFlags{rules: f.ruleFlags(), reports: f.ciReports}
}

// ruleFlags are inspect's rule flags and the rules they set.
func (f *inspectFlags) ruleFlags() []ruleFlag {
	return []ruleFlag{
		{"lowest-efficiency", rules.LowestEfficiency, f.lowestEff},
		{"highest-wasted-bytes", rules.HighestWastedBytes, f.wastedBytes},
		{"highest-user-wasted-percent", rules.HighestUserWastedPercent, f.userWasted},
		{"highest-image-size", rules.HighestImageSize, f.imageSize},
		{"highest-reclaimable-bytes", rules.HighestReclaimableBytes, f.reclaimable},
		{"no-hidden-secrets", rules.NoHiddenSecrets, f.secrets},
		{"no-root-user", rules.NoRootUser, f.rootUser},
		{"fail-on", rules.FailOn, f.failOn},
		{"require-signature", rules.RequireSignature, f.requireSig},
	}
}

func runInspect(cmd *cobra.Command, env *environment, f *inspectFlags, args []string) error {
	out := newJSONOutput(f.jsonPath, env.stdout)
	env.onAbort(out.discard)
	err := inspect(cmd, env, f, args, out)
	var ee *exitErr
	if err != nil && !(errors.As(err, &ee) && ee.code == exitRuleFailed) {
		out.discard()
	}
	return err
}

func inspect(cmd *cobra.Command, env *environment, f *inspectFlags, args []string, out *jsonOutput) error {
	if len(args) != 1 {
		return errUsage("give exactly one IMAGE")
	}
	ref := args[0]
	if ref == "" {
		return errUsage("IMAGE is empty")
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
	check := rules.Default()
	ci, err := ciMode(cmd, f.ci, env.getenv, env.stderr, f.ciFlags(), &check)
	if err != nil {
		return err
	}
	if err := checkOutputFile("--json", f.jsonPath, "report.json"); err != nil {
		return err
	}
	if wantTUI(env, f.noTUI, ci, f.jsonPath) {
		return runTUI(cmd, env, cfg, ref, &f.sourceFlags, &f.supplyFlags)
	}
	var gate *ciGate
	if ci {
		gate, err = newCIGate(cmd, f, env)
		if err != nil {
			return err
		}
	}

	start := time.Now()
	ld := f.sourceFlags.startLoad(cmd.Context())
	defer ld.cancel()
	// A report to a file is written as the layers are stacked, into a
	// temporary file that only a finished report is renamed from.
	var stream *report.Writer
	var hooks *layerHooks
	if out.toFile() {
		file, err := out.start()
		if err != nil {
			return err
		}
		defer file.abort()
		stream = report.NewWriter(file.W)
		defer stream.Stop()
		hooks = &layerHooks{
			// Each layer's file list is sorted, from its entries, on a
			// goroutine of its own while the layer is stacked.
			read: stream.Sort,
			stacked: func(a *analyze.Analysis) error {
				if err := stream.WriteLayers(a.Tree(), a.Layers()); err != nil {
					return fmt.Errorf("writing %s: %w", out.path, bare(err))
				}
				return nil
			},
		}
	}
	fa, pa := findings.New(findingOptions(gate)...), packages.New()
	opts := []analyze.Option{analyze.WithObserver(fa), analyze.WithObserver(pa)}
	var rec *saved.Recorder
	if f.save != "" {
		rec = saved.NewRecorder()
		opts = append(opts, analyze.WithRecorder(rec.Record))
	}
	res, img, err := ld.analyze(env, ref, cfg.Source, hooks, opts...)
	if err != nil {
		return err
	}
	defer img.Close()
	if rec != nil {
		key, _ := analyze.CacheKey(fa, pa)
		err := writeFileAtomic(f.save, func(w io.Writer) error {
			return rec.Write(w, saved.Meta{Reference: img.Reference, Source: savedSource(img), Platform: source.FormatPlatform(img.Platform),
				Saved: time.Now().UTC().Truncate(time.Second)}, res.Config, len(res.Layers), key)
		})
		if err != nil {
			return fmt.Errorf("saving the analysis to %s: %w", f.save, bare(err))
		}
		fmt.Fprintf(env.stderr, "strata: saved the analysis of %s to %s (open it with strata inspect %s)\n",
			textsafe.Line(img.Reference), f.save, f.save)
	}
	// The findings and the packages only read the finished tree: they are
	// worked out side by side.
	pkgs := make(chan *packages.Result, 1)
	go func() { pkgs <- pa.Packages(res) }()
	meta := report.Meta{Reference: img.Reference, Source: string(img.Kind), Platform: source.FormatPlatform(img.Platform),
		Findings: fa.Findings(res)}
	meta.Packages = <-pkgs
	att, err := lookAttached(ld.ctx, env, &f.sourceFlags, &f.supplyFlags, ref, img, res)
	if err != nil {
		return ld.err(ref, err)
	}
	meta.Supply = att.supply
	if gate != nil {
		gate.signature = att.signature
	}
	switch {
	case stream != nil:
		if err := out.finish(stream, res, meta); err != nil {
			return err
		}
	case f.jsonPath != "":
		if err := out.write(report.New(res, meta)); err != nil {
			return err
		}
	}
	if out.toFile() {
		fmt.Fprintf(env.stderr, "strata: wrote the analysis of %s (%d %s) as JSON to %s\n",
			textsafe.Line(meta.Reference), len(res.Layers), plural(len(res.Layers), "layer", "layers"), f.jsonPath)
	}
	text := env.stdout
	if f.jsonPath == "-" {
		text = env.stderr
	}
	switch {
	case gate != nil:
		return gate.run(text, meta, res, time.Since(start), f.verbose)
	case f.jsonPath == "":
		return writeSummary(text, meta, res, f.verbose)
	}
	return nil
}

// findingOptions are the findings' options that CI rules set: the size
// budget of large-image is highestImageSize's limit when that rule is on,
// so that the finding and the rule agree.
func findingOptions(gate *ciGate) []findings.Option {
	if gate == nil || gate.config.HighestImageSize.Disabled {
		return nil
	}
	return []findings.Option{findings.WithSizeBudget(int64(min(gate.config.HighestImageSize.Bytes, math.MaxInt64)))}
}

// jsonOutput writes a report to a file through a temporary file and a
// rename, so that no reader ever sees a half-written report.
type jsonOutput struct {
	path   string
	stdout io.Writer

	mu   sync.Mutex  // discard may run on another goroutine
	file *atomicFile // the report being streamed, if it is
}

// toFile says whether the report goes to a file.
func (o *jsonOutput) toFile() bool { return o.path != "" && o.path != "-" }

// start opens the temporary file of a report streamed during the
// analysis. discard, which a signal that ends strata runs, removes it.
func (o *jsonOutput) start() (*atomicFile, error) {
	f, err := createAtomic(o.path)
	if err != nil {
		return nil, err
	}
	f.releaseTarget()
	o.mu.Lock()
	o.file = f
	o.mu.Unlock()
	return f, nil
}

// finish writes the rest of a streamed report and renames it into place.
func (o *jsonOutput) finish(rw *report.Writer, res *analyze.Result, meta report.Meta) error {
	if err := rw.Finish(res, meta); err != nil {
		o.file.abort()
		return fmt.Errorf("writing %s: %w", o.path, bare(err))
	}
	return o.file.commit()
}

func newJSONOutput(path string, stdout io.Writer) *jsonOutput {
	return &jsonOutput{path: path, stdout: stdout}
}

func (o *jsonOutput) write(rep *report.Report) error {
	if o.path == "-" {
		return rep.Write(o.stdout)
	}
	f, err := o.start()
	if err != nil {
		return err
	}
	return f.writeAll(rep.Write)
}

// discard removes a report an earlier run left at the path, so that a
// failed run never leaves a stale report behind.
func (o *jsonOutput) discard() {
	o.mu.Lock()
	if o.file != nil {
		o.file.abort()
	}
	o.mu.Unlock()
	if o.path == "" || o.path == "-" {
		return
	}
	removeStale(o.path)
}
