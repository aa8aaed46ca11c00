package containerd

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/content"
	cerrdefs "github.com/containerd/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	digest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/source/internal/platforms"
)

// maxJSON bounds the size of index, manifest and config blobs.
const maxJSON = 64 << 20

// maxDepth bounds how deep indexes may nest.
const maxDepth = 8

// readChunk is how much one read of a layer blob asks containerd for:
// each read is one gRPC stream, so reads are few and large.
const readChunk = 1 << 20

// read resolves the image's target to one image manifest and reads its
// config and layer descriptors.
func read(ctx context.Context, c *client.Client, target ocispec.Descriptor, want v1.Platform) (*Image, error) {
	store := c.ContentStore()
	desc, err := toV1(target)
	if err != nil {
		return nil, err
	}
	var pinned *v1.Platform
	if desc.MediaType.IsIndex() {
		if desc, err = resolve(ctx, store, desc, want); err != nil {
			return nil, err
		}
		pinned = desc.Platform
	} else if !desc.MediaType.IsImage() {
		return nil, fmt.Errorf("the image's target %s is a %s, not an image manifest or index", desc.Digest, desc.MediaType)
	}
	rawMf, err := readJSON(ctx, store, desc)
	if err != nil {
		return nil, fmt.Errorf("reading manifest %s: %w", desc.Digest, err)
	}
	mf, err := v1.ParseManifest(bytes.NewReader(rawMf))
	if err != nil {
		return nil, fmt.Errorf("parsing manifest %s: %w", desc.Digest, err)
	}
	rawCfg, err := readJSON(ctx, store, mf.Config)
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", mf.Config.Digest, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return nil, fmt.Errorf("parsing config %s: %w", mf.Config.Digest, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(mf.Layers) {
		return nil, fmt.Errorf("manifest %s lists %d layers but the config has %d diff_ids", desc.Digest, len(mf.Layers), len(cfg.RootFS.DiffIDs))
	}
	img := &Image{config: cfg, platform: v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}}
	if pinned != nil {
		img.platform = *pinned
	}
	for i, l := range mf.Layers {
		if err := present(ctx, store, l.Digest); err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, l.Digest, err)
		}
		od := ocispec.Descriptor{MediaType: string(l.MediaType), Digest: digest.Digest(l.Digest.String()), Size: l.Size}
		img.layers = append(img.layers, image.Layer{
			Digest:    l.Digest,
			DiffID:    cfg.RootFS.DiffIDs[i],
			MediaType: l.MediaType,
			Size:      l.Size,
			Open:      func() (io.ReadCloser, error) { return img.openBlob(store, od) },
		})
	}
	return img, nil
}

// openBlob streams a stored blob out of the content store.
func (i *Image) openBlob(store content.Store, desc ocispec.Descriptor) (io.ReadCloser, error) {
	ra, err := store.ReaderAt(i.blobCtx, desc)
	if err != nil {
		return nil, fmt.Errorf("opening blob %s in containerd: %w", desc.Digest, err)
	}
	return &blobReader{Reader: bufio.NewReaderSize(io.NewSectionReader(ra, 0, ra.Size()), readChunk), ra: ra}, nil
}

// blobReader reads a content-store blob from start to end.
type blobReader struct {
	*bufio.Reader
	ra content.ReaderAt
}

func (b *blobReader) Close() error { return b.ra.Close() }

// present says why a blob is not in the content store, or nil when it is.
func present(ctx context.Context, store content.Store, h v1.Hash) error {
	_, err := store.Info(ctx, digest.Digest(h.String()))
	switch {
	case cerrdefs.IsNotFound(err):
		return fmt.Errorf("the blob is not in containerd's content store (strata reads stored blobs, not unpacked snapshots; was it discarded after unpacking?)")
	case err != nil:
		return fmt.Errorf("looking up the blob in containerd: %w", err)
	}
	return nil
}

// readJSON reads a small blob (index, manifest, config), bounded.
func readJSON(ctx context.Context, store content.Store, d v1.Descriptor) ([]byte, error) {
	if d.Size > maxJSON {
		return nil, fmt.Errorf("blob %s declares %d bytes, more than %d", d.Digest, d.Size, maxJSON)
	}
	if err := present(ctx, store, d.Digest); err != nil {
		return nil, err
	}
	ra, err := store.ReaderAt(ctx, ocispec.Descriptor{MediaType: string(d.MediaType), Digest: digest.Digest(d.Digest.String()), Size: d.Size})
	if err != nil {
		return nil, err
	}
	defer ra.Close()
	if ra.Size() > maxJSON {
		return nil, fmt.Errorf("blob %s holds %d bytes, more than %d", d.Digest, ra.Size(), maxJSON)
	}
	b, err := io.ReadAll(io.NewSectionReader(ra, 0, ra.Size()))
	if err != nil {
		return nil, err
	}
	if got, _, err := v1.SHA256(bytes.NewReader(b)); err != nil || got != d.Digest {
		return nil, fmt.Errorf("blob %s holds bytes of digest %s", d.Digest, got)
	}
	return b, nil
}

