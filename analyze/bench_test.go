package analyze_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// benchImage returns a generated docker-save archive of at least 100k
// files and 500 MB, kept in the temp directory between runs (it is
// reproducible from its options).
func benchImage(b *testing.B, gz bool) string {
	b.Helper()
	o := imagetest.LargeOptions{Seed: 1, Layers: 12, Files: 120_000, TotalBytes: 600 << 20, Gzip: gz}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("strata-bench-%d-%d-%d-%d-%v.tar", o.Seed, o.Layers, o.Files, o.TotalBytes, o.Gzip))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".partial"
	if _, err := imagetest.GenerateLarge(tmp, o); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// compressedBlob lets ggcr pick the decompressor for the floor exactly as
// the analysis does.
type compressedBlob struct{ rc io.ReadCloser }

func (c compressedBlob) Compressed() (io.ReadCloser, error) { return c.rc, nil }
func (c compressedBlob) Digest() (h v1.Hash, err error)     { return h, nil }
func (c compressedBlob) Size() (int64, error)               { return -1, nil }
func (c compressedBlob) MediaType() (types.MediaType, error) {
	return types.DockerLayer, nil
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
		rc, err := l.Open()
		if err != nil {
			b.Fatal(err)
		}
		cl, _ := partial.CompressedToLayer(compressedBlob{rc})
		u, err := cl.Uncompressed()
		if err != nil {
			b.Fatal(err)
		}
		m, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{u}, buf)
		if err != nil {
			b.Fatal(err)
		}
		n += m
		u.Close()
	}
	return n
}

func benchAnalyze(b *testing.B, gz bool) {
	path := benchImage(b, gz)
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
