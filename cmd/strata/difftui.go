package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/config"
	"github.com/strata-dev/strata/ui/diffview"
)

// runDiffTUI opens both images and compares them in the terminal UI,
// drawn on stderr. Like inspect's, --timeout bounds opening the images;
// the analysis then runs in the background while the window is up.
func runDiffTUI(cmd *cobra.Command, env *environment, cfg config.Config, refA, refB string, f *sourceFlags) error {
	styles, keys, err := uiSettings(cfg, env.getenv)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	watchdog := time.AfterFunc(f.timeout, cancel)
	ld := &load{ctx: ctx, cancel: cancel, flags: f}
	var imgs [2]*source.Image
	for i, ref := range []string{refA, refB} {
		img, err := ld.open(env, ref, cfg.Source)
		if err != nil {
			if !watchdog.Stop() {
				return fmt.Errorf("%s: timed out after %s opening the image (raise --timeout)", ref, f.timeout)
			}
			return err
		}
		defer img.Close()
		imgs[i] = img
	}
	if !watchdog.Stop() {
		return fmt.Errorf("timed out after %s opening the images (raise --timeout)", f.timeout)
	}
	side := func(img *source.Image) diffview.Side {
		return diffview.Side{Reference: img.Reference, Source: string(img.Kind), Platform: source.FormatPlatform(img.Platform)}
	}
	// The tree shows the differences: unmodified paths are hidden at start
	// whatever the configuration hides in inspect's.
	hidden := cfg.Hidden().With(tree.Unmodified, true)
	model := diffview.New(ctx, diffview.Options{
		A: side(imgs[0]), B: side(imgs[1]), ImageA: imgs[0], ImageB: imgs[1],
		Styles: styles, Keys: keys, Hidden: hidden, HideAttributes: !cfg.Attributes, IgnoreErrors: f.ignoreErrors, NoVerify: !f.verify,
	})
	defer model.Close()
	p := tea.NewProgram(model,
		tea.WithContext(cmd.Context()),
		tea.WithInput(env.stdin.(io.Reader)),
		tea.WithOutput(env.stderr),
		tea.WithoutSignalHandler(),
	)
	final, err := p.Run()
	if m, ok := final.(diffview.Model); ok && m.Err() != nil {
		return m.Err()
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}
