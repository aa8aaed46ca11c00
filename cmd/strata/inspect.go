package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/report"

	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/config"
)

// inspectFlags are the flags of `strata inspect` (and of `strata IMAGE`).
type inspectFlags struct {
	config string
	sourceFlags
	supplyFlags
	jsonPath    string
	ci          bool
	ciConfig    string
	ciReports   []string
	lowestEff   string
	wastedBytes string
	userWasted  string
	verbose     bool
}

func (f *inspectFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "configuration `file` (default: $STRATA_CONFIG, $XDG_CONFIG_HOME/strata/config.yaml, ~/.config/strata/config.yaml)")
	f.sourceFlags.register(fl)
	f.supplyFlags.register(fl)
	fl.StringVarP(&f.jsonPath, "json", "j", "", "write the analysis as JSON to `PATH` (- for stdout)")
	fl.BoolVar(&f.ci, "ci", false, "check the image against the CI rules and exit 1 if one fails (default: on when $CI is true, 1 or yes)")
	fl.StringVar(&f.ciConfig, "ci-config", "", "CI rules `file` (default: .strata-ci.yaml, else .dive-ci)")
	fl.StringArrayVar(&f.ciReports, "ci-report", nil, "also write the CI result as `junit=PATH` (JUnit XML)")
	fl.StringVar(&f.lowestEff, "lowest-efficiency", "", "CI rule: fail when efficiency is below this ratio, or \"disabled\"")
	fl.StringVar(&f.wastedBytes, "highest-wasted-bytes", "", "CI rule: fail when wasted bytes exceed this size (e.g. 20MB), or \"disabled\"")
	fl.StringVar(&f.userWasted, "highest-user-wasted-percent", "", "CI rule: fail when wasted ÷ user bytes exceeds this ratio, or \"disabled\"")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "list the paths of each finding in the text output")
}

// ciEnabled says whether CI mode is on: the flag when given, else $CI.
func ciEnabled(cmd *cobra.Command, f *inspectFlags, getenv func(string) string) bool {
	if cmd.Flags().Changed("ci") {
		return f.ci
	}
	switch strings.ToLower(getenv("CI")) {
	case "true", "1", "yes":
		return true
	}
	return false
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
	ci := ciEnabled(cmd, f, env.getenv)
	if wantTUI(env, ci, f) {
		return runTUI(cmd, env, cfg, ref, &f.sourceFlags)
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
	var afterEach func(*analyze.Analysis) error
	if out.toFile() {
		file, err := out.start()
		if err != nil {
			return err
		}
		defer file.abort()
		stream = report.NewWriter(file.W)
		afterEach = func(a *analyze.Analysis) error {
			if err := stream.WriteLayers(a.Tree(), a.Layers()); err != nil {
				return fmt.Errorf("writing %s: %w", out.path, bare(err))
			}
			return nil
		}
	}
	fa := findings.New()
	res, img, err := ld.analyze(env, ref, cfg.Source, afterEach, analyze.WithObserver(fa))
	if err != nil {
		return err
	}
	defer img.Close()
	meta := report.Meta{Reference: img.Reference, Source: string(img.Kind), Platform: source.FormatPlatform(img.Platform),
		Findings: fa.Findings(res)}
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
	return writeFileAtomic(o.path, func(w io.Writer) error { return rep.Write(w) })
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
