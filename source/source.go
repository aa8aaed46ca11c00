package source

import (
	"github.com/strata-dev/strata/image"

	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/dockerarchive"
	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/internal/platforms"
	"github.com/strata-dev/strata/source/internal/tarfs"
	"github.com/strata-dev/strata/source/oci"
)

// Kind names a source of images.
type Kind string

// The kinds of source strata reads.
const (
	Auto          Kind = ""
	DockerArchive Kind = "docker-archive"
	OCIArchive    Kind = "oci-archive"
	OCILayout     Kind = "oci"
	Docker        Kind = "docker"
	Podman        Kind = "podman"
	Registry      Kind = "registry"
	Containerd    Kind = "containerd"
	// Container reads a container of the Docker Engine or podman: its
	// image plus a layer of what it changed.
	Container Kind = "container"
)

// Kinds lists the kinds a user may ask for.
func Kinds() []Kind {
	return []Kind{DockerArchive, OCIArchive, OCILayout, Docker, Podman, Registry, Containerd, Container}
}

// live says whether a kind reads from a daemon or a registry rather than
// a path.
func (k Kind) live() bool {
	return k == Docker || k == Podman || k == Registry || k == Containerd || k == Container
}

// ParseKind checks a --source value.
func ParseKind(s string) (Kind, error) {
	if s == "" {
		return Auto, nil
	}
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(Kinds()))
	for i, k := range Kinds() {
		names[i] = string(k)
	}
	return Auto, fmt.Errorf("unknown source %q; use one of %s", s, strings.Join(names, ", "))
}

// ParsePlatform reads an os/arch[/variant] value.
func ParsePlatform(s string) (v1.Platform, error) { return platforms.Parse(s) }

// FormatPlatform writes a platform as os/arch[/variant].
func FormatPlatform(p v1.Platform) string { return platforms.Format(p) }

// Image is an opened image: what analyze reads, plus where it came from.
type Image struct {
	image.Image
	// Reference is what the user asked for, without a transport prefix.
	Reference string
	// Kind is the source that was used.
	Kind Kind
	// Platform is the image's platform.
	Platform v1.Platform
	close    func() error
}

// Close releases the files the image keeps open.
func (i *Image) Close() error {
	if i.close == nil {
		return nil
	}
	return i.close()
}

// Option changes how an image is opened.
type Option func(*options)

type options struct {
	kind     Kind
	platform v1.Platform
	pull     bool
	insecure bool
	getenv   func(string) string
	logf     func(format string, args ...any)
	progress io.Writer
	podman   string
	ns       string
	ctx      context.Context // OpenContext's: resolving an index checks it
}

// WithKind forces a kind of source instead of detecting it.
func WithKind(k Kind) Option { return func(o *options) { o.kind = k } }

// WithPlatform picks an image for this platform out of a multi-platform
// index. The zero platform means the host's.
func WithPlatform(p v1.Platform) Option { return func(o *options) { o.platform = p } }

// WithPull pulls an image through the daemon (docker, podman) when the
// daemon does not have it.
func WithPull(pull bool) Option { return func(o *options) { o.pull = pull } }

// WithInsecure lets a registry be reached over plain HTTP or with an
// unverified certificate; loopback registries are always allowed plain
// HTTP.
func WithInsecure(insecure bool) Option { return func(o *options) { o.insecure = insecure } }

// WithGetenv reads the environment through f (for tests); the default is
// os.Getenv.
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }

// WithLogf receives one line saying which source was used for a bare
// reference, and why.
func WithLogf(f func(format string, args ...any)) Option { return func(o *options) { o.logf = f } }

// WithProgress receives pull progress lines.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

// WithPodmanCLI names the podman command used when no podman socket
// answers (default "podman" on $PATH).
func WithPodmanCLI(path string) Option { return func(o *options) { o.podman = path } }

// WithNamespace reads containerd images from this namespace instead of
// $CONTAINERD_NAMESPACE or "default" (Kubernetes keeps its images in
// "k8s.io").
func WithNamespace(ns string) Option { return func(o *options) { o.ns = ns } }

// ErrNotImage says the input exists but holds no image strata can read.
var ErrNotImage = errors.New("not an image")

// SplitPrefix takes a transport prefix off a reference.
func SplitPrefix(ref string) (Kind, string) {
	for _, k := range Kinds() {
		if rest, ok := strings.CutPrefix(ref, string(k)+"://"); ok {
			return k, rest
		}
	}
	return Auto, ref
}

// Open opens the image ref names, with no deadline.
func Open(ref string, opts ...Option) (*Image, error) {
	return OpenContext(context.Background(), ref, opts...)
}

