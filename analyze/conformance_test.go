package analyze_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
)

// diveFixtures is the folder of dive's own test images, beside the
// repository; tests that need it skip when it is not there.
func diveFixtures(t *testing.T) string { return livetest.DiveFixtures(t) }

func analyzeFile(t *testing.T, path string) *analyze.Result {
	t.Helper()
	img, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestDiveConformance checks the figures dive's own tests assert on its
// fixture image.
func TestDiveConformance(t *testing.T) {
	res := analyzeFile(t, filepath.Join(diveFixtures(t), "test-docker-image.tar"))
	wantSizes := []int64{1154361, 6405, 0, 6405, 6405, 6405, 6405, 6405, 6405, 0, 2187, 6405, 6405, 6405}
	if len(res.Layers) != len(wantSizes) {
		t.Fatalf("got %d layers, want %d", len(res.Layers), len(wantSizes))
	}
	for i, l := range res.Layers {
		if l.Size != wantSizes[i] {
			t.Errorf("layer %d size = %d, want %d", i, l.Size, wantSizes[i])
		}
	}
	m := res.Metrics
	if m.SizeBytes != 1220598 || m.UserSizeBytes != 66237 {
		t.Errorf("size %d, user size %d; want 1220598, 66237", m.SizeBytes, m.UserSizeBytes)
	}
	if m.Efficiency != 0.9844212134184309 {
		t.Errorf("efficiency = %v, want 0.9844212134184309", m.Efficiency)
	}
	if m.WastedBytes != 32025 {
		t.Errorf("wasted = %d, want 32025", m.WastedBytes)
	}
	if m.UserWastedPercent != 0.4834911001404049 {
		t.Errorf("user wasted = %v, want 0.4834911001404049", m.UserWastedPercent)
	}
	diffLines(t, "inefficient files", fmtIneff(m.Inefficient), []string{
		"/root/saved.txt 2 12810", "/root/example/somefile1.txt 2 12810", "/root/example/somefile3.txt 2 6405",
	})
	// dive's export names layers by their directory and diffID.
	if l := res.Layers[0]; l.ID != "28cfe03618aa2e914e81fdd90345245c15f4478e35252c06ca52d238fd3cc694" ||
		l.DiffID.String() != "sha256:23bc2b70b2014dec0ac22f27bb93e9babd08cdd6f1115d0c955b9ff22b382f5a" {
		t.Errorf("layer 0 id %s diffID %s, not dive's", l.ID, l.DiffID)
	}
	for _, l := range res.Layers {
		if l.Digest != l.DiffID {
			t.Errorf("layer %d is stored uncompressed, so its digest %s must be its diffID %s", l.Index, l.Digest, l.DiffID)
		}
	}
	if got := res.Layers[9].Command; got != "rm -rf /root/example/" {
		t.Errorf("layer 9 command = %q", got)
	}
}

func TestDiveOCIFixtures(t *testing.T) {
	dir := diveFixtures(t)
	for _, name := range []string{"uncompressed", "gzip", "zstd", "estargz"} {
		t.Run(name, func(t *testing.T) {
			res := analyzeFile(t, filepath.Join(dir, "test-oci-"+name+"-image.tar"))
			if len(res.Layers) != 1 {
				t.Fatalf("got %d layers, want 1", len(res.Layers))
			}
			l := res.Layers[0]
			if l.Size != 11189 || l.Command != "COPY README.md /README.md # buildkit" {
				t.Errorf("layer = %d bytes, %q", l.Size, l.Command)
			}
			diffLines(t, "files", render(res, 0, tree.CompareLayer), []string{"A /README.md"})
		})
	}
}

func TestDiveKanikoFixture(t *testing.T) {
	res := analyzeFile(t, filepath.Join(diveFixtures(t), "test-kaniko-image.tar"))
	if len(res.Layers) != 14 {
		t.Fatalf("got %d layers, want 14", len(res.Layers))
	}
	diffLines(t, "inefficient files", fmtIneff(res.Metrics.Inefficient), []string{
		"/root/saved.txt 2 18498", "/root/example/somefile1.txt 2 18498", "/root/example/somefile3.txt 2 9249",
	})
}

func TestDiveNonImages(t *testing.T) {
	dir := diveFixtures(t)
	for _, name := range []string{"uncompressed", "gzip", "zstd", "estargz"} {
		_, err := source.Open(filepath.Join(dir, "test-"+name+"-image.tar"))
		if !errors.Is(err, source.ErrNotImage) {
			t.Errorf("%s: error = %v, want a not-an-image error", name, err)
		}
	}
}
