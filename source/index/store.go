package index

import (
	"context"
	"errors"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Store reads the documents of one image reference: what the reference
// names, and the manifests, configs and other small blobs reached from it
// by digest. Read calls Fetch from several goroutines at once.
type Store interface {
	// Root is the descriptor of what the reference names (an index or an
	// image manifest) and its bytes, checked against the descriptor. An
	// OCI layout's root is its index.json, described by its own digest.
	Root(ctx context.Context) (v1.Descriptor, []byte, error)
	// Fetch returns the bytes of the manifest or blob d names, refusing
	// more than limit bytes, checked against d's size and digest. A
	// document the store does not hold is an error that is [ErrAbsent].
	Fetch(ctx context.Context, d v1.Descriptor, limit int64) ([]byte, error)
	// Close releases the store.
	Close() error
}

// ReferrerStore is a [Store] that can list what refers to a manifest.
type ReferrerStore interface {
	Store
	// Referrers lists the manifests whose subject is the manifest of
	// digest d: through the OCI 1.1 referrers API, else its tag schema
	// (the tag sha256-<hex>), else, for a layout, the manifests it holds.
	Referrers(ctx context.Context, d v1.Hash) ([]v1.Descriptor, error)
	// Tagged returns the descriptor and bytes of the manifest a tag names
	// (cosign's sha256-<hex>.sig), and false when there is no such tag.
	Tagged(ctx context.Context, tag string) (v1.Descriptor, []byte, bool, error)
}

// LocalStore is a [Store] whose layer blobs are on this machine, so that
// reading them costs no download.
type LocalStore interface {
	Store
	// Open reads the blob d names.
	Open(ctx context.Context, d v1.Descriptor) (io.ReadCloser, error)
}

// ErrAbsent says a store does not hold a document: a platform containerd
// did not pull, a blob a layout lacks.
var ErrAbsent = errors.New("not in the store")

// absentError is an error of kind ErrAbsent with a message of its own.
type absentError struct {
	msg string
	err error
}

func (e *absentError) Error() string        { return e.msg }
func (e *absentError) Is(target error) bool { return target == ErrAbsent }
func (e *absentError) Unwrap() error        { return e.err }

// Absent marks err as [ErrAbsent], keeping its text.
func Absent(err error) error { return &absentError{msg: err.Error(), err: err} }