// OpenContext opens the image ref names. A path is read as an archive or
// a layout; a reference with the docker://, podman://, registry:// or
// containerd:// prefix (or --source) from there, and container://ID as
// the container's image plus a layer of what it changed; a bare reference
// that is not a path from the Docker daemon when one answers and has the
// image, else from containerd when it answers and has it, else from its
// registry.
func OpenContext(ctx context.Context, ref string, opts ...Option) (*Image, error) {
	o := options{getenv: os.Getenv, logf: func(string, ...any) {}}
	for _, opt := range opts {
		opt(&o)
	}
	o.ctx = ctx
	prefixKind, path := SplitPrefix(ref)
	kind := o.kind
	if prefixKind != Auto {
		if kind != Auto && kind != prefixKind {
			return nil, fmt.Errorf("%s: the prefix says %s but --source says %s", ref, prefixKind, kind)
		}
		kind = prefixKind
	}
	var img *Image
	var err error
	switch {
	case kind.live():
		img, err = openLive(ctx, path, kind, o)
	case kind == Auto && isReference(path):
		img, err = openAuto(ctx, path, o)
	default:
		img, err = open(path, kind, o)
	}
	if err != nil {
		if !strings.Contains(err.Error(), path) { // else the source named it already
			err = fmt.Errorf("%s: %w", path, err)
		}
		return nil, oneSafeLine(err)
	}
	if img.Reference == "" {
		img.Reference = path
	}
	if o.platform.OS != "" && !platforms.Matches(img.Platform, o.platform) {
		img.Close()
		return nil, fmt.Errorf("%s: the image is for %s, not %s", path, platforms.Describe(img.Platform), platforms.Format(o.platform))
	}
	return img, nil
}

func open(path string, kind Kind, o options) (*Image, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no such file or directory")
		}
		return nil, err
	}
	if st.IsDir() {
		if kind != Auto && kind != OCILayout {
			return nil, fmt.Errorf("is a directory, not a %s", kind)
		}
		img, err := oci.OpenDir(path, oci.WithPlatform(o.platform), oci.WithContext(o.ctx))
		if err != nil {
			return nil, err
		}
		return &Image{Image: img, Kind: OCILayout, Platform: img.Platform(), close: img.Close}, nil
	}
	if kind == OCILayout {
		return nil, errors.New("is a file, not an OCI layout directory")
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: it is %s (expected a docker save tarball, an oci-archive or an OCI layout directory)", ErrNotImage, metadata.Kind(st.Mode()))
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotImage)
	}
	tf, err := tarfs.Open(path)
	if err != nil {
		if errors.Is(err, tarfs.ErrNotTar) {
			return nil, fmt.Errorf("%w: not a tar archive (expected a docker save tarball, an oci-archive or an OCI layout directory)", ErrNotImage)
		}
		return nil, err
	}
	img, err := openArchive(tf, kind, o)
	if err != nil {
		tf.Close()
		return nil, err
	}
	return img, nil
}

func openArchive(tf *tarfs.FS, kind Kind, o options) (*Image, error) {
	if kind == Auto {
		switch {
		case dockerarchive.IsArchive(tf):
			kind = DockerArchive
		case oci.IsArchive(tf):
			kind = OCIArchive
		default:
			return nil, fmt.Errorf("%w: a tar with neither manifest.json nor index.json (expected a docker save tarball or an oci-archive)", ErrNotImage)
		}
	}
	// A prefix or --source that names the other archive format.
	switch {
	case kind == OCIArchive && !oci.IsArchive(tf) && dockerarchive.IsArchive(tf):
		return nil, errors.New("is a docker-archive (docker save output, with no index.json), not an oci-archive: read it with the docker-archive:// prefix, or with none")
	case kind == DockerArchive && !dockerarchive.IsArchive(tf) && oci.IsArchive(tf):
		return nil, errors.New("is an oci-archive (with no manifest.json), not a docker-archive: read it with the oci-archive:// prefix, or with none")
	}
	switch kind {
	case DockerArchive:
		img, err := dockerarchive.Open(tf)
		if err != nil {
			return nil, err
		}
		cfg, _ := img.ConfigFile()
		p := v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
		return &Image{Image: img, Kind: DockerArchive, Platform: p, close: img.Close}, nil
	case OCIArchive:
		img, err := oci.OpenArchive(tf, oci.WithPlatform(o.platform), oci.WithContext(o.ctx))
		if err != nil {
			return nil, err
		}
		return &Image{Image: img, Kind: OCIArchive, Platform: img.Platform(), close: img.Close}, nil
	}
	return nil, fmt.Errorf("is a file, not a %s", kind)
}
