package findings_test

import (
	"context"
	"os"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// BenchmarkFindings analyzes the image cmd/strata-bench measures (13
// layers, 250k files, 1 GiB) without and with findings: the difference is
// what findings cost. It also checks, on that image, that the waste
// findings add up to the reclaimable bytes.
func BenchmarkFindings(b *testing.B) {
	path, _, err := imagetest.CachedLarge(os.TempDir(), imagetest.LargeOptions{Seed: 1, Layers: 13, Files: 250_000, TotalBytes: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	img, err := source.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	b.Run("without", func(b *testing.B) {
		for b.Loop() {
			if _, err := analyze.Analyze(context.Background(), img); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("with", func(b *testing.B) {
		for b.Loop() {
			a := findings.New()
			res, err := analyze.Analyze(context.Background(), img, analyze.WithObserver(a))
			if err != nil {
				b.Fatal(err)
			}
			var sum int64
			fs := a.Findings(res)
			for _, f := range fs {
				if f.ID.IsWaste() {
					sum += f.Bytes
				}
			}
			if sum != int64(res.Metrics.ReclaimableBytes) {
				b.Fatalf("the waste findings add up to %d, reclaimable bytes are %d", sum, res.Metrics.ReclaimableBytes)
			}
			b.ReportMetric(float64(len(fs)), "findings")
		}
	})
}
