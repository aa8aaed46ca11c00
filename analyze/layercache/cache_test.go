package layercache_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/layercache"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// counted is an image whose layer opens are counted.
type counted struct {
	image.Image
	opens []atomic.Int32
}

func (c *counted) Layers() ([]image.Layer, error) {
	ls, err := c.Image.Layers()
	if err != nil {
		return nil, err
	}
	out := make([]image.Layer, len(ls))
	for i, l := range ls {
		open := l.Open
		l.Open = func() (io.ReadCloser, error) {
			c.opens[i].Add(1)
			return open()
		}
		out[i] = l
	}
	return out, nil
}

func (c *counted) opened() int {
	n := 0
	for i := range c.opens {
		n += int(c.opens[i].Load())
	}
	return n
}

// build is an image of n layers of a few files each; layer changed holds
// other contents than in the image built with changed -1.
func build(t *testing.T, n, changed int) *counted {
	t.Helper()
	var steps []imagetest.Step
	for i := range n {
		body := fmt.Sprintf("layer %d", i)
		if i == changed {
			body += " rebuilt"
		}
		steps = append(steps, imagetest.Step{CreatedBy: fmt.Sprintf("RUN step %d", i), Entries: []imagetest.Entry{
			imagetest.Dir(fmt.Sprintf("d%d/", i)), imagetest.Reg(fmt.Sprintf("d%d/f", i), body),
			imagetest.Reg("root/.env", fmt.Sprintf("API_TOKEN=secret-%d-value", i)),
		}})
	}
	img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	return &counted{Image: src, opens: make([]atomic.Int32, n)}
}

// analyzeJSON analyzes with findings, and returns the JSON report.
func analyzeJSON(t *testing.T, img image.Image, opts ...analyze.Option) string {
	t.Helper()
	a := findings.New()
	res, err := analyze.Analyze(context.Background(), img, append(opts, analyze.WithObserver(a))...)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := report.New(res, report.Meta{Findings: a.Findings(res)}).Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func open(t *testing.T, dir string, opts ...layercache.Option) *layercache.Cache {
	t.Helper()
	c, err := layercache.Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSecondRunReadsNothing: the second analysis of an image reads no
// layer and reports the same, findings included; a rebuild that changed
// one layer reads that one.
func TestSecondRunReadsNothing(t *testing.T) {
	dir := t.TempDir()
	first := build(t, 12, -1)
	want := analyzeJSON(t, first, analyze.WithCache(open(t, dir)))
	if first.opened() != 12 {
		t.Fatalf("the first run opened %d layers, want 12", first.opened())
	}
	again := build(t, 12, -1)
	if got := analyzeJSON(t, again, analyze.WithCache(open(t, dir))); got != want {
		t.Error("the report from the cache differs from the first")
	}
	if again.opened() != 0 {
		t.Errorf("the second run opened %d layers, want 0", again.opened())
	}
	rebuilt := build(t, 12, 7)
	analyzeJSON(t, rebuilt, analyze.WithCache(open(t, dir)))
	if rebuilt.opened() != 1 || rebuilt.opens[7].Load() != 1 {
		t.Errorf("the rebuild opened %d layers, want layer 7 only", rebuilt.opened())
	}
}

// TestDiffReadsSharedLayersOnce: two images sharing 10 of 12 layers,
// analyzed at the same time on one cache, read 14 layers in all.
func TestDiffReadsSharedLayersOnce(t *testing.T) {
	c := open(t, t.TempDir())
	a, b := build(t, 12, -1), build(t, 12, 10)
	b2 := build(t, 12, 11) // a third, for the other one of B's two new layers
	var wg sync.WaitGroup
	for _, img := range []*counted{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			analyzeJSON(t, img, analyze.WithCache(c))
		}()
	}
	wg.Wait()
	if n := a.opened() + b.opened(); n != 13 {
		t.Errorf("A and B opened %d layers between them, want 13 (12 + the one that differs)", n)
	}
	analyzeJSON(t, b2, analyze.WithCache(c))
	if b2.opened() != 1 {
		t.Errorf("a third build opened %d layers, want 1", b2.opened())
	}
}

// TestDamagedEntriesAreReadAgain: a cut or edited cache file is noticed,
// removed and its layer read again, with the same result.
func TestDamagedEntriesAreReadAgain(t *testing.T) {
	dir := t.TempDir()
	want := analyzeJSON(t, build(t, 3, -1), analyze.WithCache(open(t, dir)))
	files, _ := filepath.Glob(filepath.Join(dir, "*.layer"))
	if len(files) != 3 {
		t.Fatalf("%d cache files, want 3", len(files))
	}
	data, _ := os.ReadFile(files[0])
	os.WriteFile(files[0], data[:len(data)/2], 0o600)
	data, _ = os.ReadFile(files[1])
	data[len(data)/2] ^= 1
	os.WriteFile(files[1], data, 0o600)
	img := build(t, 3, -1)
	if got := analyzeJSON(t, img, analyze.WithCache(open(t, dir))); got != want {
		t.Error("the report after damage differs")
	}
	if img.opened() != 2 {
		t.Errorf("%d layers read again, want the 2 damaged", img.opened())
	}
}

// TestFullCacheEvicts: over its size, the cache drops the layers used
// least recently.
func TestFullCacheEvicts(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, layercache.WithMaxBytes(1))
	analyzeJSON(t, build(t, 4, -1), analyze.WithCache(c))
	n, freed, err := c.Trim()
	if err != nil || n != 4 || freed == 0 {
		t.Errorf("Trim removed %d files (%d bytes), %v; want all 4", n, freed, err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("left: %v", files)
	}
}

// TestConcurrentRuns: several analyses sharing a directory through caches
// of their own, as separate processes would, agree.
func TestConcurrentRuns(t *testing.T) {
	dir := t.TempDir()
	want := analyzeJSON(t, build(t, 6, -1))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := analyzeJSON(t, build(t, 6, -1), analyze.WithCache(open(t, dir))); got != want {
				t.Error("a concurrent run reported something else")
			}
		}()
	}
	wg.Wait()
}
