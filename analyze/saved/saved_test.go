package saved_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/layerfile"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/saved"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/source"
)

// reportOf analyzes img with findings and writes its report.
func reportOf(t *testing.T, img image.Image, meta report.Meta, opts ...analyze.Option) []byte {
	t.Helper()
	a := findings.New()
	res, err := analyze.Analyze(context.Background(), img, append(opts, analyze.WithObserver(a))...)
	if err != nil {
		t.Fatal(err)
	}
	meta.Findings = a.Findings(res)
	var b bytes.Buffer
	if err := report.New(res, meta).Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSaveAndReopen: a saved analysis reopened without the image gives
// the same report, findings included, and says its contents are not there.
func TestSaveAndReopen(t *testing.T) {
	img, err := source.Open("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	meta := report.Meta{Reference: "testdata/demo.tar", Source: "docker-archive", Platform: "linux/amd64"}
	rec := saved.NewRecorder()
	want := reportOf(t, img, meta, analyze.WithRecorder(rec.Record))
	cfg, _ := img.ConfigFile()
	ls, _ := img.Layers()
	path := filepath.Join(t.TempDir(), "demo.strata")
	var file bytes.Buffer
	key, ok := analyze.CacheKey(findings.New())
	if !ok {
		t.Fatal("findings does not say what it keeps")
	}
	if err := rec.Write(&file, saved.Meta{Reference: meta.Reference, Source: meta.Source, Platform: meta.Platform, Saved: time.Unix(1700000000, 0)},
		cfg, len(ls), key); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("the saved analysis of demo.tar (%d bytes) takes %d bytes", fileSize(t, "../../testdata/demo.tar"), file.Len())
	if !saved.Is(path) || saved.Is("../../testdata/demo.tar") {
		t.Fatal("Is does not tell a saved analysis from an image")
	}
	s, err := saved.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got := reportOf(t, s, meta, analyze.WithCache(s.Cache()))
	if !bytes.Equal(got, want) {
		t.Error("the reopened analysis's report differs from the first")
	}
	// An analysis that keeps other things of the files, as another
	// version of strata does, cannot use the saved layers.
	other := packages.New()
	if _, err := analyze.Analyze(context.Background(), s, analyze.WithCache(s.Cache()), analyze.WithObserver(findings.New()),
		analyze.WithObserver(other)); !errors.Is(err, saved.ErrOtherKey) {
		t.Errorf("an analysis with other observers opened the saved layers: %v", err)
	}
	layers, _ := s.Layers()
	if _, err := layerfile.Read(context.Background(), layers[1], "/etc/passwd", -1); !errors.Is(err, saved.ErrNoContents) {
		t.Errorf("reading a file of a saved layer: %v", err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
