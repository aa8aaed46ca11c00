package container

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/moby/moby/client"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/source/docker"
	"github.com/strata-dev/strata/source/podman"
)

// ErrNotFound says no daemon that answered has the container.
var ErrNotFound = errors.New("container not found")

// notFoundError is ErrNotFound with a message of its own.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// Option changes how a container is read.
type Option func(*options)

type options struct {
	getenv    func(string) string
	tmpDir    string
	pathLimit int
}

// WithGetenv reads the environment through f (for tests); the default is
// os.Getenv.
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }

// WithTempDir puts the temporary files (the saved image and the
// container's layer) in dir instead of os.TempDir().
func WithTempDir(dir string) Option { return func(o *options) { o.tmpDir = dir } }

// WithPathLimit reads the changed paths one by one (an archive request
// each, as docker cp) only when there are at most n of them to read, and
// otherwise the whole filesystem once (as docker export) to take them from
// it. The default is DefaultPathLimit; 0 always reads the whole
// filesystem. A request costs the daemon about as much as reading a few
// megabytes, and the whole filesystem is at most the image again.
func WithPathLimit(n int) Option { return func(o *options) { o.pathLimit = n } }

// daemon is an Engine API endpoint that may have the container.
type daemon struct {
	endpoint docker.Endpoint
	name     string // "Docker daemon", "podman service"
}

// daemons lists where to look for a container: the Docker daemon the
// docker CLI would use, then podman's sockets.
func daemons(getenv func(string) string) ([]daemon, []string) {
	var out []daemon
	var tried []string
	if e, err := docker.Resolve(getenv); err == nil {
		out = append(out, daemon{e, "Docker daemon"})
	} else {
		tried = append(tried, err.Error())
	}
	for _, e := range podman.Sockets(getenv) {
		if !slices.ContainsFunc(out, func(d daemon) bool { return d.endpoint.Host == e.Host }) {
			out = append(out, daemon{e, "podman service"})
		}
	}
	return out, tried
}

// Open reads the container ref (an ID, a unique ID prefix or a name).
func Open(ctx context.Context, ref string, opts ...Option) (*Image, error) {
	o := options{getenv: os.Getenv, pathLimit: DefaultPathLimit}
	for _, opt := range opts {
		opt(&o)
	}
	if !validRef(ref) {
		return nil, fmt.Errorf("%q is not a container ID or name", ref)
	}
	ds, tried := daemons(o.getenv)
	answered := false
	for _, d := range ds {
		if p, ok := strings.CutPrefix(d.endpoint.Host, "unix://"); ok {
			if _, err := os.Stat(p); err != nil {
				tried = append(tried, fmt.Sprintf("no %s socket at %s", d.name, d.endpoint))
				continue
			}
		}
		cli, err := docker.Connect(ctx, d.endpoint, d.name)
		if errors.Is(err, docker.ErrUnreachable) {
			tried = append(tried, err.Error())
			continue
		}
		if err != nil {
			return nil, err
		}
		answered = true
		img, err := openIn(ctx, cli, d, ref, o)
		cli.Close()
		if cerrdefs.IsNotFound(err) {
			tried = append(tried, fmt.Sprintf("not in the %s at %s", d.name, d.endpoint))
			continue
		}
		return img, err
	}
	if !answered {
		return nil, fmt.Errorf("%w: no daemon answered to read container %s (%s)", docker.ErrUnreachable, ref, strings.Join(tried, "; "))
	}
	return nil, &notFoundError{fmt.Sprintf("no such container: %s (%s)", ref, strings.Join(tried, "; "))}
}

