package diff_test

import (
	"context"
	"os"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// largeResult analyzes a generated image of about 100k files, kept in the
// temp directory between runs.
func largeResult(b *testing.B, seed int64) *analyze.Result {
	b.Helper()
	path, _, err := imagetest.CachedLarge(os.TempDir(), imagetest.LargeOptions{Seed: seed, Files: 100_000, TotalBytes: 32 << 20})
	if err != nil {
		b.Fatal(err)
	}
	img, err := source.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// BenchmarkCompare compares two generated images of about 100k files: an
// image with itself, and two images built from different seeds.
func BenchmarkCompare(b *testing.B) {
	a, other := largeResult(b, 1), largeResult(b, 2)
	b.Run("same", func(b *testing.B) {
		for b.Loop() {
			diff.Compare(a, a)
		}
	})
	b.Run("different", func(b *testing.B) {
		for b.Loop() {
			diff.Compare(a, other)
		}
	})
}
