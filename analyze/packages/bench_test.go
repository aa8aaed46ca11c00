package packages_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// BenchmarkPackages analyzes the image cmd/strata-bench measures (13
// layers, 250k files, 1 GiB, tens of thousands of them executable) without
// and with the packages analyzer: the difference is what looking for
// packages costs, every executable watched for Go build information
// included.
func BenchmarkPackages(b *testing.B) {
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
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := analyze.Analyze(context.Background(), img); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("with", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			a := packages.New()
			res, err := analyze.Analyze(context.Background(), img, analyze.WithObserver(a))
			if err != nil {
				b.Fatal(err)
			}
			r := a.Packages(res)
			b.ReportMetric(float64(len(r.Packages)), "packages")
			b.ReportMetric(float64(r.Summary.UnownedFileCount), "unowned")
		}
	})
}

// reportCPU reports the process's CPU time (user and system) per
// operation, which other work on the machine changes less than the wall
// time: call the function it returns after the loop.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.ReportMetric(float64((cpu()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkPackagesResult works out, again and again, the packages of a
// real image analysed once: what Packages does after the last layer is
// stacked, sizing every package in the final image and counting the files
// none owns. The image is $STRATA_BENCH_IMAGE, else the packages image
// .ci/run builds ($STRATA_TEST_PACKAGES_ARCHIVE).
func BenchmarkPackagesResult(b *testing.B) {
	path := os.Getenv("STRATA_BENCH_IMAGE")
	if path == "" {
		path = os.Getenv("STRATA_TEST_PACKAGES_ARCHIVE")
	}
	if path == "" {
		b.Skip("set STRATA_BENCH_IMAGE to an image archive (or STRATA_TEST_PACKAGES_ARCHIVE, which .ci/run sets)")
	}
	img, err := source.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	a := packages.New()
	res, err := analyze.Analyze(context.Background(), img, analyze.WithObserver(a), analyze.WithVerify(false))
	if err != nil {
		b.Fatal(err)
	}
	var r *packages.Result
	for b.Loop() {
		r = a.Packages(res)
	}
	b.ReportMetric(float64(r.Summary.FileCount), "files")
	b.ReportMetric(float64(len(r.Packages)), "packages")
}
