package tree

import (
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Layer is one layer of the image as the analysis stacked it: what its blob
// and tar held, the history step that made it, and its entries in the
// [Tree].
type Layer struct {
	Index     int
	ID        string
	Digest    v1.Hash
	DiffID    v1.Hash
	MediaType types.MediaType
	// CompressedSize is the size of the stored blob.
	CompressedSize int64
	// Size is the sum of the sizes of the layer's tar entries, as dive
	// counts it.
	Size int64
	// UncompressedSize is the length of the uncompressed tar.
	UncompressedSize int64
	// Command is the history step that made the layer, shortened.
	Command   string
	CreatedBy string
	Created   time.Time
	// HistoryIndex is the index of the step in the history, or -1.
	HistoryIndex int
	// Files is the number of entries the layer's tar holds.
	Files int
	// Warnings are digest mismatches passed over.
	Warnings []error

	first, end EntryID // the layer's entries in the tree
	removed    []NodeID
}

// EntryRange returns the layer's entries: ids from first up to end.
func (l *Layer) EntryRange() (first, end EntryID) { return l.first, l.end }

// RemovedNodes lists the nodes the layer deleted from the stack below it
// (by whiteouts, opaque markers, or replacing a directory with a file),
// including ones it then wrote again.
func (l *Layer) RemovedNodes() []NodeID { return l.removed }
