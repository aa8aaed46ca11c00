package registry

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/internal/metadata"
)

// Documents reads the documents of an image reference in its registry:
// what the reference names, the manifests and blobs of its repository by
// digest, the referrers of a manifest and cosign's tags. It is an
// [index.ReferrerStore]; it downloads no layer unless asked for one.
type Documents struct {
	ref    name.Reference
	ropts  []remote.Option
	d      *describer
	c      children
	blobs  *blobs
	own    *http.Transport
	cancel context.CancelFunc
}

var _ index.ReferrerStore = (*Documents)(nil)

// OpenDocuments connects to the registry of ref (with the options of
// [Open]; WithPlatform does not apply). It reads nothing yet. ctx bounds
// the store's whole life; Close it to release its connections.
func OpenDocuments(ctx context.Context, ref string, opts ...Option) (*Documents, error) {
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
	d := newDescriber(ctx, r, start)
	rt, own, err := connect(ctx, r, o, d)
	if err != nil {
		cancel()
		return nil, err
	}
	ropts := []remote.Option{remote.WithTransport(rt), remote.WithContext(ctx)}
	return &Documents{
		ref: r, ropts: ropts, d: d, own: own, cancel: cancel,
		c:     children{repo: r.Context(), opts: ropts, d: d},
		blobs: &blobs{ctx: ctx, repo: r.Context(), d: d, client: &http.Client{Transport: rt, CheckRedirect: checkRedirect}},
	}, nil
}

// Reference is the canonical reference, such as
// index.docker.io/library/alpine:3.20.
func (s *Documents) Reference() string { return s.ref.Name() }

// Root fetches the manifest or index the reference names.
func (s *Documents) Root(ctx context.Context) (v1.Descriptor, []byte, error) {
	got, err := remote.Get(s.ref, s.with(ctx)...)
	if err != nil {
		return v1.Descriptor{}, nil, s.d.describe(err, topManifest)
	}
	return got.Descriptor, got.Manifest, nil
}

// with is the remote options, with ctx when it is not the store's.
func (s *Documents) with(ctx context.Context) []remote.Option {
	if ctx == nil {
		return s.ropts
	}
	return append(append([]remote.Option{}, s.ropts...), remote.WithContext(ctx))
}

// Fetch fetches a manifest (by the manifests endpoint) or another blob
// (by the blobs endpoint), refusing more than limit bytes and checking it
// against d. What the registry does not have is [index.ErrAbsent].
func (s *Documents) Fetch(ctx context.Context, d v1.Descriptor, limit int64) ([]byte, error) {
	if d.MediaType.IsIndex() || d.MediaType.IsImage() {
		what := "manifest " + d.Digest.String()
		c := s.c
		c.opts = s.with(ctx)
		got, err := c.get(d, what)
		if err != nil {
			return nil, absentIfNotFound(err)
		}
		return got.Manifest, nil
	}
	what := "blob " + d.Digest.String()
	if d.Size > limit {
		return nil, s.d.errorf(ErrUnsupported, nil, "%s", metadata.TooLarge(what, d.Size, limit))
	}
	b := *s.blobs
	if ctx != nil {
		b.ctx = ctx
	}
	rc, err := b.open(d)
	if err != nil {
		return nil, absentIfNotFound(err)
	}
	defer rc.Close()
	raw, err := metadata.ReadAll(rc, what, limit)
	if err != nil {
		return nil, s.d.describe(err, what)
	}
	if err := metadata.Verify(d, raw); err != nil {
		return nil, s.d.errorf(ErrRegistry, err, "%s: %s", what, err)
	}
	return raw, nil
}

// absentIfNotFound marks a registry's "not found" as index.ErrAbsent.
func absentIfNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return index.Absent(err)
	}
	return err
}

// Referrers lists the referrers of a manifest through the OCI 1.1
// referrers API, else the referrers tag schema (go-containerregistry's
// remote.Referrers tries both).
func (s *Documents) Referrers(ctx context.Context, subject v1.Hash) ([]v1.Descriptor, error) {
	what := "the referrers of " + subject.String()
	idx, err := remote.Referrers(s.ref.Context().Digest(subject.String()), s.with(ctx)...)
	if err != nil {
		return nil, s.d.describe(err, what)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, s.d.describe(err, what)
	}
	return im.Manifests, nil
}

// Tagged fetches the manifest a tag of the repository names, and says
// false when there is no such tag.
func (s *Documents) Tagged(ctx context.Context, tag string) (v1.Descriptor, []byte, bool, error) {
	got, err := remote.Get(s.ref.Context().Tag(tag), s.with(ctx)...)
	if err != nil {
		err = s.d.describe(err, "the tag "+tag)
		if errors.Is(err, ErrNotFound) {
			return v1.Descriptor{}, nil, false, nil
		}
		return v1.Descriptor{}, nil, false, err
	}
	return got.Descriptor, got.Manifest, true, nil
}

// Close stops what is under way and releases the connections.
func (s *Documents) Close() error {
	s.cancel()
	if s.own != nil {
		s.own.CloseIdleConnections()
	}
	return nil
}
