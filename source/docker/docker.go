package docker

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/moby/moby/api/types/registry"
	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/strata-dev/strata/source/dockerarchive"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

// ErrNotFound says the daemon does not have the image.
var ErrNotFound = errors.New("image not found")

// ErrUnreachable says no daemon answered.
var ErrUnreachable = errors.New("daemon not reachable")

// unreachableError is ErrUnreachable with a message of its own.
type unreachableError struct{ msg string }

func (e *unreachableError) Error() string        { return e.msg }
func (e *unreachableError) Is(target error) bool { return target == ErrUnreachable }

// rootCause is what the system said of a failed connection.
func rootCause(err error) string {
	var op *net.OpError
	switch {
	case errors.As(err, &op) && op.Err != nil:
		return op.Err.Error()
	case client.IsErrConnectionFailed(err):
		return "no answer"
	}
	return err.Error()
}

// Image is an image saved from a daemon into a temporary archive.
type Image struct {
	*dockerarchive.Image
	tmp      string
	platform v1.Platform
	endpoint Endpoint
}

// Platform is the image's platform, from its config.
func (i *Image) Platform() v1.Platform { return i.platform }

// Endpoint is the daemon the image came from.
func (i *Image) Endpoint() Endpoint { return i.endpoint }

// Close closes the archive and removes the temporary file.
func (i *Image) Close() error {
	err := i.Image.Close()
	if rerr := os.Remove(i.tmp); err == nil && !errors.Is(rerr, os.ErrNotExist) {
		err = rerr
	}
	return err
}

// Option changes how an image is read from a daemon.
type Option func(*options)

type options struct {
	endpoint *Endpoint
	getenv   func(string) string
	pull     bool
	progress io.Writer
	platform v1.Platform
	tmpDir   string
	daemon   string
}

// WithEndpoint talks to this daemon instead of resolving one.
func WithEndpoint(e Endpoint) Option { return func(o *options) { o.endpoint = &e } }

// WithGetenv reads the environment through f (for tests); the default is
// os.Getenv.
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }

// WithPull pulls the image through the daemon when it does not have it.
func WithPull(pull bool) Option { return func(o *options) { o.pull = pull } }

// WithProgress writes pull progress, one line per step, to w.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

// WithPlatform asks a multi-platform image (containerd image store) for
// one platform; daemons whose API is older than 1.48 save the one they
// have.
func WithPlatform(p v1.Platform) Option { return func(o *options) { o.platform = p } }

// WithTempDir puts the temporary archive in dir instead of os.TempDir().
func WithTempDir(dir string) Option { return func(o *options) { o.tmpDir = dir } }

// WithDaemonName names the daemon in messages ("podman").
func WithDaemonName(n string) Option { return func(o *options) { o.daemon = n } }

// Connect makes a client for the daemon and checks that it answers.
func Connect(ctx context.Context, e Endpoint, daemon string) (*client.Client, error) {
	opts := []client.Opt{client.WithHost(e.Host), client.WithAPIVersionNegotiation()}
	switch {
	case e.TLSDir != "":
		opts = append(opts, client.WithTLSClientConfig(filepath.Join(e.TLSDir, "ca.pem"),
			filepath.Join(e.TLSDir, "cert.pem"), filepath.Join(e.TLSDir, "key.pem")))
	case os.Getenv("DOCKER_CERT_PATH") != "" || os.Getenv("DOCKER_TLS_VERIFY") != "":
		opts = append(opts, client.WithTLSClientConfigFromEnv())
	}
	cli, err := client.New(opts...)
	if err != nil {
		return nil, &unreachableError{fmt.Sprintf("cannot use the %s at %s: %s", daemon, e, rootCause(err))}
	}
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &unreachableError{fmt.Sprintf("cannot reach the %s at %s: %s (is it running?)", daemon, e, rootCause(err))}
	}
	return cli, nil
}

// connect applies opts and connects to the daemon they name (else the one
// the environment names).
func connect(ctx context.Context, opts []Option) (options, Endpoint, *client.Client, error) {
	o := options{getenv: os.Getenv, daemon: "Docker daemon"}
	for _, opt := range opts {
		opt(&o)
	}
	e := Endpoint{}
	if o.endpoint != nil {
		e = *o.endpoint
	} else {
		var err error
		if e, err = Resolve(o.getenv); err != nil {
			return o, e, nil, err
		}
	}
	cli, err := Connect(ctx, e, o.daemon)
	return o, e, cli, err
}

