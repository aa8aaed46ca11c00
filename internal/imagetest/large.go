package imagetest

import (
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// LargeOptions configures [GenerateLarge]. Zero fields take the defaults
// given on each field.
type LargeOptions struct {
	// Seed makes the output reproducible: equal options give equal archives.
	Seed int64
	// Layers is the number of layers, at least 7 (default 12).
	Layers int
	// Files is about how many files the layers add, at least 100 (default 20000).
	Files int
	// TotalBytes is the total size of regular-file content over all layers,
	// rewritten and re-chmodded copies included (default 256 MiB).
	TotalBytes int64
	// Gzip stores layers gzip-compressed; by default they are plain tars, as
	// `docker save` writes them.
	Gzip bool
	// Tag is the RepoTag recorded in manifest.json (default strata-large:latest).
	Tag string
}

// LargeStats describes an archive written by [GenerateLarge].
type LargeStats struct {
	// Layers holds one entry per layer, base first.
	Layers []LargeLayerStats
	// Entries, Whiteouts and ContentBytes are the sums over Layers.
	Entries, Whiteouts int
	ContentBytes       int64
	// UncompressedBytes is the summed size of the layer tars.
	UncompressedBytes int64
	// ArchiveBytes is the size of the written archive.
	ArchiveBytes int64
}

// LargeLayerStats describes one layer written by [GenerateLarge].
type LargeLayerStats struct {
	// CreatedBy is the layer's history text.
	CreatedBy string
	// DiffID is the sha256 of the uncompressed tar, Digest that of the blob.
	DiffID, Digest v1.Hash
	// Entries counts tar entries: directories, files, links and whiteouts.
	Entries int
	// Whiteouts counts .wh. entries, opaque markers included.
	Whiteouts int
	// ContentBytes is the size of the regular-file content in the layer.
	ContentBytes int64
	// UncompressedBytes is the size of the layer tar.
	UncompressedBytes int64
	// BlobBytes is the size of the stored blob (gzip or plain tar).
	BlobBytes int64
}

func (o LargeOptions) withDefaults() (LargeOptions, error) {
	if o.Layers == 0 {
		o.Layers = 12
	}
	if o.Files == 0 {
		o.Files = 20_000
	}
	if o.TotalBytes == 0 {
		o.TotalBytes = 256 << 20
	}
	if o.Tag == "" {
		o.Tag = "strata-large:latest"
	}
	switch {
	case o.Layers < 7:
		return o, fmt.Errorf("need at least 7 layers, got %d", o.Layers)
	case o.Files < 100:
		return o, fmt.Errorf("need at least 100 files, got %d", o.Files)
	case o.TotalBytes < 0:
		return o, fmt.Errorf("negative total bytes %d", o.TotalBytes)
	}
	return o, nil
}

// GenerateLarge writes a large, realistic image to path as a `docker save`
// tarball, for benchmarks. The image is reproducible from o.Seed and has
// churn like real builds: a base layer of many small and a few large files
// (sizes are log-normal), package indexes that a last
// `rm -rf /var/lib/apt/lists/*` layer deletes one whiteout per file, a tree
// copied into /opt/vendor and deleted later with one directory whiteout,
// files rewritten in later layers (one of them twice), a chmod-only layer
// and a directory recreated with an opaque marker.
//
// Layers are streamed through a temporary file next to path, so memory use
// depends on o.Files but not on o.TotalBytes.
func GenerateLarge(path string, o LargeOptions) (LargeStats, error) {
	o, err := o.withDefaults()
	if err != nil {
		return LargeStats{}, fmt.Errorf("checking large image options: %w", err)
	}
	layers := planLarge(o)
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".imagetest-large-")
	if err != nil {
		return LargeStats{}, fmt.Errorf("creating temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)

	w, err := newArchiveWriter(path)
	if err != nil {
		return LargeStats{}, err
	}
	stats, err := w.writeAll(layers, o, tmp)
	if cerr := w.close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path) // best effort: do not leave a truncated archive
		return LargeStats{}, fmt.Errorf("writing large image %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return LargeStats{}, fmt.Errorf("checking large image %s: %w", path, err)
	}
	stats.ArchiveBytes = fi.Size()
	return stats, nil
}