// validRef says whether ref can name a container: Docker and podman
// names and IDs are letters, digits, '_', '.' and '-', not starting with
// one of the last three.
func validRef(ref string) bool {
	if ref == "" || len(ref) > 255 || strings.IndexAny(ref[:1], "_.-") == 0 {
		return false
	}
	for _, r := range ref {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// openIn reads the container from the daemon cli talks to. An error for
// which cerrdefs.IsNotFound holds means the daemon has no such container.
func openIn(ctx context.Context, cli *client.Client, d daemon, ref string, o options) (*Image, error) {
	ins, err := cli.ContainerInspect(ctx, ref, client.ContainerInspectOptions{})
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil, err
		}
		return nil, fmt.Errorf("inspecting container %s in the %s at %s: %w", ref, d.name, d.endpoint.Host, err)
	}
	c := ins.Container
	short := c.ID
	if len(short) > 12 {
		short = short[:12]
	}
	changes, err := cli.ContainerDiff(ctx, c.ID, client.ContainerDiffOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing the changes of container %s: %w", short, err)
	}
	base, err := docker.Open(ctx, c.Image, docker.WithEndpoint(d.endpoint), docker.WithDaemonName(d.name), docker.WithTempDir(o.tmpDir))
	if err != nil {
		if cerrdefs.IsNotFound(err) || errors.Is(err, docker.ErrNotFound) {
			return nil, fmt.Errorf("container %s was created from image %s, which the %s no longer has", short, c.Image, d.name)
		}
		return nil, fmt.Errorf("reading the image of container %s: %w", short, err)
	}
	top, err := writeLayer(ctx, cli, c.ID, changes.Changes, o.tmpDir, o.pathLimit)
	if err != nil {
		base.Close()
		return nil, fmt.Errorf("reading the changes of container %s: %w", short, err)
	}
	img := &Image{base: base, tmp: top.path, id: c.ID, name: strings.TrimPrefix(c.Name, "/"), daemon: d.name, endpoint: d.endpoint}
	if err := img.build(top, short, c.Created); err != nil {
		img.Close()
		return nil, err
	}
	return img, nil
}

// Image is a container read as its image plus a layer of its changes.
type Image struct {
	base     *docker.Image
	config   *v1.ConfigFile
	layers   []image.Layer
	tmp      string
	id, name string
	daemon   string
	endpoint docker.Endpoint
}

var _ image.Image = (*Image)(nil)

// build puts the container's layer on top of its image's layers and a
// history step for it in the config.
func (i *Image) build(top layerFile, short, created string) error {
	baseCfg, err := i.base.ConfigFile()
	if err != nil {
		return fmt.Errorf("reading the config of container %s's image: %w", short, err)
	}
	baseLayers, err := i.base.Layers()
	if err != nil {
		return fmt.Errorf("listing the layers of container %s's image: %w", short, err)
	}
	cfg := *baseCfg
	cfg.History = slices.Clone(baseCfg.History)
	// The analysis pairs the n-th layer with the n-th step that made one:
	// a history shorter than the layers gets steps that say so, so that
	// the container's step pairs with the container's layer.
	steps := 0
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			steps++
		}
	}
	for ; steps < len(baseLayers); steps++ {
		cfg.History = append(cfg.History, v1.History{Comment: "strata: a layer the image's history does not describe"})
	}
	step := v1.History{CreatedBy: fmt.Sprintf("container %s (changes since it was created)", short),
		Comment: fmt.Sprintf("strata: what container %s changed, read from the %s", i.name, i.daemon)}
	if t, err := time.Parse(time.RFC3339Nano, created); err == nil {
		step.Created = v1.Time{Time: t}
	}
	cfg.History = append(cfg.History, step)
	cfg.RootFS.DiffIDs = append(slices.Clone(baseCfg.RootFS.DiffIDs), top.diffID)
	i.config = &cfg

	i.layers = append(slices.Clone(baseLayers), image.Layer{
		ID:        "container (" + short + ")",
		MediaType: types.DockerUncompressedLayer,
		Size:      top.size,
		// Digest and DiffID stay zero: the analysis computes them.
		Open: top.open,
	})
	return nil
}

// ConfigFile returns the image's config with a history step for the
// container's layer.
func (i *Image) ConfigFile() (*v1.ConfigFile, error) { return i.config, nil }

// Layers returns the image's layers and the container's on top.
func (i *Image) Layers() ([]image.Layer, error) { return i.layers, nil }

// Platform is the image's platform.
func (i *Image) Platform() v1.Platform { return i.base.Platform() }

// ID is the container's full ID.
func (i *Image) ID() string { return i.id }

// Name is the container's name.
func (i *Image) Name() string { return i.name }

// Daemon names the daemon the container was read from ("Docker daemon at
// unix:///var/run/docker.sock (the default socket)").
func (i *Image) Daemon() string { return i.daemon + " at " + i.endpoint.String() }

// Close closes the image and removes the temporary files.
func (i *Image) Close() error {
	err := i.base.Close()
	if rerr := os.Remove(i.tmp); err == nil && !errors.Is(rerr, os.ErrNotExist) {
		err = rerr
	}
	return err
}
