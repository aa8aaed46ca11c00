package oci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

// Documents reads the documents of an OCI layout or an oci-archive: its
// index.json, the blobs it holds, and the referrers and cosign tags among
// its manifests. It is an [index.ReferrerStore] and an
// [index.LocalStore]: every read is of a local file, capped and checked
// against its descriptor.
type Documents struct {
	store blobs
}

var (
	_ index.ReferrerStore = (*Documents)(nil)
	_ index.LocalStore    = (*Documents)(nil)
)

// OpenDocumentsDir opens the documents of an OCI layout directory.
func OpenDocumentsDir(dir string) (*Documents, error) {
	store, err := openLayoutDir(dir)
	if err != nil {
		return nil, err
	}
	return &Documents{store: store}, nil
}

// OpenDocumentsArchive reads the documents of an oci-archive. They keep fs
// open until Close.
func OpenDocumentsArchive(fs *tarfs.FS) *Documents { return &Documents{store: tarBlobs{fs}} }

// Root reads index.json, described by its own digest and size.
func (s *Documents) Root(ctx context.Context) (v1.Descriptor, []byte, error) {
	if err := ctx.Err(); err != nil {
		return v1.Descriptor{}, nil, err
	}
	raw, err := s.store.read("index.json", metadata.MaxManifest)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	h, size, err := v1.SHA256(bytes.NewReader(raw))
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	return v1.Descriptor{MediaType: types.OCIImageIndex, Digest: h, Size: size}, raw, nil
}

// Fetch reads the blob d names, at most limit bytes, checked against d. A
// blob the layout lacks is [index.ErrAbsent].
func (s *Documents) Fetch(ctx context.Context, d v1.Descriptor, limit int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d.Digest.Hex == "" {
		return nil, fmt.Errorf("a descriptor of %s has no digest", d.MediaType)
	}
	b, err := readBlob(s.store, d, "blob "+d.Digest.String(), limit)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, index.Absent(fmt.Errorf("blob %s is not in the layout", d.Digest))
	}
	return b, err
}

// Open reads a blob of the layout, a layer's.
func (s *Documents) Open(ctx context.Context, d v1.Descriptor) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.store.open(blobName(d.Digest))
}

// Referrers lists the manifests of index.json whose subject is the
// manifest of digest subject, and those of the index the referrers tag
// schema names (a ref.name of sha256-<hex>), as OCI layouts keep them.
func (s *Documents) Referrers(ctx context.Context, subject v1.Hash) ([]v1.Descriptor, error) {
	top, err := s.top(ctx)
	if err != nil {
		return nil, err
	}
	var out []v1.Descriptor
	var read int64 // bytes of manifests read, at most index.MaxDocuments
	for _, d := range top.Manifests {
		if read += max(d.Size, 0); read > index.MaxDocuments {
			return nil, fmt.Errorf("the manifests index.json lists are over %d bytes (strata reads no more of them)", index.MaxDocuments)
		}
		switch {
		case d.MediaType.IsIndex() && tagOf(d) == index.TagSchema(subject):
			raw, err := s.Fetch(ctx, d, metadata.MaxManifest)
			if err != nil {
				return nil, fmt.Errorf("reading the referrers index %s: %w", d.Digest, err)
			}
			im, err := v1.ParseIndexManifest(bytes.NewReader(raw))
			if err != nil {
				return nil, fmt.Errorf("parsing the referrers index %s: %w", d.Digest, err)
			}
			out = append(out, im.Manifests...)
		case d.MediaType.IsImage():
			raw, err := s.Fetch(ctx, d, metadata.MaxManifest)
			if errors.Is(err, index.ErrAbsent) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("reading manifest %s: %w", d.Digest, err)
			}
			mf, err := v1.ParseManifest(bytes.NewReader(raw))
			if err != nil || mf.Subject == nil || mf.Subject.Digest != subject {
				continue
			}
			if d.ArtifactType == "" {
				d.ArtifactType = mf.ArtifactType
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// Tagged reads the manifest index.json names by tag (a ref.name of tag,
// or of repository:tag), and says false when there is none.
func (s *Documents) Tagged(ctx context.Context, tag string) (v1.Descriptor, []byte, bool, error) {
	top, err := s.top(ctx)
	if err != nil {
		return v1.Descriptor{}, nil, false, err
	}
	for _, d := range top.Manifests {
		if tagOf(d) != tag {
			continue
		}
		raw, err := s.Fetch(ctx, d, metadata.MaxManifest)
		if err != nil {
			return v1.Descriptor{}, nil, false, fmt.Errorf("reading manifest %s: %w", d.Digest, err)
		}
		return d, raw, true, nil
	}
	return v1.Descriptor{}, nil, false, nil
}

// top parses index.json, whose descriptors are at most
// metadata.MaxDescriptors.
func (s *Documents) top(ctx context.Context) (*v1.IndexManifest, error) {
	_, raw, err := s.Root(ctx)
	if err != nil {
		return nil, err
	}
	im, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing index.json: %w", err)
	}
	if len(im.Manifests) > metadata.MaxDescriptors {
		return nil, fmt.Errorf("index.json lists more than %d manifests (strata follows no more)", metadata.MaxDescriptors)
	}
	return im, nil
}

// tagOf is the tag a descriptor of index.json gives its manifest: its
// ref.name, without a repository before it.
func tagOf(d v1.Descriptor) string {
	ref := d.Annotations[index.AnnotationRefName]
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		return ref[i+1:]
	}
	return ref
}

// Close releases the layout.
func (s *Documents) Close() error { return s.store.close() }
