package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/analyze/layercache"
	"github.com/strata-dev/strata/analyze/saved"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/source"
)

// defaultTimeout bounds loading an image, download and analysis included.
const defaultTimeout = 5 * time.Minute

// sourceFlags are the flags that say where an image comes from; inspect,
// extract and build share them.
type sourceFlags struct {
	source       string
	platform     string
	pull         bool
	insecure     bool
	timeout      time.Duration
	ignoreErrors bool
	verify       bool
	namespace    string
	noCache      bool
}

func (f *sourceFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.source, "source", "", "where IMAGE comes from: docker-archive, oci-archive, oci, docker, podman, registry, containerd, or container (IMAGE is a container ID or name: its image plus a layer of what it changed) (default: a path's kind, else the Docker daemon when it has the image, else containerd when it has it, else the registry)")
	fl.StringVar(&f.namespace, "namespace", "", "the containerd namespace to read images from (default: $CONTAINERD_NAMESPACE, else \"default\"; Kubernetes uses \"k8s.io\")")
	fl.StringVar(&f.platform, "platform", "", "os/arch[/variant] to pick from a multi-platform image (default: this host's)")
	fl.BoolVar(&f.pull, "pull", false, "pull the image through the daemon (docker, podman) when it does not have it")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP and unverified TLS for the registry (loopback registries are always allowed plain HTTP)")
	fl.DurationVar(&f.timeout, "timeout", defaultTimeout, "give up loading the image after this long (download and analysis)")
	fl.BoolVarP(&f.ignoreErrors, "ignore-errors", "i", false, "go on past layers whose bytes do not match their digest or diffID, with a warning")
	fl.BoolVar(&f.noCache, "no-cache", false, "read every layer, and keep none in the layer cache (see strata cache --help); layers from the cache are not read, so their bytes are not checked again")
	fl.BoolVar(&f.verify, "verify", true, "check every layer's bytes against its digest and diffID (sha256); --verify=false skips that for images you trust, about 1.4 times as fast on layers stored uncompressed (manifests, indexes and configs are checked either way)")
}

// analysisOptions are the options the flags and the load give an analysis.
func analysisOptions(l *load, f *sourceFlags) []analyze.Option {
	opts := []analyze.Option{analyze.WithIgnoreErrors(f.ignoreErrors), analyze.WithVerify(f.verify)}
	if l.cache != nil {
		opts = append(opts, analyze.WithCache(l.cache))
	}
	return opts
}

// load is one image being loaded: the context bounded by --timeout.
type load struct {
	ctx    context.Context
	cancel context.CancelFunc
	flags  *sourceFlags
	// cache gives the analysis the layers it already has: the layer
	// cache, or the layers of a saved analysis.
	cache analyze.LayerCache
	// disk is the layer cache, trimmed once the load is done.
	disk *layercache.Cache
}

// startLoad bounds a load by --timeout.
func (f *sourceFlags) startLoad(ctx context.Context) *load {
	if f.timeout <= 0 {
		f.timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	return &load{ctx: ctx, cancel: cancel, flags: f}
}

// err turns a deadline into a message that names the timeout.
func (l *load) err(ref string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(l.ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s: timed out after %s loading the image (raise --timeout)", ref, l.flags.timeout)
	}
	return err
}

// open opens the image, saying on stderr which source a bare reference
// was read from.
func (l *load) open(env *environment, ref, defaultKind string) (*source.Image, error) {
	f := l.flags
	if env.prepareHeap != nil {
		env.prepareHeap()
	}
	if f.source == "" && saved.Is(ref) {
		img, cache, err := openSaved(ref)
		if err == nil {
			l.cache = cache
		}
		return img, err
	}
	if l.disk = openCache(env, f.noCache); l.disk != nil {
		l.cache = l.disk
	}
	src := f.source
	if src == "" {
		src = defaultKind
	}
	kind, err := source.ParseKind(src)
	if err != nil {
		return nil, err
	}
	platform, err := source.ParsePlatform(f.platform)
	if err != nil {
		return nil, err
	}
	img, err := source.OpenContext(l.ctx, ref,
		source.WithKind(kind), source.WithPlatform(platform), source.WithPull(f.pull),
		source.WithInsecure(f.insecure), source.WithNamespace(f.namespace), source.WithGetenv(env.getenv), source.WithProgress(env.stderr),
		source.WithLogf(func(format string, args ...any) {
			fmt.Fprintf(env.stderr, "strata: %s\n", textsafe.Message(fmt.Sprintf(format, args...)))
		}))
	if err != nil {
		return nil, l.err(ref, err)
	}
	return img, nil
}

// layerHooks are what a command does with each layer as the analysis
// reads and stacks it.
type layerHooks struct {
	// read is given each layer as read, before it is stacked: stacking
	// lets go of its entries.
	read func(*analyze.ParsedLayer)
	// stacked is called once the layer is stacked; an error from it ends
	// the analysis.
	stacked func(*analyze.Analysis) error
}

// analyze opens and analyzes the image, printing warnings; hooks, when
// set, are called for each layer.
func (l *load) analyze(env *environment, ref, defaultKind string, hooks *layerHooks, opts ...analyze.Option) (*analyze.Result, *source.Image, error) {
	img, err := l.open(env, ref, defaultKind)
	if err != nil {
		return nil, nil, err
	}
	res, err := l.run(img, hooks, opts...)
	if err != nil {
		img.Close()
		var de *blob.DigestError
		if errors.As(err, &de) {
			return nil, nil, fmt.Errorf("%s: %w (use --ignore-errors to go on)", img.Reference, err)
		}
		return nil, nil, l.err(img.Reference, fmt.Errorf("%s: %w", img.Reference, err))
	}
	for _, layer := range res.Layers {
		for _, w := range layer.Warnings {
			warn(env.stderr, "%s: %s", textsafe.Line(img.Reference), w)
		}
	}
	return res, img, nil
}

// run analyzes an opened image to the end, one layer at a time.
func (l *load) run(img *source.Image, hooks *layerHooks, opts ...analyze.Option) (*analyze.Result, error) {
	opts = append(analysisOptions(l, l.flags), opts...)
	if l.disk != nil {
		defer l.disk.Trim()
	}
	a, err := analyze.Start(l.ctx, img, opts...)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	for {
		p, err := a.Next()
		if errors.Is(err, io.EOF) {
			return a.Result(), nil
		} else if err != nil {
			return nil, err
		}
		if hooks != nil && hooks.read != nil {
			hooks.read(p)
		}
		if _, err := a.Stack(p); err != nil {
			return nil, err
		}
		if hooks != nil && hooks.stacked != nil {
			if err := hooks.stacked(a); err != nil {
				return nil, err
			}
		}
	}
}
