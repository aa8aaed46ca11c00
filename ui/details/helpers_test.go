package details

import (
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
)

const longCommand = "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends build-essential curl ca-certificates git && rm -rf /var/lib/apt/lists/*"

// layer is a layer as the pane is given it.
type layer struct {
	index    int
	declared image.Layer
	step     tree.HistoryEntry
	stacked  *tree.Layer // nil: not analyzed yet
	counts   [4]int
}

func demoLayer() layer {
	digest := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("ab", 32)}
	return layer{
		index:    2,
		declared: image.Layer{Digest: digest, Size: 1_234_567, MediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip"},
		step:     tree.HistoryEntry{CreatedBy: longCommand, Created: time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC), Layer: 2},
		stacked: &tree.Layer{Index: 2, Digest: digest, DiffID: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("cd", 32)},
			MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", CompressedSize: 1_234_567, Size: 3_456_789, CreatedBy: longCommand, Files: 412},
		counts: [4]int{tree.Unmodified: 100, tree.Added: 300, tree.Modified: 10, tree.Removed: 2},
	}
}

func (l layer) notAnalyzed() layer {
	l.stacked = nil
	l.counts = [4]int{}
	return l
}

func (l layer) show(m *LayerModel) { m.SetLayer(l.index, l.declared, l.step, l.stacked, l.counts) }

func demoImage() Image {
	return Image{
		Reference: "strata-demo:latest",
		Source:    "docker-archive",
		Platform:  "linux/amd64",
		Layers:    4,
		Analyzed:  4,
		Metrics: metrics.Metrics{
			SizeBytes:         80_000_000,
			UserSizeBytes:     72_000_000,
			WastedBytes:       6_000_000,
			UserWastedPercent: 6.0 / 72,
			Efficiency:        0.9345,
			ReclaimableBytes:  5_500_000,
			Inefficient: []metrics.Inefficiency{
				{Path: "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", Count: 2, SizeBytes: 4_000_000},
				{Path: "/usr/local/bin/app", Count: 3, SizeBytes: 1_500_000},
				{Path: "/etc/ssl/certs/ca-certificates.crt", Count: 2, SizeBytes: 400_000},
				{Path: "/etc/passwd", Count: 2, SizeBytes: 2_000},
				{Path: "/etc/group", Count: 2, SizeBytes: 1_000},
			},
		},
	}
}
