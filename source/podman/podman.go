package podman

import (
	"github.com/strata-dev/strata/image"

	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/docker"
	"github.com/strata-dev/strata/source/dockerarchive"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

// Image is an image read from podman.
type Image interface {
	image.Image
	Platform() v1.Platform
	Close() error
}

// Sockets lists the API sockets podman may be answering on, best first,
// each with how it was found.
func Sockets(getenv func(string) string) []docker.Endpoint {
	var out []docker.Endpoint
	if h := getenv("CONTAINER_HOST"); h != "" {
		out = append(out, docker.Endpoint{Host: h, How: "$CONTAINER_HOST"})
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		out = append(out, docker.Endpoint{Host: "unix://" + filepath.Join(d, "podman", "podman.sock"), How: "$XDG_RUNTIME_DIR"})
	}
	return append(out, docker.Endpoint{Host: "unix:///run/podman/podman.sock", How: "the default rootful socket"})
}

// Option changes how an image is read.
type Option func(*options)

type options struct {
	getenv   func(string) string
	platform v1.Platform
	pull     bool
	tmpDir   string
	cli      string
}

// WithGetenv reads the environment through f (for tests).
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }

// WithPlatform asks for one platform of a multi-platform image.
func WithPlatform(p v1.Platform) Option { return func(o *options) { o.platform = p } }

// WithPull pulls the image when podman does not have it.
func WithPull(pull bool) Option { return func(o *options) { o.pull = pull } }

// WithTempDir puts the temporary archive in dir.
func WithTempDir(dir string) Option { return func(o *options) { o.tmpDir = dir } }

// WithCLI names the podman binary used when no socket answers (default
// "podman" on $PATH).
func WithCLI(path string) Option { return func(o *options) { o.cli = path } }

// Open reads ref from podman.
func Open(ctx context.Context, ref string, opts ...Option) (Image, error) {
	o := options{getenv: os.Getenv, cli: "podman"}
	for _, opt := range opts {
		opt(&o)
	}
	var tried []string
	for _, e := range Sockets(o.getenv) {
		if strings.HasPrefix(e.Host, "unix://") {
			if _, err := os.Stat(strings.TrimPrefix(e.Host, "unix://")); err != nil {
				tried = append(tried, e.Host+" (no socket)")
				continue
			}
		}
		img, err := docker.Open(ctx, ref, docker.WithEndpoint(e), docker.WithDaemonName("podman service"),
			docker.WithPlatform(o.platform), docker.WithPull(o.pull), docker.WithTempDir(o.tmpDir))
		if errors.Is(err, docker.ErrUnreachable) {
			tried = append(tried, e.Host+" (no answer)")
			continue
		}
		return img, err
	}
	bin, err := exec.LookPath(o.cli)
	if err != nil {
		return nil, fmt.Errorf("no podman API socket answered (tried %s) and there is no podman command", strings.Join(tried, ", "))
	}
	return saveWithCLI(ctx, bin, ref, o)
}

// saveWithCLI runs `podman image save` into a temporary docker archive.
func saveWithCLI(ctx context.Context, bin, ref string, o options) (Image, error) {
	if o.pull && exec.CommandContext(ctx, bin, "image", "exists", ref).Run() != nil {
		if out, err := exec.CommandContext(ctx, bin, "pull", ref).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("podman pull %s: %s", ref, oneLine(out, err))
		}
	}
	f, err := os.CreateTemp(o.tmpDir, "strata-podman-*.tar")
	if err != nil {
		return nil, err
	}
	path := f.Name()
	f.Close()
	os.Remove(path) // podman refuses to overwrite
	out, err := exec.CommandContext(ctx, bin, "image", "save", "--format", "docker-archive", "-o", path, ref).CombinedOutput()
	if err != nil {
		os.Remove(path)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("podman image save %s: %s", ref, oneLine(out, err))
	}
	fs, err := tarfs.Open(path)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	a, err := dockerarchive.Open(fs)
	if err != nil {
		fs.Close()
		os.Remove(path)
		return nil, err
	}
	cfg, _ := a.ConfigFile()
	return &cliImage{Image: a, tmp: path, platform: v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}}, nil
}

func oneLine(out []byte, err error) string {
	s := strings.TrimSpace(string(out))
	if s == "" {
		return err.Error()
	}
	lines := strings.Split(s, "\n")
	return strings.TrimPrefix(lines[len(lines)-1], "Error: ")
}

type cliImage struct {
	*dockerarchive.Image
	tmp      string
	platform v1.Platform
}

func (i *cliImage) Platform() v1.Platform { return i.platform }

func (i *cliImage) Close() error {
	err := i.Image.Close()
	os.Remove(i.tmp)
	return err
}
