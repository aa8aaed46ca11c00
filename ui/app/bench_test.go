package app

import (
	"context"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// bigImage is the image cmd/strata-bench measures: 13 layers, 250k files,
// 1 GiB (generated once into the temp directory).
func bigImage(b *testing.B) string {
	b.Helper()
	path, _, err := imagetest.CachedLarge(os.TempDir(), imagetest.LargeOptions{Seed: 1, Layers: 13, Files: 250_000, TotalBytes: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// firstFrame opens an image and draws the first frame, before any layer
// is read: what a user waits for after starting strata.
func firstFrame(b *testing.B, path string) (Model, *source.Image) {
	img, err := source.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(context.Background(), Options{Reference: img.Reference, Source: "docker-archive", Platform: "linux/amd64",
		Image: img, Styles: common.DefaultStyles(), Keys: DefaultKeys()})
	if err != nil {
		b.Fatal(err)
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = next.(Model)
	_ = m.View()
	return m, img
}

// BenchmarkFirstFrame is opening the 250k-file image and drawing the
// layer list.
func BenchmarkFirstFrame(b *testing.B) {
	path := bigImage(b)
	for b.Loop() {
		m, img := firstFrame(b, path)
		m.Close()
		img.Close()
	}
}

// loaded is the model with every layer of the 250k-file image stacked,
// the layers read here rather than by the model's commands.
func loaded(b *testing.B) Model {
	b.Helper()
	m, img := firstFrame(b, bigImage(b))
	b.Cleanup(func() { m.Close(); img.Close() })
	for range m.sources {
		p, err := m.analysis.Next()
		if err != nil {
			b.Fatal(err)
		}
		next, _ := m.Update(layerReadMsg{p: p})
		m = next.(Model)
	}
	if !m.done {
		b.Fatal("not every layer was stacked")
	}
	return m
}

var up = tea.KeyPressMsg{Code: tea.KeyUp}

func benchKey(s string) tea.KeyPressMsg {
	if s == "l" {
		return panetest.Press("l")
	}
	return panetest.Press(s)
}

func pressAndDraw(m Model, k tea.KeyPressMsg) Model {
	next, _ := m.Update(k)
	m = next.(Model)
	_ = m.View()
	return m
}

// BenchmarkKeystroke is a cursor move in the file tree of the last layer
// of the 250k-file image, and the frame after it.
func BenchmarkKeystroke(b *testing.B) {
	m := loaded(b)
	m = pressAndDraw(m, benchKey("end")) // the last layer
	m = pressAndDraw(m, benchKey("l"))   // to the file tree
	if m.panes.Focus != paneFiles {
		b.Fatal("the file tree does not have the focus")
	}
	for b.Loop() {
		m = pressAndDraw(m, benchKey("down"))
	}
}

// BenchmarkSwitchLayer is moving to the next or previous layer, and the
// frame after it. Each layer's view is computed the first time it is
// shown: cold-max-ms is the slowest of those first switches, ns/op the
// switches after.
func BenchmarkSwitchLayer(b *testing.B) {
	m := loaded(b)
	var cold time.Duration
	for range len(m.sources) {
		t := time.Now()
		m = pressAndDraw(m, benchKey("down"))
		cold = max(cold, time.Since(t))
	}
	back := true
	for b.Loop() {
		switch m.layersPane.Selected() {
		case 0:
			back = false
		case len(m.sources) - 1:
			back = true
		}
		if back {
			m = pressAndDraw(m, up)
		} else {
			m = pressAndDraw(m, benchKey("down"))
		}
	}
	b.ReportMetric(float64(cold.Microseconds())/1000, "cold-max-ms")
}