// Open saves the image ref from a daemon and opens it.
func Open(ctx context.Context, ref string, opts ...Option) (*Image, error) {
	o, e, cli, err := connect(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer cli.Close()

	if _, err := cli.ImageInspect(ctx, ref); err != nil {
		if !cerrdefs.IsNotFound(err) {
			return nil, fmt.Errorf("inspecting %s in the %s at %s: %w", ref, o.daemon, e.Host, err)
		}
		if !o.pull {
			return nil, fmt.Errorf("%w: %s is not in the %s at %s (add --pull to pull it)", ErrNotFound, ref, o.daemon, e.Host)
		}
		if err := pull(ctx, cli, ref, o); err != nil {
			return nil, err
		}
	}
	var saveOpts []client.ImageSaveOption
	if o.platform.OS != "" && versionAtLeast(cli.ClientVersion(), "1.48") {
		saveOpts = append(saveOpts, client.ImageSaveWithPlatforms(ocispec.Platform{
			OS: o.platform.OS, Architecture: o.platform.Architecture, Variant: o.platform.Variant}))
	}
	tmp, err := save(ctx, cli, ref, o, saveOpts)
	if err != nil {
		return nil, err
	}
	img, err := openArchive(tmp)
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("reading %s as the %s saved it: %w", ref, o.daemon, err)
	}
	img.endpoint = e
	return img, nil
}

// save streams ImageSave into one temporary file, removed on any error.
func save(ctx context.Context, cli *client.Client, ref string, o options, saveOpts []client.ImageSaveOption) (path string, err error) {
	rc, err := cli.ImageSave(ctx, []string{ref}, saveOpts...)
	if err != nil {
		return "", fmt.Errorf("saving %s from the %s: %w", ref, o.daemon, err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(o.tmpDir, "strata-save-*.tar")
	if err != nil {
		return "", fmt.Errorf("saving %s: %w", ref, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("saving %s: %w", ref, cerr)
		}
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, rc); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("saving %s from the %s: %w", ref, o.daemon, err)
	}
	return f.Name(), nil
}

func openArchive(path string) (*Image, error) {
	fs, err := tarfs.Open(path)
	if err != nil {
		return nil, err
	}
	a, err := dockerarchive.Open(fs)
	if err != nil {
		fs.Close()
		return nil, err
	}
	cfg, _ := a.ConfigFile()
	return &Image{Image: a, tmp: path,
		platform: v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}}, nil
}

// pull pulls ref through the daemon, passing it the credentials the
// docker config holds for its registry, and writes progress lines.
func pull(ctx context.Context, cli *client.Client, ref string, o options) error {
	popts := client.ImagePullOptions{}
	if o.platform.OS != "" {
		popts.Platforms = []ocispec.Platform{{OS: o.platform.OS, Architecture: o.platform.Architecture, Variant: o.platform.Variant}}
	}
	if auth, err := registryAuth(ref); err == nil {
		popts.RegistryAuth = auth
	}
	resp, err := cli.ImagePull(ctx, ref, popts)
	if err != nil {
		return fmt.Errorf("pulling %s through the %s: %w", ref, o.daemon, err)
	}
	defer resp.Close()
	for msg, err := range resp.JSONMessages(ctx) {
		if err != nil {
			return fmt.Errorf("pulling %s: %w", ref, err)
		}
		if msg.Error != nil {
			return fmt.Errorf("pulling %s: %s", ref, msg.Error.Message)
		}
		if o.progress != nil && msg.Status != "" {
			line := "pulling " + ref + ": "
			if msg.ID != "" {
				line += msg.ID + ": "
			}
			line += msg.Status
			if p := msg.Progress; p != nil && p.Total > 0 {
				line += fmt.Sprintf(" %d%%", p.Current*100/p.Total)
			}
			fmt.Fprintln(o.progress, line)
		}
	}
	return nil
}

// registryAuth encodes the docker config's credentials for ref's registry
// the way the Engine API wants them (X-Registry-Auth).
func registryAuth(ref string) (string, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return "", err
	}
	a, err := authn.DefaultKeychain.Resolve(r.Context().Registry)
	if err != nil {
		return "", err
	}
	c, err := a.Authorization()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(registry.AuthConfig{Username: c.Username, Password: c.Password,
		IdentityToken: c.IdentityToken, RegistryToken: c.RegistryToken, ServerAddress: r.Context().RegistryStr()})
	if err != nil {
		return "", err
	}
	return base64.URLEncoding.EncodeToString(b), nil
}

// versionAtLeast compares Engine API versions such as "1.41" and "1.48".
func versionAtLeast(have, want string) bool {
	var hMaj, hMin, wMaj, wMin int
	fmt.Sscanf(have, "%d.%d", &hMaj, &hMin)
	fmt.Sscanf(want, "%d.%d", &wMaj, &wMin)
	return hMaj > wMaj || hMaj == wMaj && hMin >= wMin
}
