package registry

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// blobs downloads the layer blobs of a repository.
type blobs struct {
	ctx    context.Context
	repo   name.Repository
	client *http.Client
	d      *describer
}

// open makes one GET of a layer blob and returns its body. The analysis
// verifies the digest as it reads, so this does not hash it again.
func (b *blobs) open(l v1.Descriptor) (io.ReadCloser, error) {
	what := "layer blob " + l.Digest.String()
	u := url.URL{
		Scheme: b.repo.Scheme(),
		Host:   b.repo.RegistryStr(),
		Path:   fmt.Sprintf("/v2/%s/blobs/%s", b.repo.RepositoryStr(), l.Digest),
	}
	req, err := http.NewRequestWithContext(b.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, b.d.describe(err, what)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, b.d.describe(err, what)
	}
	if err := transport.CheckError(resp, http.StatusOK); err != nil {
		resp.Body.Close()
		return nil, b.d.describe(err, what)
	}
	var r io.Reader = resp.Body
	if l.Size > 0 {
		r = io.LimitReader(r, l.Size) // more is a digest mismatch, not more to read
	}
	return &blobReader{r: r, c: resp.Body, fail: func(err error) error { return b.d.describe(err, what) }}, nil
}

// blobReader describes the errors of a download in progress.
type blobReader struct {
	r    io.Reader
	c    io.Closer
	fail func(error) error
}

func (b *blobReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = b.fail(err)
	}
	return n, err
}

func (b *blobReader) Close() error { return b.c.Close() }
