package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/extract"
	"github.com/strata-dev/strata/image"
)

// extractFlags are the flags of `strata extract`.
type extractFlags struct {
	layer int
	out   string
	force bool
	sourceFlags
}

func newExtractCmd(env *environment) *cobra.Command {
	f := &extractFlags{}
	cmd := &cobra.Command{
		Use:   "extract [flags] IMAGE PATH",
		Short: "Write a file or directory as the image holds it at a layer",
		Long: `extract writes PATH, a file or a directory, as the stacked filesystem of
IMAGE holds it at one layer (the last by default), into DIR/<name of PATH>.
PATH / fills DIR itself.

Nothing is written outside DIR: symlinks whose target leads out of it are
skipped with a warning, symlinks already in DIR are never followed, device
nodes and fifos are skipped, hard links are written as hard links to the
file written for their target, sparse files keep their holes, and setuid,
setgid and sticky bits are dropped. Existing files are kept, and files over
8 GiB (a sparse file's logical size) refused, unless --force.`,
		Example: `  strata extract testdata/demo.tar /app -o out
  strata extract --layer 0 testdata/demo.tar /etc/passwd
  strata extract --force oci-archive://image.tar /etc`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return &exitErr{code: exitError, err: errors.New("extract takes IMAGE and PATH (see strata extract --help)")}
			}
			return nil
		},
		ValidArgsFunction: completeImages(env, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd, env, f, args[0], args[1])
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.layer, "layer", "l", 0, "extract from the stacked filesystem at layer `N`, counted from 0 (default: the last layer)")
	fl.StringVarP(&f.out, "output", "o", ".", "the `DIR`ectory to write into (created when missing)")
	fl.BoolVar(&f.force, "force", false, "replace existing files and symlinks (never directories), and write files over 8 GiB")
	f.sourceFlags.register(fl)
	registerSourceCompletions(cmd)
	return cmd
}

func runExtract(cmd *cobra.Command, env *environment, f *extractFlags, ref, p string) error {
	if ref == "" {
		return errors.New("IMAGE is empty (see strata extract --help)")
	}
	if p == "" {
		return errors.New("PATH is empty (see strata extract --help)")
	}
	if f.out == "" {
		return errors.New("--output is empty")
	}
	ld := f.sourceFlags.startLoad(cmd.Context())
	defer ld.cancel()
	res, img, err := ld.analyze(env, ref, "", nil)
	if err != nil {
		return err
	}
	defer img.Close()
	layers, err := img.Layers()
	if err != nil {
		return fmt.Errorf("%s: listing layers: %w", img.Reference, err)
	}
	k := len(res.Layers) - 1
	if cmd.Flags().Changed("layer") {
		k = f.layer
	}
	line, warnings, err := extractPath(cmd.Context(), res, layers, k, p, f.out, f.force)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrExist) && !f.force:
			return fmt.Errorf("%w (use --force to replace files)", err)
		case errors.Is(err, extract.ErrTooLarge):
			return fmt.Errorf("%w (use --force to write it anyway)", err)
		}
		return err
	}
	for _, w := range warnings {
		warn(env.stderr, "%s", w)
	}
	_, err = fmt.Fprintln(env.stdout, line)
	return err
}

// extractPath extracts and returns the summary as one line, and the
// warnings.
func extractPath(ctx context.Context, res *analyze.Result, layers []image.Layer, k int, p, dir string, force bool) (string, []string, error) {
	sum, err := extract.Extract(ctx, res, layers, k, p, dir, extract.WithForce(force))
	if err != nil {
		return "", sum.Warnings, err
	}
	return summaryLine(sum, k, p, dir), sum.Warnings, nil
}

// extractForUI is the terminal UI's ctrl+e: it never replaces files, and
// folds the warnings into the one line it returns.
func extractForUI(ctx context.Context, res *analyze.Result, layers []image.Layer, k int, p, dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	line, warnings, err := extractPath(ctx, res, layers, k, p, dir, false)
	if err != nil {
		return "", err
	}
	if n := len(warnings); n > 0 {
		line += fmt.Sprintf(" (%d %s: %s)", n, plural(n, "warning", "warnings"), warnings[0])
	}
	return line, nil
}

// summaryLine says in one line what an extraction wrote:
// "extracted /app at layer 8 to out/app: 12 files (1.2 MB), 3 directories, 1 symlink, 2 skipped".
func summaryLine(s extract.Summary, k int, p, dir string) string {
	p = path.Clean("/" + p)
	dest := dir
	if p != "/" {
		dest = filepath.Join(dir, path.Base(p))
	}
	parts := []string{
		fmt.Sprintf("%d %s (%s)", s.Files, plural(s.Files, "file", "files"), humanize.Bytes(uint64(s.Bytes))),
		fmt.Sprintf("%d %s", s.Dirs, plural(s.Dirs, "directory", "directories")),
		fmt.Sprintf("%d %s", s.Symlinks, plural(s.Symlinks, "symlink", "symlinks")),
	}
	if s.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", s.Skipped))
	}
	return fmt.Sprintf("extracted %s at layer %d to %s: %s", p, k, dest, strings.Join(parts, ", "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
