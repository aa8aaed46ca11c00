package index

import (
	"context"
	"fmt"
	"sync"

	"github.com/dustin/go-humanize"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// MaxDocuments bounds the bytes of the manifests and configs [Read] reads
// for one index, and of the manifests [ListReferrers] reads for one
// subject: 256 MiB. Each document has its own cap (4 MiB a manifest, 8
// MiB a config) and an index lists at most 10,000; real indexes of a few
// dozen platforms read well under 1 MiB, so this only stops an index made
// to have strata read gigabytes.
const MaxDocuments = 256 << 20

// MaxReferrers bounds how many referrers ListReferrers reads of one
// subject: 1,000.
const MaxReferrers = 1000

// budget counts the bytes of documents read, against MaxDocuments. A
// document's size is taken from its descriptor, which the store checks
// it against.
type budget struct {
	mu   sync.Mutex
	left int64
	what string // what is read, for the error
}

func newBudget(what string) *budget { return &budget{left: MaxDocuments, what: what} }

// take reserves the bytes of the document d names.
func (b *budget) take(d v1.Descriptor) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := max(d.Size, 0)
	if n > b.left {
		return fmt.Errorf("%s are over %s (strata reads no more)", b.what, humanize.IBytes(MaxDocuments))
	}
	b.left -= n
	return nil
}

// budgetedStore is a Store whose fetches take from a budget.
type budgetedStore struct {
	Store
	b *budget
}

func (s budgetedStore) Fetch(ctx context.Context, d v1.Descriptor, limit int64) ([]byte, error) {
	if err := s.b.take(d); err != nil {
		return nil, err
	}
	return s.Store.Fetch(ctx, d, limit)
}
