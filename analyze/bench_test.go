package analyze_test

import (
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// benchOptions is the image cmd/strata-bench measures: 13 layers, 250k
// files, 1 GiB of content.
func benchOptions(gz bool) imagetest.LargeOptions {
	return imagetest.LargeOptions{Seed: 1, Layers: 13, Files: 250_000, TotalBytes: 1 << 30, Gzip: gz}
}

// benchImage returns a generated docker-save archive, kept in the temp
// directory between runs (it is reproducible from its options).
func benchImage(b *testing.B, o imagetest.LargeOptions) string {
	b.Helper()
	path, _, err := imagetest.CachedLarge(os.TempDir(), o)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// plainPass is the floor: one pass that decompresses and reads every
// layer byte, one layer after another, doing nothing with them.
func plainPass(b *testing.B, img *source.Image) int64 {
	layers, err := img.Layers()
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 256<<10)
	var n int64
	for _, l := range layers {
		u, err := blob.Uncompressed(l)
		if err != nil {
			b.Fatal(err)
		}
		// Neither side may take over the copy: io.Discard's ReadFrom
		// would read 8 KiB at a time, much slower than strata reads.
		m, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, struct{ io.Reader }{u}, buf)
		if err != nil {
			b.Fatal(err)
		}
		n += m
		u.Close()
	}
	return n
}

func benchAnalyze(b *testing.B, gz bool) {
	path := benchImage(b, benchOptions(gz))
	img, err := source.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	var floor, strata time.Duration
	var files int
	var bytes int64
	for b.Loop() {
		t0 := time.Now()
		bytes = plainPass(b, img)
		t1 := time.Now()
		res, err := analyze.Analyze(context.Background(), img)
		if err != nil {
			b.Fatal(err)
		}
		strata += time.Since(t1)
		floor += t1.Sub(t0)
		files = res.Tree.Entries()
	}
	b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "floor-ms/op")
	b.ReportMetric(float64(strata.Milliseconds())/float64(b.N), "strata-ms/op")
	b.ReportMetric(float64(strata)/float64(floor), "strata/floor")
	b.ReportMetric(float64(files), "entries")
	b.ReportMetric(float64(bytes)/1e6, "MB")
}

// BenchmarkAnalyze times the whole analysis next to a plain single pass
// over the same layers; strata/floor is the ratio of the two.
func BenchmarkAnalyze(b *testing.B) {
	b.Run("uncompressed", func(b *testing.B) { benchAnalyze(b, false) })
	b.Run("gzip", func(b *testing.B) { benchAnalyze(b, true) })
}

// BenchmarkReport builds and writes the JSON report of the benchmark
// image, as `strata inspect --json` does after the analysis.
func BenchmarkReport(b *testing.B) {
	img, err := source.Open(benchImage(b, benchOptions(false)))
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		b.Fatal(err)
	}
	var n countWriter
	for b.Loop() {
		n = 0
		if err := report.New(res, report.Meta{}).Write(&n); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/1e6, "MB")
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
