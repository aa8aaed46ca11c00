package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/strata-dev/strata/analyze/saved"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/app"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/config"
	"github.com/strata-dev/strata/ui/keymap"
)

// pickerOptions are the options of the platform picker of idx: its rows
// and attestations, the statements read from its store (kept open: close
// idx once the picker has ended) within --timeout, a platform opened as
// --platform would open it.
func pickerOptions(env *environment, cfg config.Config, ref string, f *sourceFlags, sup *supplyFlags, styles common.Styles, keys keymap.Keys, idx *source.Index) app.PickerOptions {
	return app.PickerOptions{
		Reference: idx.Reference, Source: string(idx.Kind), Rows: idx.Rows(), Styles: styles, Keys: keys,
		Attestations: idx.Attestations, Store: idx.Store, Timeout: f.timeout,
		Open:    openPlatform(env, cfg, ref, f, sup, styles, keys),
		Measure: measureRows(idx),
	}
}

// measureRows measures, for the picker, the uncompressed sizes of the
// layers of an index kept on this machine (an OCI layout, an
// oci-archive, containerd); nil for a registry. It leaves the index open.
func measureRows(idx *source.Index) func(context.Context) ([]index.Row, error) {
	store, ok := idx.Store.(index.LocalStore)
	if !ok {
		return nil
	}
	return func(ctx context.Context) ([]index.Row, error) {
		if err := index.MeasureUncompressed(ctx, idx.Index, store); err != nil {
			return nil, err
		}
		return idx.Rows(), nil
	}
}

// readPickerIndex reads the index ref names, for the terminal UI's
// platform picker: without a layer (manifests and configs), and only when
// no --platform is given and the source can hold an index. nil when there
// is no index of several platforms, or it cannot be read (opening the
// image then says why). --timeout bounds reading it; its store stays
// open, for the statements the picker reads, until ctx ends or it is
// closed. Close it.
func readPickerIndex(ctx context.Context, env *environment, ref, defaultKind string, f *sourceFlags) *source.Index {
	if f.platform != "" || (f.source == "" && saved.Is(ref)) {
		return nil
	}
	src := f.source
	if src == "" {
		src = defaultKind
	}
	kind, err := source.ParseKind(src)
	if err != nil {
		return nil
	}
	eff := kind
	if k, _ := source.SplitPrefix(ref); k != source.Auto {
		eff = k
	}
	switch eff {
	case source.DockerArchive, source.Podman, source.Container:
		return nil // one platform each
	}
	if f.timeout <= 0 {
		f.timeout = defaultTimeout
	}
	// A registry's or containerd's store lives as long as the context it
	// was opened with: the timeout bounds the reading, not that.
	ctx, cancel := context.WithCancel(ctx)
	watchdog := time.AfterFunc(f.timeout, cancel)
	idx, err := source.ReadIndex(ctx, ref, source.WithKind(kind), source.WithInsecure(f.insecure),
		source.WithNamespace(f.namespace), source.WithGetenv(env.getenv))
	timedOut := !watchdog.Stop()
	if err != nil {
		cancel()
		return nil
	}
	if len(idx.Platforms) < 2 || timedOut {
		idx.Close()
		cancel()
		return nil
	}
	return idx
}

// openPlatform opens a platform picked in the terminal UI, as --platform
// would, quietly (the UI has the terminal), bounded by --timeout.
func openPlatform(env *environment, cfg config.Config, ref string, f *sourceFlags, sup *supplyFlags, styles common.Styles, keys keymap.Keys) func(context.Context, index.Row) (app.Options, func(), error) {
	return func(ctx context.Context, row index.Row) (app.Options, func(), error) {
		fl := *f
		fl.platform = row.Platform
		if _, err := source.ParsePlatform(fl.platform); err != nil {
			return app.Options{}, nil, err
		}
		ctx, cancel := context.WithCancel(ctx)
		start := time.Now()
		watchdog := time.AfterFunc(fl.timeout, cancel)
		ld := &load{ctx: ctx, cancel: cancel, flags: &fl}
		quiet := &environment{stdin: env.stdin, stdout: io.Discard, stderr: io.Discard, getenv: env.getenv}
		img, err := ld.open(quiet, ref, cfg.Source)
		timedOut := !watchdog.Stop()
		if err != nil {
			cancel()
			if timedOut {
				return app.Options{}, nil, fmt.Errorf("%s: timed out after %s opening the image (raise --timeout)", row.Platform, fl.timeout)
			}
			return app.Options{}, nil, err
		}
		closeImage := func() {
			cancel()
			img.Close()
			if ld.disk != nil {
				ld.disk.Trim()
			}
		}
		opts := tuiOptions(img, ld, &fl, start, cfg, styles, keys)
		opts.Supply = tuiSupply(env, &fl, sup, ref, img)
		return opts, closeImage, nil
	}
}
