package registry

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/textsafe"
)

// Image is an image in a registry. Its manifest and config are read; its
// layers are downloaded only when the analysis opens them.
type Image struct {
	ref      string
	digest   v1.Hash
	platform v1.Platform
	config   *v1.ConfigFile
	layers   []image.Layer
	cancel   context.CancelFunc
	own      *http.Transport // a transport of the image's own, or nil
}

// Open reads the manifest and config of the image ref names, such as
// alpine:3.20, ghcr.io/org/app@sha256:… or 127.0.0.1:5000/x/y:tag.
//
// ctx bounds the image's whole life: Open, and the layer downloads the
// analysis makes later. Cancel it, or Close the image, to stop them.
func Open(ctx context.Context, ref string, opts ...Option) (*Image, error) {
	start := time.Now()
	o := options{keychain: DefaultKeychain()}
	for _, opt := range opts {
		opt(&o)
	}
	r, err := checkedReference(ref, o.insecure)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	img, err := open(ctx, r, o, newDescriber(ctx, r, start))
	if err != nil {
		cancel()
		return nil, err
	}
	img.cancel = cancel
	return img, nil
}

// checkedReference reads ref, or says in an *Error why it is no reference.
func checkedReference(ref string, insecure bool) (name.Reference, error) {
	r, err := parseReference(ref, insecure)
	if err != nil {
		msg := ref + ": not a valid image reference"
		if detail := strings.TrimPrefix(err.Error(), "could not parse reference: "+ref); detail != "" {
			msg += ": " + detail
		}
		return nil, &Error{Ref: ref, Kind: ErrBadReference, msg: msg, cause: err}
	}
	return r, nil
}

// parseReference reads ref, allowing plain HTTP for its registry when
// plainHTTPAllowed says so.
func parseReference(ref string, insecure bool) (name.Reference, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	if plainHTTPAllowed(r.Context().RegistryStr(), insecure) {
		return name.ParseReference(ref, name.Insecure)
	}
	return r, nil
}

func open(ctx context.Context, r name.Reference, o options, d *describer) (*Image, error) {
	rt, own, err := connect(ctx, r, o, d)
	if err != nil {
		return nil, err
	}
	img, err := read(ctx, r, rt, o, d)
	if err != nil {
		if own != nil {
			own.CloseIdleConnections()
		}
		return nil, err
	}
	img.own = own
	return img, nil
}

// connect finds the credentials for r's registry and makes the transport
// that uses them; see newTransport for the returned *http.Transport.
func connect(ctx context.Context, r name.Reference, o options, d *describer) (http.RoundTripper, *http.Transport, error) {
	repo := r.Context()
	auth, err := authn.Resolve(ctx, o.keychain, repo)
	if err != nil {
		return nil, nil, d.errorf(ErrUnauthorized, err, "reading the credentials for %s: %s", repo.RegistryStr(), err)
	}
	d.secrets = secretsOf(ctx, auth)
	rt, own, err := newTransport(ctx, repo, auth, o)
	if err != nil {
		return nil, nil, d.describe(err, topManifest)
	}
	return rt, own, nil
}

// read reads the manifest and config through rt.
func read(ctx context.Context, r name.Reference, rt http.RoundTripper, o options, d *describer) (*Image, error) {
	repo := r.Context()
	ropts := []remote.Option{remote.WithTransport(rt), remote.WithContext(ctx)}
	desc, err := remote.Get(r, ropts...)
	if err != nil {
		return nil, d.describe(err, topManifest)
	}
	img, platform, err := d.resolve(desc, o.platform, children{repo: repo, opts: ropts, d: d})
	if err != nil {
		return nil, err
	}
	digest, err := img.Digest()
	if err != nil {
		return nil, d.describe(err, topManifest)
	}
	mf, err := img.Manifest()
	if err != nil {
		return nil, d.describe(err, "manifest "+digest.String())
	}
	switch mf.Config.MediaType {
	case types.DockerConfigJSON, types.OCIConfigJSON, "":
	default:
		return nil, d.errorf(ErrUnsupported, nil, "manifest %s is not a container image: its config is %s", digest, textsafe.Line(string(mf.Config.MediaType)))
	}
	cfg, err := d.config(img, "manifest "+digest.String())
	if err != nil {
		return nil, err
	}
	if len(cfg.RootFS.DiffIDs) != len(mf.Layers) {
		return nil, d.errorf(ErrUnsupported, nil, "manifest %s lists %d layers but the config has %d diff_ids", digest, len(mf.Layers), len(cfg.RootFS.DiffIDs))
	}
	b := &blobs{ctx: ctx, repo: repo, d: d, client: &http.Client{Transport: rt, CheckRedirect: checkRedirect}}
	out := &Image{ref: r.Name(), digest: digest, platform: platform, config: cfg}
	for i, l := range mf.Layers {
		out.layers = append(out.layers, image.Layer{
			Digest:    l.Digest,
			DiffID:    cfg.RootFS.DiffIDs[i],
			MediaType: l.MediaType,
			Size:      l.Size,
			Open:      func() (io.ReadCloser, error) { return b.open(l) },
		})
	}
	return out, nil
}

// ConfigFile returns the image configuration.
func (i *Image) ConfigFile() (*v1.ConfigFile, error) { return i.config, nil }

// Layers returns the layers in manifest order. Each Open downloads the
// blob once and returns the response body as it arrives.
func (i *Image) Layers() ([]image.Layer, error) { return i.layers, nil }

// Platform is the platform of the image that was picked.
func (i *Image) Platform() v1.Platform { return i.platform }

// Reference is the canonical reference, such as
// index.docker.io/library/alpine:3.20.
func (i *Image) Reference() string { return i.ref }

// Digest is the digest of the image manifest (of the picked image, for an
// index).
func (i *Image) Digest() v1.Hash { return i.digest }

// Close stops the downloads still under way.
func (i *Image) Close() error {
	i.cancel()
	if i.own != nil {
		i.own.CloseIdleConnections()
	}
	return nil
}
