package containerd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	cerrdefs "github.com/containerd/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	digest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/internal/metadata"
)

// Documents reads the documents of an image in containerd's content
// store: its index or manifest, and the manifests, configs and layers it
// names. It is an [index.LocalStore]; a platform containerd did not pull
// is [index.ErrAbsent].
type Documents struct {
	target   ocispec.Descriptor
	name     string
	endpoint Endpoint
	client   *client.Client
	store    content.Store
	ns       string
}

var _ index.LocalStore = (*Documents)(nil)

// OpenDocuments finds the image ref in containerd (with the options of
// [Open]; WithPlatform does not apply). It reads nothing yet.
func OpenDocuments(ctx context.Context, ref string, opts ...Option) (*Documents, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, errors.New("no image named: give a reference such as containerd://busybox:latest")
	}
	o := makeOptions(opts)
	e := o.endpoint()
	c, err := connect(ctx, e)
	if err != nil {
		return nil, err
	}
	nctx := namespaces.WithNamespace(ctx, e.Namespace)
	rec, err := lookup(nctx, c, ref)
	if cerrdefs.IsNotFound(err) {
		err = missing(nctx, c, ref, e)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return &Documents{target: rec.Target, name: rec.Name, endpoint: e, client: c, store: c.ContentStore(), ns: e.Namespace}, nil
}

// Name is the image's name in containerd.
func (s *Documents) Name() string { return s.name }

// Endpoint is the socket and namespace the image is read from.
func (s *Documents) Endpoint() Endpoint { return s.endpoint }

// Root reads the image's target: its index or manifest.
func (s *Documents) Root(ctx context.Context) (v1.Descriptor, []byte, error) {
	d, err := toV1(s.target)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	raw, err := s.Fetch(ctx, d, metadata.MaxManifest)
	if err != nil {
		return v1.Descriptor{}, nil, fmt.Errorf("reading %s from containerd (namespace %s): %w", s.name, s.ns, err)
	}
	return d, raw, nil
}

// Fetch reads a blob of the content store, at most limit bytes, checked
// against d. A blob containerd does not hold is [index.ErrAbsent].
func (s *Documents) Fetch(ctx context.Context, d v1.Descriptor, limit int64) ([]byte, error) {
	ctx = namespaces.WithNamespace(ctx, s.ns)
	what := "blob " + d.Digest.String()
	if d.Size > limit {
		return nil, metadata.TooLarge(what, d.Size, limit)
	}
	if err := present(ctx, s.store, d.Digest); err != nil {
		return nil, index.Absent(fmt.Errorf("%s: %w", what, err))
	}
	ra, err := s.store.ReaderAt(ctx, ocispec.Descriptor{MediaType: string(d.MediaType), Digest: digest.Digest(d.Digest.String()), Size: d.Size})
	if err != nil {
		return nil, fmt.Errorf("opening %s in containerd: %w", what, err)
	}
	defer ra.Close()
	if ra.Size() > limit {
		return nil, metadata.TooLarge(what, ra.Size(), limit)
	}
	raw, err := metadata.ReadAll(io.NewSectionReader(ra, 0, ra.Size()), what, limit)
	if err != nil {
		return nil, err
	}
	if err := metadata.Verify(d, raw); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return raw, nil
}

// Open reads a blob of the content store, a layer's.
func (s *Documents) Open(ctx context.Context, d v1.Descriptor) (io.ReadCloser, error) {
	ctx = namespaces.WithNamespace(ctx, s.ns)
	ra, err := s.store.ReaderAt(ctx, ocispec.Descriptor{MediaType: string(d.MediaType), Digest: digest.Digest(d.Digest.String()), Size: d.Size})
	if err != nil {
		return nil, fmt.Errorf("opening blob %s in containerd: %w", d.Digest, err)
	}
	return &sectionCloser{SectionReader: io.NewSectionReader(ra, 0, ra.Size()), ra: ra}, nil
}

// sectionCloser reads a content-store blob from start to end.
type sectionCloser struct {
	*io.SectionReader
	ra content.ReaderAt
}

func (r *sectionCloser) Close() error { return r.ra.Close() }

// Close ends the connection to containerd.
func (s *Documents) Close() error { return s.client.Close() }
