package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/containerd"
	"github.com/strata-dev/strata/source/docker"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/internal/tarfs"
	"github.com/strata-dev/strata/source/oci"
	"github.com/strata-dev/strata/source/registry"
)

// Index is the whole picture of what a reference names, read without a
// layer: its platforms and attestations, and the store to read more from
// (statements, referrers).
type Index struct {
	*index.Index
	// Reference is what the user asked for, without a transport prefix
	// (a registry's canonical reference).
	Reference string
	// Kind is the source that was used.
	Kind Kind
	// Store reads the reference's documents: an [index.ReferrerStore] for
	// a registry and an OCI layout, an [index.LocalStore] for a layout and
	// containerd. It is nil where the source gives no documents (the
	// Docker daemon summarises, a docker save tarball holds one image).
	Store index.Store
	close func() error
}

// Close releases the store.
func (i *Index) Close() error {
	if i.close == nil {
		return nil
	}
	return i.close()
}

// ReadIndex reads the index (or lone image) ref names, down to its
// manifests and configs, from the same sources as OpenContext: a registry
// (manifests and configs are all it fetches), an OCI layout or
// oci-archive, containerd, the Docker daemon (its summary: every platform
// with the containerd image store, else the one it keeps), and a docker
// save tarball, podman or a container as one platform (opened as
// OpenContext opens them). WithPlatform does not apply.
func ReadIndex(ctx context.Context, ref string, opts ...Option) (*Index, error) {
	o := options{getenv: os.Getenv, logf: func(string, ...any) {}}
	for _, opt := range opts {
		opt(&o)
	}
	o.ctx = ctx
	o.platform = v1.Platform{}
	prefixKind, path := SplitPrefix(ref)
	kind := o.kind
	if prefixKind != Auto {
		if kind != Auto && kind != prefixKind {
			return nil, fmt.Errorf("%s: the prefix says %s but --source says %s", ref, prefixKind, kind)
		}
		kind = prefixKind
	}
	var idx *Index
	var err error
	switch {
	case kind.live():
		idx, err = readLiveIndex(ctx, path, kind, o)
	case kind == Auto && isReference(path):
		idx, err = readAutoIndex(ctx, path, o)
	default:
		idx, err = readPathIndex(ctx, path, kind, o)
	}
	if err != nil {
		if !strings.Contains(err.Error(), path) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		return nil, oneSafeLine(err)
	}
	if idx.Reference == "" {
		idx.Reference = path
	}
	return idx, nil
}

// withStore reads the index of store and keeps store open in it.
func withStore(ctx context.Context, store index.Store, kind Kind, ref string) (*Index, error) {
	idx, err := index.Read(ctx, store)
	if err != nil {
		store.Close()
		return nil, err
	}
	return &Index{Index: idx, Reference: ref, Kind: kind, Store: store, close: store.Close}, nil
}

func readPathIndex(ctx context.Context, path string, kind Kind, o options) (*Index, error) {
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
		store, err := oci.OpenDocumentsDir(path)
		if err != nil {
			return nil, err
		}
		return withStore(ctx, store, OCILayout, path)
	}
	if kind == Auto || kind == OCIArchive {
		if tf, err := tarfs.Open(path); err == nil {
			if oci.IsArchive(tf) && kind != DockerArchive {
				return withStore(ctx, oci.OpenDocumentsArchive(tf), OCIArchive, path)
			}
			tf.Close()
		}
	}
	return readOpenedIndex(path, kind, o)
}

// readOpenedIndex opens the image as OpenContext does and describes it as
// one platform: for a docker save tarball, podman and a container.
func readOpenedIndex(ref string, kind Kind, o options) (*Index, error) {
	var img *Image
	var err error
	if kind.live() {
		img, err = openLive(o.ctx, ref, kind, o)
	} else {
		img, err = open(ref, kind, o)
	}
	if err != nil {
		return nil, err
	}
	defer img.Close()
	idx, err := index.FromImage(o.ctx, img.Image, img.Platform)
	if err != nil {
		return nil, err
	}
	return &Index{Index: idx, Reference: img.Reference, Kind: img.Kind}, nil
}

func readLiveIndex(ctx context.Context, ref string, kind Kind, o options) (*Index, error) {
	switch kind {
	case Registry:
		store, err := registry.OpenDocuments(ctx, ref, registry.WithInsecure(o.insecure))
		if err != nil {
			return nil, err
		}
		return withStore(ctx, store, Registry, store.Reference())
	case Containerd:
		store, err := containerd.OpenDocuments(ctx, ref, containerd.WithGetenv(o.getenv), containerd.WithNamespace(o.ns))
		if err != nil {
			return nil, err
		}
		return withStore(ctx, store, Containerd, ref)
	case Docker:
		idx, err := docker.ReadIndex(ctx, ref, docker.WithGetenv(o.getenv))
		if err != nil {
			return nil, err
		}
		return &Index{Index: idx, Reference: ref, Kind: Docker}, nil
	}
	return readOpenedIndex(ref, kind, o)
}

// readAutoIndex reads a bare reference from the Docker daemon when it has
// it, else from containerd when it has it, else from its registry, as
// OpenContext does.
func readAutoIndex(ctx context.Context, ref string, o options) (*Index, error) {
	idx, err := readLiveIndex(ctx, ref, Docker, o)
	if err == nil {
		o.logf("reading %s from the Docker daemon", ref)
		return idx, nil
	}
	if !errors.Is(err, docker.ErrUnreachable) && !errors.Is(err, docker.ErrNotFound) {
		return nil, err
	}
	idx, err = readLiveIndex(ctx, ref, Containerd, o)
	if err == nil {
		o.logf("reading %s from containerd", ref)
		return idx, nil
	}
	if !errors.Is(err, containerd.ErrUnreachable) && !errors.Is(err, containerd.ErrNotFound) {
		return nil, err
	}
	idx, err = readLiveIndex(ctx, ref, Registry, o)
	if err != nil {
		return nil, err
	}
	o.logf("reading %s from its registry", idx.Reference)
	return idx, nil
}