// toV1 converts containerd's descriptor to go-containerregistry's.
func toV1(d ocispec.Descriptor) (v1.Descriptor, error) {
	h, err := v1.NewHash(d.Digest.String())
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("digest %q: %w", d.Digest, err)
	}
	out := v1.Descriptor{MediaType: types.MediaType(d.MediaType), Digest: h, Size: d.Size}
	if d.Platform != nil {
		out.Platform = &v1.Platform{OS: d.Platform.OS, Architecture: d.Platform.Architecture, Variant: d.Platform.Variant}
	}
	return out, nil
}

// candidate is an image manifest an index lists.
type candidate struct {
	desc v1.Descriptor
	// missing says why its content is not in the store, or is nil.
	missing error
}

// resolve walks an index, and the indexes it nests, down to the image
// manifest for the wanted platform. An index pulled or imported for some
// platforms only lists manifests containerd does not hold: without
// --platform only those it holds are candidates, and a --platform whose
// manifest it does not hold is an error saying so.
func resolve(ctx context.Context, store content.Store, index v1.Descriptor, want v1.Platform) (v1.Descriptor, error) {
	var images []candidate
	if err := collect(ctx, store, index, 0, &images); err != nil {
		return v1.Descriptor{}, err
	}
	var cands, held []platforms.Candidate
	for i, c := range images {
		p, ok := platformOf(ctx, store, c)
		if !ok {
			continue // attestations and other non-runnable manifests
		}
		cands = append(cands, platforms.Candidate{Platform: p, Index: i})
		if c.missing == nil {
			held = append(held, platforms.Candidate{Platform: p, Index: i})
		}
	}
	if want.OS == "" && len(held) > 0 {
		cands = held
	}
	c, err := platforms.Pick(cands, want)
	if err != nil {
		return v1.Descriptor{}, err
	}
	chosen := images[c.Index]
	if chosen.missing != nil {
		var have []string
		for _, h := range held {
			have = append(have, platforms.Format(h.Platform))
		}
		holds := "none of them"
		if len(have) > 0 {
			holds = strings.Join(have, ", ")
		}
		return v1.Descriptor{}, fmt.Errorf("the index lists %s but containerd holds only %s (pull or import with that platform)",
			platforms.Format(c.Platform), holds)
	}
	d := chosen.desc
	d.Platform = &c.Platform
	return d, nil
}

// collect lists the image manifests of an index and of the indexes it
// nests, depth first.
func collect(ctx context.Context, store content.Store, index v1.Descriptor, depth int, out *[]candidate) error {
	if depth > maxDepth {
		return fmt.Errorf("indexes nest more than %d deep", maxDepth)
	}
	raw, err := readJSON(ctx, store, index)
	if err != nil {
		return fmt.Errorf("reading index %s: %w", index.Digest, err)
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("parsing index %s: %w", index.Digest, err)
	}
	for _, d := range idx.Manifests {
		switch {
		case d.MediaType.IsIndex():
			if present(ctx, store, d.Digest) != nil {
				continue // a nested index for platforms containerd does not hold
			}
			if err := collect(ctx, store, d, depth+1, out); err != nil {
				return err
			}
		case d.MediaType.IsImage():
			*out = append(*out, candidate{desc: d, missing: present(ctx, store, d.Digest)})
		}
	}
	return nil
}

// platformOf is a manifest's platform: from its descriptor or, when the
// index does not say, from its config. Manifests of platform unknown/unknown
// (build attestations) are not images to pick.
func platformOf(ctx context.Context, store content.Store, c candidate) (v1.Platform, bool) {
	if p := c.desc.Platform; p != nil && p.OS != "" {
		return *p, p.OS != "unknown"
	}
	if c.missing != nil {
		return v1.Platform{}, true
	}
	raw, err := readJSON(ctx, store, c.desc)
	if err != nil {
		return v1.Platform{}, true // reading the manifest again reports it
	}
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return v1.Platform{}, true
	}
	rawCfg, err := readJSON(ctx, store, mf.Config)
	if err != nil {
		return v1.Platform{}, true
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return v1.Platform{}, true
	}
	return v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}, cfg.OS != "unknown"
}
