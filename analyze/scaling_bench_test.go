package analyze_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// The benchmarks below show that no step is quadratic: each runs at two
// sizes, the second double the first, and ns/entry (or ns/op where the
// work is fixed) should stay about the same. They are benchmarks, not
// tests: nothing asserts a time.

// memImage is an image of in-memory layer tars.
type memImage [][]byte

func (m memImage) ConfigFile() (*v1.ConfigFile, error) { return &v1.ConfigFile{}, nil }
func (m memImage) Layers() ([]image.Layer, error) {
	ls := make([]image.Layer, len(m))
	for i, data := range m {
		ls[i] = image.Layer{Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		}}
	}
	return ls, nil
}

func layerTar(b *testing.B, entries []imagetest.Entry) []byte {
	b.Helper()
	data, err := imagetest.LayerTar(entries...)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// files returns n small files spread over directories of 50 below dir,
// named by layer so that layers add new paths, plus every 10th of them
// from the layer below rewritten.
func files(dir string, layer, n int) []imagetest.Entry {
	var es []imagetest.Entry
	for i := range n {
		es = append(es, imagetest.Reg(fmt.Sprintf("%s/d%d/l%d-f%d.txt", dir, i/50, layer, i), fmt.Sprintf("content %d %d", layer, i)))
		if layer > 0 && i%10 == 0 {
			es = append(es, imagetest.Reg(fmt.Sprintf("%s/d%d/l%d-f%d.txt", dir, i/50, layer-1, i), fmt.Sprintf("rewritten %d %d", layer, i)))
		}
	}
	return es
}

func analyzeMem(b *testing.B, img memImage) {
	var entries int
	for b.Loop() {
		res, err := analyze.Analyze(context.Background(), img)
		if err != nil {
			b.Fatal(err)
		}
		entries = res.Tree.Entries()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(entries), "ns/entry")
	b.ReportMetric(float64(entries), "entries")
}

// BenchmarkScaleFiles doubles the files of each of 8 layers.
func BenchmarkScaleFiles(b *testing.B) {
	for _, n := range []int{20_000, 40_000} {
		b.Run(fmt.Sprintf("files=%d", 8*n), func(b *testing.B) {
			var img memImage
			for l := range 8 {
				img = append(img, layerTar(b, files("usr/share", l, n)))
			}
			analyzeMem(b, img)
		})
	}
}

// BenchmarkScaleLayers doubles the layers, each adding 20k files and
// rewriting 2k of the layer below.
func BenchmarkScaleLayers(b *testing.B) {
	for _, n := range []int{8, 16} {
		b.Run(fmt.Sprintf("layers=%d", n), func(b *testing.B) {
			var img memImage
			for l := range n {
				img = append(img, layerTar(b, files("usr/share", l, 20_000)))
			}
			analyzeMem(b, img)
		})
	}
}

// stackTop times stacking the last layer only, on a fresh builder with
// the layers below stacked outside the timer.
func stackTop(b *testing.B, layers [][]byte) {
	img := memImage(layers)
	ls, _ := img.Layers()
	top := len(ls) - 1
	for b.Loop() {
		b.StopTimer()
		bld := analyze.NewStack(nil, len(ls))
		for i := range top {
			p, err := analyze.ParseLayer(context.Background(), i, ls[i])
			if err != nil {
				b.Fatal(err)
			}
			if _, err := bld.Push(p); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC() // the setup's garbage is not the top layer's cost
		b.StartTimer()
		p, err := analyze.ParseLayer(context.Background(), top, ls[top])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bld.Push(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(layers[top])), "ns/top-byte")
}

// BenchmarkScaleWhiteouts is `rm -rf /var/lib/apt/lists/*` as one
// whiteout per file, 2,000 then 4,000 of them, over a lower layer of
// 200k files: the cost follows the whiteouts, not the layer below.
func BenchmarkScaleWhiteouts(b *testing.B) {
	for _, n := range []int{2_000, 4_000} {
		b.Run(fmt.Sprintf("whiteouts=%d", n), func(b *testing.B) {
			lower := files("usr/share", 0, 200_000)
			var top []imagetest.Entry
			for i := range n {
				p := fmt.Sprintf("var/lib/apt/lists/deb.example.org_%d_Packages", i)
				lower = append(lower, imagetest.Reg(p, "Package: x\n"))
				top = append(top, imagetest.Whiteout(p))
			}
			stackTop(b, [][]byte{layerTar(b, lower), layerTar(b, top)})
		})
	}
}

// BenchmarkScaleTreeWhiteout deletes a tree of 50k, then 100k files with
// one directory whiteout: the cost follows the files deleted.
func BenchmarkScaleTreeWhiteout(b *testing.B) {
	for _, n := range []int{50_000, 100_000} {
		b.Run(fmt.Sprintf("deleted=%d", n), func(b *testing.B) {
			lower := append(files("usr/share", 0, 100_000), files("opt/vendor", 0, n)...)
			stackTop(b, [][]byte{layerTar(b, lower), layerTar(b, []imagetest.Entry{imagetest.Whiteout("opt/vendor")})})
		})
	}
}

// BenchmarkScaleOpaque makes every directory of a chain 1,000, then 2,000
// deep opaque, over a lower layer that gives each five files. Paths grow
// with the depth, so the tars grow with its square: ns/top-byte is the
// figure that should stay flat.
func BenchmarkScaleOpaque(b *testing.B) {
	for _, depth := range []int{1_000, 2_000} {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			var lower, top []imagetest.Entry
			dir := "o"
			for d := range depth {
				for f := range 5 {
					lower = append(lower, imagetest.Reg(fmt.Sprintf("%s/f%d", dir, f), "x"))
				}
				top = append(top, imagetest.Opaque(dir), imagetest.Reg(dir+"/new", fmt.Sprint(d)))
				dir += "/o"
			}
			stackTop(b, [][]byte{layerTar(b, lower), layerTar(b, top)})
		})
	}
}
