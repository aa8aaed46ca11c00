package metadata

// The caps on what a source reads into memory. Each is far above what real
// images hold and far below what would strain a machine; a document over
// its cap is refused with one line.
const (
	// MaxManifest bounds index.json, a nested index and an image manifest:
	// 4 MiB, the cap the distribution registry (and so nearly every
	// registry) puts on a manifest it accepts (maxManifestBodySize), so no
	// pushed image has a larger one.
	MaxManifest = 4 << 20

	// MaxConfig bounds an image configuration: 8 MiB. A config holds the
	// environment, labels and one history entry per step; the largest in
	// the wild are well under 1 MiB. Parsed, a config can take far more
	// memory than its size (8 MiB of empty history entries, "{},", are 2.8
	// million entries and about 0.5 GB), which is why the cap is not
	// higher.
	MaxConfig = 8 << 20

	// MaxArchiveManifest bounds a docker-save manifest.json: 8 MiB. It lists
	// every image of the archive with its tags and layer names, a few
	// hundred bytes an image.
	MaxArchiveManifest = 8 << 20

	// MaxLayoutMarker bounds the oci-layout file, which holds one short
	// JSON object: 64 KiB.
	MaxLayoutMarker = 64 << 10

	// MaxDepth bounds how deep indexes may nest. Real images nest one
	// level (a layout's index.json naming an image index).
	MaxDepth = 8

	// MaxDescriptors bounds how many descriptors an index and the indexes
	// it nests may list together, duplicates included: 10,000. The largest
	// real indexes list a few dozen platforms and their attestations.
	MaxDescriptors = 10_000
)
