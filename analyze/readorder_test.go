package analyze_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/internal/imagetest"
)

// TestReadOrder: with two workers, a layer holding more than half the
// image's bytes is read alongside the first, not in its manifest place;
// with one worker, or without such a layer, or with sizes the source
// does not know, the first layers read are the first in the manifest.
// Each Open waits until as many layers as there are workers are opened,
// so the first ones opened are the ones handed out first.
func TestReadOrder(t *testing.T) {
	layerOf := func(files int) []byte {
		var es []imagetest.RawEntry
		for i := range files {
			es = append(es, imagetest.RawEntry{Name: fmt.Sprintf("l%d/file-%d", files, i), Body: "some bytes"})
		}
		data, err := imagetest.RawTar(es, 0)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	small, large := layerOf(10), layerOf(2000)
	for _, c := range []struct {
		name     string
		layers   [][]byte
		unknown  bool // sizes the source does not know
		parallel int
		want     []int // the first layers opened, sorted
	}{
		{"a large third layer", [][]byte{small, small, large, small}, false, 2, []int{0, 2}},
		{"a large first layer", [][]byte{large, small, small}, false, 2, []int{0, 1}},
		{"no layer over half", [][]byte{small, large, large, small}, false, 2, []int{0, 1}},
		{"one worker", [][]byte{small, small, large, small}, false, 1, []int{0}},
		{"sizes unknown", [][]byte{small, small, large, small}, true, 2, []int{0, 1}},
	} {
		var mu sync.Mutex
		var opened []int
		gate := make(chan struct{})
		var img imagetest.LayersImage
		for i, data := range c.layers {
			l := imagetest.BytesLayer(data)
			if c.unknown {
				l.Size = -1
			}
			open := l.Open
			l.Open = func() (io.ReadCloser, error) {
				mu.Lock()
				opened = append(opened, i)
				if len(opened) == c.parallel {
					close(gate)
				}
				mu.Unlock()
				<-gate
				return open()
			}
			img = append(img, l)
		}
		res, err := analyze.Analyze(context.Background(), img, analyze.WithParallelism(c.parallel))
		if err != nil {
			t.Fatal(err)
		}
		first := slices.Sorted(slices.Values(opened[:c.parallel]))
		if !slices.Equal(first, c.want) {
			t.Errorf("%s: the first layers opened were %v (all: %v), want %v", c.name, first, opened, c.want)
		}
		if len(res.Layers) != len(c.layers) || res.Tree.Len() == 0 {
			t.Errorf("%s: %d layers stacked", c.name, len(res.Layers))
		}
	}
}
