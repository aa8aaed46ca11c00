package index

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/internal/platforms"
)

// Row is one row of a platform picker: what [Index.Rows] gives for each
// platform, ready to draw.
type Row struct {
	// Platform is os/arch[/variant] as the image gives it: escape it
	// before it reaches a terminal.
	Platform string
	// Digest is the image manifest's.
	Digest v1.Hash
	// CompressedBytes is what the platform's layers take to download, -1
	// when not known.
	CompressedBytes int64
	// UncompressedBytes is the size of its layers' tars, -1 when unknown.
	UncompressedBytes int64
	// Layers is how many layers it has, -1 when not known.
	Layers int
	// SharedBytes is the part of CompressedBytes in layers another
	// platform uses too.
	SharedBytes int64
	// Attested says an attestation (SBOM, provenance) describes it.
	Attested bool
	// Absent, when not empty, says why the store does not hold the
	// platform: it cannot be opened.
	Absent string
}

// Rows returns one row a platform, in the index's order. It computes
// nothing that Read did not: it costs no fetch and a few microseconds.
func (idx *Index) Rows() []Row {
	rows := make([]Row, len(idx.Platforms))
	for i, p := range idx.Platforms {
		rows[i] = Row{
			Platform:          platforms.Format(p.Platform),
			Digest:            p.Manifest.Digest,
			CompressedBytes:   p.CompressedBytes,
			UncompressedBytes: p.UncompressedBytes,
			Layers:            p.LayerCount,
			SharedBytes:       p.SharedBytes,
			Attested:          p.Attestation >= 0,
			Absent:            p.Absent,
		}
	}
	return rows
}

// SharedLayer is a layer blob several platforms use.
type SharedLayer struct {
	Digest v1.Hash
	Size   int64
	// Platforms are the indexes in [Index.Platforms] of the platforms
	// that use it, in order.
	Platforms []int
}

// Shared lists the layer blobs more than one platform uses, in the order
// they first occur.
func (idx *Index) Shared() []SharedLayer {
	users, order := idx.layerUsers()
	var out []SharedLayer
	for _, d := range order {
		u := users[d]
		if len(u.platforms) > 1 {
			out = append(out, SharedLayer{Digest: d, Size: u.size, Platforms: u.platforms})
		}
	}
	return out
}

type layerUse struct {
	size      int64
	platforms []int
}

// layerUsers maps each layer blob to its size and the platforms that use
// it, and lists the blobs in the order they first occur. A layer is known
// by its digest, else (a docker save tarball's) by its diffID.
func (idx *Index) layerUsers() (map[v1.Hash]*layerUse, []v1.Hash) {
	users := map[v1.Hash]*layerUse{}
	var order []v1.Hash
	for i, p := range idx.Platforms {
		for _, l := range p.Layers {
			u := users[l.key()]
			if u == nil {
				u = &layerUse{size: l.Size}
				users[l.key()] = u
				order = append(order, l.key())
			}
			if n := len(u.platforms); n == 0 || u.platforms[n-1] != i {
				u.platforms = append(u.platforms, i)
			}
		}
	}
	return users, order
}

// computeSizes sets each platform's compressed, shared and (when every
// layer's is known) uncompressed bytes. A blob an image lists twice is
// downloaded, and counted, once.
func (idx *Index) computeSizes() {
	users, _ := idx.layerUsers()
	for i := range idx.Platforms {
		p := &idx.Platforms[i]
		if p.LayerCount < 0 {
			continue // a summary: its sizes are what the daemon said
		}
		p.LayerCount = len(p.Layers)
		p.CompressedBytes, p.SharedBytes = 0, 0
		var unc int64
		known := len(p.Layers) > 0 || p.Absent == ""
		seen := map[v1.Hash]bool{}
		for _, l := range p.Layers {
			if l.Uncompressed < 0 {
				known = false
			}
			unc += max(l.Uncompressed, 0)
			if seen[l.key()] {
				continue
			}
			seen[l.key()] = true
			if l.Size < 0 || p.CompressedBytes < 0 {
				p.CompressedBytes = -1
				continue
			}
			p.CompressedBytes += l.Size
			if len(users[l.key()].platforms) > 1 {
				p.SharedBytes += l.Size
			}
		}
		if known && p.UncompressedBytes < 0 {
			p.UncompressedBytes = unc
		}
	}
}

// Pull is what pulling an index's images costs, in bytes fetched: the
// index, the manifests, the configs and the layer blobs, each blob once.
type Pull struct {
	// All is pulling every platform: blobs the platforms share are
	// fetched once.
	All int64
	// Separately is pulling each platform on its own, one after another
	// into empty stores: shared blobs are fetched once per platform.
	Separately int64
	// One is pulling one platform, in the order of [Index.Platforms].
	One []int64
	// Known says every platform's size is known: no platform is absent
	// from the store or summarised without its layers' sizes. When false,
	// the sums count what is known.
	Known bool
}

// Pull computes what pulling all platforms costs against pulling one.
// Platforms the store does not hold count what is known of them.
func (idx *Index) Pull() Pull {
	var pc Pull
	root := idx.Root.Size
	if !idx.Root.MediaType.IsIndex() {
		root = 0 // the lone manifest is the platform's own
	}
	pc.All, pc.Known = root, true
	seen := map[v1.Hash]bool{}
	configs := map[v1.Hash]bool{}
	for _, p := range idx.Platforms {
		if p.CompressedBytes < 0 || p.Absent != "" {
			pc.Known = false
		}
		one := root + max(p.Manifest.Size, 0) + max(p.Config.Size, 0) + max(p.CompressedBytes, 0)
		pc.One = append(pc.One, one)
		pc.Separately += one
		pc.All += max(p.Manifest.Size, 0)
		if !configs[p.Config.Digest] || p.Config.Digest.Hex == "" {
			configs[p.Config.Digest] = true
			pc.All += max(p.Config.Size, 0)
		}
		for _, l := range p.Layers {
			if !seen[l.key()] {
				seen[l.key()] = true
				pc.All += max(l.Size, 0)
			}
		}
	}
	return pc
}

// key identifies a layer's blob: its digest, else its diffID.
func (l Layer) key() v1.Hash {
	if l.Digest.Hex != "" {
		return l.Digest
	}
	return l.DiffID
}
