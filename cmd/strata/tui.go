package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/app"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/config"
	"github.com/strata-dev/strata/ui/keymap"
)

// isTerminal says whether a stream is a terminal.
func isTerminal(s any) bool {
	f, ok := s.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// uiSettings are the styles and keys a configuration asks for, in the
// colours the terminal allows (NO_COLOR, TERM=dumb).
func uiSettings(cfg config.Config, getenv func(string) string) (common.Styles, keymap.Keys, error) {
	theme, err := common.LookupTheme(cfg.Theme)
	if err != nil {
		return common.Styles{}, keymap.Keys{}, fmt.Errorf("config %s: %w", cfg.Path, err)
	}
	keys, err := cfg.KeyMap()
	if err != nil {
		return common.Styles{}, keymap.Keys{}, err
	}
	return common.NewStyles(theme, common.DetectMode(getenv)), keys, nil
}

// runTUI opens the image and browses it in the terminal UI, drawn on
// stderr. A multi-platform index opened without --platform shows the
// platform picker first.
func runTUI(cmd *cobra.Command, env *environment, cfg config.Config, ref string, f *sourceFlags, sup *supplyFlags) error {
	styles, keys, err := uiSettings(cfg, env.getenv)
	if err != nil {
		return err
	}
	if _, err := sup.loadKey(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	if idx := readPickerIndex(ctx, env, ref, cfg.Source, f); idx != nil {
		defer idx.Close()
		return runProgram(cmd, env, app.NewPicker(ctx, pickerOptions(env, cfg, ref, f, sup, styles, keys, idx)))
	}
	// The timeout bounds opening the image (a registry's manifest and
	// config, a daemon's save); the layers then load in the background
	// while the user browses, which is not timed.
	start := time.Now()
	watchdog := time.AfterFunc(f.timeout, cancel)
	ld := &load{ctx: ctx, cancel: cancel, flags: f}
	img, err := ld.open(env, ref, cfg.Source)
	timedOut := !watchdog.Stop()
	if err != nil {
		if timedOut {
			return fmt.Errorf("%s: timed out after %s opening the image (raise --timeout)", ref, f.timeout)
		}
		return err
	}
	defer img.Close()
	if ld.disk != nil {
		defer ld.disk.Trim()
	}
	opts := tuiOptions(img, ld, f, start, cfg, styles, keys)
	opts.Supply = tuiSupply(env, f, sup, ref, img)
	model, err := app.New(ctx, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", img.Reference, err)
	}
	return runProgram(cmd, env, model)
}

// tuiOptions are the options of the terminal UI of an image opened.
func tuiOptions(img *source.Image, ld *load, f *sourceFlags, start time.Time, cfg config.Config, styles common.Styles, keys keymap.Keys) app.Options {
	compare := tree.CompareLayer
	if cfg.Compare == "aggregated" {
		compare = tree.CompareAggregated
	}
	return app.Options{
		Reference: img.Reference, Source: string(img.Kind), Platform: source.FormatPlatform(img.Platform),
		Image:      img,
		Analysis:   analysisOptions(ld, f),
		Timeout:    max(time.Millisecond, f.timeout-time.Since(start)),
		TimeoutErr: fmt.Errorf("timed out after %s loading the image (raise --timeout)", f.timeout),
		Styles:     styles, Keys: keys, Compare: compare,
		Hidden: cfg.Hidden(), HideAttributes: !cfg.Attributes,
		Extract: extractForUI,
	}
}

// uiModel is a root model of the terminal UI.
type uiModel interface {
	tea.Model
	Err() error
	Close()
}

// runProgram runs the terminal UI on stderr until the user quits.
func runProgram(cmd *cobra.Command, env *environment, model uiModel) error {
	defer model.Close()
	p := tea.NewProgram(model,
		tea.WithContext(cmd.Context()),
		tea.WithInput(env.stdin.(io.Reader)),
		tea.WithOutput(env.stderr),
		tea.WithoutSignalHandler(),
	)
	final, err := p.Run()
	if m, ok := final.(uiModel); ok && m.Err() != nil {
		return m.Err()
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}
