package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/sbom"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/config"
)

// sbomFlags are the flags of `strata sbom`.
type sbomFlags struct {
	config string
	sourceFlags
	output string
}

func newSBOMCmd(env *environment) *cobra.Command {
	f := &sbomFlags{}
	cmd := &cobra.Command{
		Use:   "sbom [flags] IMAGE",
		Short: "Write the packages of an image as a CycloneDX SBOM, with the layer that installed each",
		Long: `strata sbom writes the packages of IMAGE's final filesystem (deb, apk, rpm,
Python, npm, Go executables) as a CycloneDX 1.6 JSON bill of materials, each
with its package URL, so that grype, Dependency-Track and other scanners can
read it, and with the layer that installed it (index, diffID, build step) as
properties. IMAGE is read from any source, as by strata inspect.`,
		Example: `  strata sbom myapp:1.4 > sbom.json
  strata sbom -o sbom.json oci-archive://image.tar
  strata sbom myapp:1.4 | grype`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || args[0] == "" {
				return &exitErr{code: exitError, err: sbomUsage("sbom takes exactly one IMAGE")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSBOM(cmd, env, f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "configuration `file` (default: $STRATA_CONFIG, $XDG_CONFIG_HOME/strata/config.yaml, ~/.config/strata/config.yaml)")
	f.sourceFlags.register(fl)
	fl.StringVarP(&f.output, "output", "o", "-", "write the SBOM to `FILE` (- for stdout)")
	return cmd
}

type sbomUsage string

func (e sbomUsage) Error() string { return string(e) + " (see strata sbom --help)" }

// runSBOM writes the SBOM; a failed run leaves no file at --output, not
// even one an earlier run wrote.
func runSBOM(cmd *cobra.Command, env *environment, f *sbomFlags, ref string) error {
	if f.output == "" {
		return sbomUsage("--output is empty")
	}
	out := newJSONOutput(f.output, env.stdout)
	env.onAbort(out.discard)
	err := writeSBOM(cmd, env, f, ref, out)
	if err != nil {
		out.discard()
	}
	return err
}

func writeSBOM(cmd *cobra.Command, env *environment, f *sbomFlags, ref string, out *jsonOutput) error {
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
	ld := f.sourceFlags.startLoad(cmd.Context())
	defer ld.cancel()
	pa := packages.New()
	res, img, err := ld.analyze(env, ref, cfg.Source, nil, analyze.WithObserver(pa))
	if err != nil {
		return err
	}
	defer img.Close()
	r := pa.Packages(res)
	for _, w := range r.Summary.Warnings {
		fmt.Fprintf(env.stderr, "strata: warning: %s: packages: %s\n", img.Reference, diff.Printable(w))
	}
	bom := sbom.New(res, r, sbom.Meta{Reference: img.Reference, Timestamp: time.Now(), ToolVersion: versionString()})
	return out.writeWith(func(w io.Writer) error { return sbom.Write(w, bom) })
}
