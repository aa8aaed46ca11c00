package filetree

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/common"
)

// bigResult analyzes a generated image of 200k files (kept in the temp
// directory between runs; it is reproducible from its options).
func bigResult(b *testing.B) *analyze.Result {
	b.Helper()
	o := imagetest.LargeOptions{Seed: 7, Layers: 12, Files: 200_000, TotalBytes: 64 << 20}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("strata-uibench-%d-%d-%d-%d.tar", o.Seed, o.Layers, o.Files, o.TotalBytes))
	if _, err := os.Stat(path); err != nil {
		if _, err := imagetest.GenerateLarge(path+".partial", o); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(path+".partial", path); err != nil {
			b.Fatal(err)
		}
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
	b.ReportMetric(float64(res.Tree.Len()), "nodes")
	return res
}

// BenchmarkKeystroke is one cursor move and the frame after it, on a
// 200k-file image.
func BenchmarkKeystroke(b *testing.B) {
	res := bigResult(b)
	m := New(common.DefaultStyles())
	m.SetSize(120, 50)
	m.SetView(tree.NewView(res.Tree, res.Layers, len(res.Layers)-1, tree.CompareLayer))
	m.Focus()
	for b.Loop() {
		m, _ = m.Update(down)
		_ = m.View()
	}
}

// BenchmarkSwitchLayer is selecting another layer (a new view, computed
// once, then the tree pane recomputed) and the frame after it.
func BenchmarkSwitchLayer(b *testing.B) {
	res := bigResult(b)
	m := New(common.DefaultStyles())
	m.SetSize(120, 50)
	m.Focus()
	views := make([]*tree.View, len(res.Layers))
	b.Run("first visit", func(b *testing.B) {
		i := 0
		for b.Loop() {
			k := i % len(res.Layers)
			views[k] = tree.NewView(res.Tree, res.Layers, k, tree.CompareLayer)
			m.SetView(views[k])
			_ = m.View()
			i++
		}
	})
	b.Run("cached view", func(b *testing.B) {
		i := 0
		for b.Loop() {
			m.SetView(views[i%len(views)])
			_ = m.View()
			i++
		}
	})
	b.Run("aggregated", func(b *testing.B) {
		i := 0
		for b.Loop() {
			k := i % len(res.Layers)
			m.SetView(tree.NewView(res.Tree, res.Layers, k, tree.CompareAggregated))
			_ = m.View()
			i++
		}
	})
}
