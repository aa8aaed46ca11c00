package containerd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	cerrdefs "github.com/containerd/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/image"
)

// DefaultAddress is containerd's default socket.
const DefaultAddress = "/run/containerd/containerd.sock"

// DefaultNamespace is the namespace read when none is given.
const DefaultNamespace = "default"

// ErrNotFound says containerd does not have the image in the namespace.
var ErrNotFound = errors.New("image not found")

// ErrUnreachable says no containerd answered on the socket.
var ErrUnreachable = errors.New("containerd not reachable")

// unreachableError is ErrUnreachable with a message of its own.
type unreachableError struct{ msg string }

func (e *unreachableError) Error() string        { return e.msg }
func (e *unreachableError) Is(target error) bool { return target == ErrUnreachable }

// notFoundError is ErrNotFound with a message of its own.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// Option changes how an image is read from containerd.
type Option func(*options)

type options struct {
	address   string
	namespace string
	getenv    func(string) string
	platform  v1.Platform
}

// WithAddress talks to containerd on this socket instead of
// $CONTAINERD_ADDRESS or the default one.
func WithAddress(address string) Option { return func(o *options) { o.address = address } }

// WithNamespace reads the image from this namespace instead of
// $CONTAINERD_NAMESPACE or "default". Kubernetes keeps its images in
// "k8s.io".
func WithNamespace(ns string) Option { return func(o *options) { o.namespace = ns } }

// WithGetenv reads the environment through f (for tests); the default is
// os.Getenv.
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }

// WithPlatform picks the image for this platform out of a multi-platform
// index. The zero platform means the host's, and a lone image is taken
// whatever its platform.
func WithPlatform(p v1.Platform) Option { return func(o *options) { o.platform = p } }

// Endpoint is the containerd socket and namespace an image is read from,
// and how each was decided.
type Endpoint struct {
	Address string
	// How says where Address came from: "$CONTAINERD_ADDRESS", "the
	// default socket" or "the address given".
	How       string
	Namespace string
}

func (e Endpoint) String() string {
	return fmt.Sprintf("%s (%s), namespace %s", e.Address, e.How, e.Namespace)
}

// Resolve finds the socket and namespace the options and environment name.
func Resolve(opts ...Option) Endpoint {
	o := makeOptions(opts)
	return o.endpoint()
}

func makeOptions(opts []Option) options {
	o := options{getenv: os.Getenv}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

func (o options) endpoint() Endpoint {
	e := Endpoint{Address: o.address, How: "the address given", Namespace: o.namespace}
	if e.Address == "" {
		e.Address, e.How = o.getenv("CONTAINERD_ADDRESS"), "$CONTAINERD_ADDRESS"
	}
	if e.Address == "" {
		e.Address, e.How = DefaultAddress, "the default socket"
	}
	if e.Namespace == "" {
		e.Namespace = o.getenv("CONTAINERD_NAMESPACE")
	}
	if e.Namespace == "" {
		e.Namespace = DefaultNamespace
	}
	return e
}

// socketPath is the file of a unix socket address, or "" for another kind.
func socketPath(address string) string {
	if p, ok := strings.CutPrefix(address, "unix://"); ok {
		return p
	}
	if strings.Contains(address, "://") {
		return ""
	}
	return address
}

// connect makes a client for containerd and checks that it answers.
func connect(ctx context.Context, e Endpoint) (*client.Client, error) {
	dial := e.Address
	if p := socketPath(e.Address); p != "" {
		if _, err := os.Stat(p); err != nil {
			return nil, &unreachableError{fmt.Sprintf("no containerd socket at %s (%s)", e.Address, e.How)}
		}
		dial = p // the client puts unix:// before what it is given
	}
	c, err := client.New(dial, client.WithDefaultNamespace(e.Namespace))
	if err != nil {
		return nil, &unreachableError{fmt.Sprintf("cannot use containerd at %s (%s): %s", e.Address, e.How, rootCause(err))}
	}
	if _, err := c.Version(ctx); err != nil {
		c.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		cause, hint := rootCause(err), "is it running?"
		if strings.Contains(cause, "permission denied") {
			hint = "its socket is usually root's"
		}
		return nil, &unreachableError{fmt.Sprintf("cannot reach containerd at %s (%s): %s (%s)", e.Address, e.How, cause, hint)}
	}
	return c, nil
}

// rootCause is what the system said of a failed connection.
func rootCause(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	s := err.Error()
	// gRPC wraps the dial error: "... desc = connection error: desc = \"transport: ...: connect: permission denied\"".
	if i := strings.LastIndex(s, ": "); i >= 0 && strings.Contains(s, "transport") {
		return strings.TrimRight(s[i+2:], `"`)
	}
	return s
}

// Open reads the image ref from containerd's content store.
func Open(ctx context.Context, ref string, opts ...Option) (*Image, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, errors.New("no image named: give a reference such as containerd://busybox:latest")
	}
	o := makeOptions(opts)
	e := o.endpoint()
	c, err := connect(ctx, e)
	if err != nil {
		return nil, err
	}
	ctx = namespaces.WithNamespace(ctx, e.Namespace)
	rec, err := lookup(ctx, c, ref)
	if cerrdefs.IsNotFound(err) {
		err = missing(ctx, c, ref, e)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	img, err := read(ctx, c, rec.Target, o.platform)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("reading %s from containerd (namespace %s): %w", rec.Name, e.Namespace, err)
	}
	img.name, img.endpoint, img.client = rec.Name, e, c
	// Layers are read after Open returns, until Close: with a context of
	// their own that keeps the namespace and ends at Close.
	img.blobCtx, img.cancel = context.WithCancel(namespaces.WithNamespace(context.Background(), e.Namespace))
	return img, nil
}

// Image is an image in containerd's content store.
type Image struct {
	config   *v1.ConfigFile
	layers   []image.Layer
	platform v1.Platform
	name     string
	endpoint Endpoint
	client   *client.Client
	blobCtx  context.Context
	cancel   context.CancelFunc
}

var _ image.Image = (*Image)(nil)

// ConfigFile returns the image configuration.
func (i *Image) ConfigFile() (*v1.ConfigFile, error) { return i.config, nil }

// Layers returns the layers in manifest order.
func (i *Image) Layers() ([]image.Layer, error) { return i.layers, nil }

// Platform is the platform of the image that was picked.
func (i *Image) Platform() v1.Platform { return i.platform }

// Name is the image's name in containerd (docker.io/library/busybox:latest).
func (i *Image) Name() string { return i.name }

// Endpoint is the socket and namespace the image was read from.
func (i *Image) Endpoint() Endpoint { return i.endpoint }

// Close ends the layers' reads and the connection to containerd.
func (i *Image) Close() error {
	if i.cancel != nil {
		i.cancel()
	}
	return i.client.Close()
}
