package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source/index"
)

// expected is what an index's numbers must be, computed from the images
// with go-containerregistry, independently of package index.
type expected struct {
	compressed, shared []int64
	sharedLayers       []v1.Hash
	all, separately    int64
	one                []int64
}

func expect(t *testing.T, rootSize int64, imgs []v1.Image) expected {
	t.Helper()
	var e expected
	users := map[v1.Hash]int{}
	sizes := map[v1.Hash]int64{}
	var order []v1.Hash
	for _, img := range imgs {
		mf, err := img.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range mf.Layers {
			if users[l.Digest] == 0 {
				order = append(order, l.Digest)
			}
			users[l.Digest]++
			sizes[l.Digest] = l.Size
		}
	}
	e.all = rootSize
	for _, img := range imgs {
		mf, _ := img.Manifest()
		raw, _ := img.RawManifest()
		var c, s int64
		for _, l := range mf.Layers {
			c += l.Size
			if users[l.Digest] > 1 {
				s += l.Size
			}
		}
		e.compressed, e.shared = append(e.compressed, c), append(e.shared, s)
		one := rootSize + int64(len(raw)) + mf.Config.Size + c
		e.one = append(e.one, one)
		e.separately += one
		e.all += int64(len(raw)) + mf.Config.Size
	}
	for _, d := range order {
		e.all += sizes[d]
		if users[d] > 1 {
			e.sharedLayers = append(e.sharedLayers, d)
		}
	}
	return e
}

func TestReadLayout(t *testing.T) {
	idx, imgs := buildIndex(t)
	dir := writeLayout(t, idx)
	docs := openLayout(t, dir)
	got, err := index.Read(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := expect(t, int64(len(root)), imgs)

	rows := got.Rows()
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2: %+v", len(rows), rows)
	}
	for i, r := range rows {
		d, _ := imgs[i].Digest()
		if r.Platform != testPlatforms[i] || r.Digest != d || r.Layers != 8 || !r.Attested || r.Absent != "" {
			t.Errorf("row %d = %+v, want %s %s, 8 layers, attested", i, r, testPlatforms[i], d)
		}
		if r.CompressedBytes != want.compressed[i] || r.SharedBytes != want.shared[i] {
			t.Errorf("row %d: %d compressed, %d shared; want %d, %d", i, r.CompressedBytes, r.SharedBytes, want.compressed[i], want.shared[i])
		}
		if r.UncompressedBytes != -1 {
			t.Errorf("row %d: uncompressed %d before measuring, want -1 (unknown)", i, r.UncompressedBytes)
		}
	}
	var shared []v1.Hash
	for _, s := range got.Shared() {
		shared = append(shared, s.Digest)
		if !slices.Equal(s.Platforms, []int{0, 1}) {
			t.Errorf("shared layer %s used by %v, want [0 1]", s.Digest, s.Platforms)
		}
	}
	if !slices.Equal(shared, want.sharedLayers) || len(shared) != 3 {
		t.Errorf("shared layers %v, want the 3 first: %v", shared, want.sharedLayers)
	}
	pull := got.Pull()
	if pull.All != want.all || pull.Separately != want.separately || !slices.Equal(pull.One, want.one) || !pull.Known {
		t.Errorf("pull = %+v, want all %d, separately %d, one %v", pull, want.all, want.separately, want.one)
	}
	if pull.All >= pull.Separately {
		t.Errorf("pulling all (%d) costs no less than pulling each (%d), though 3 layers are shared", pull.All, pull.Separately)
	}

	if err := index.MeasureUncompressed(context.Background(), got, docs); err != nil {
		t.Fatal(err)
	}
	for i, img := range imgs {
		ls, _ := img.Layers()
		var unc int64
		for _, l := range ls {
			unc += uncompressedSize(t, l)
		}
		if r := got.Rows()[i]; r.UncompressedBytes != unc {
			t.Errorf("platform %d: measured %d uncompressed, the tars are %d", i, r.UncompressedBytes, unc)
		}
	}
}

func TestAttestations(t *testing.T) {
	idx, imgs := buildIndex(t)
	docs := openLayout(t, writeLayout(t, idx))
	got, err := index.Read(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attestations) != 2 {
		t.Fatalf("%d attestations, want 2", len(got.Attestations))
	}
	for i, a := range got.Attestations {
		d, _ := imgs[i].Digest()
		if a.For != d || a.Platform != i || len(a.Statements) != 2 {
			t.Fatalf("attestation %d: for %s (platform %d), %d statements; want %s, %d, 2", i, a.For, a.Platform, len(a.Statements), d, i)
		}
		kinds := []string{a.Statements[0].Kind(), a.Statements[1].Kind()}
		if !slices.Equal(kinds, []string{"provenance", "sbom-spdx"}) {
			t.Errorf("statement kinds %v", kinds)
		}
		raw, err := index.ReadStatement(context.Background(), docs, a.Statements[0])
		if err != nil {
			t.Fatal(err)
		}
		st, err := index.ParseStatement(raw)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Subject) != 1 || st.Subject[0].Digest["sha256"] != d.Hex {
			t.Errorf("statement subject %+v, want %s", st.Subject, d)
		}
		p, err := index.ParseProvenance(st)
		if err != nil {
			t.Fatal(err)
		}
		if p.Args["VERSION"] != "1.2.3" || p.Args["label:org.example"] != "yes" || len(p.Args) != 2 {
			t.Errorf("build args %v, want VERSION=1.2.3 and the label", p.Args)
		}
		if len(p.BaseImages) != 1 || p.BaseImages[0].Image != "docker.io/library/alpine:3.20" || p.BaseImages[0].Platform != testPlatforms[i] {
			t.Errorf("base images %+v, want alpine:3.20 alone (the frontend is not a base)", p.BaseImages)
		}
		if p.Frontend != "docker/dockerfile:1" || p.Source != "https://github.com/example/app" || p.EntryPoint != "Dockerfile" ||
			!strings.HasPrefix(p.Revision, "0123456789") || p.Started == nil {
			t.Errorf("provenance %+v", p)
		}
		bases := index.BaseCandidates(p)
		if len(bases) != 1 || bases[0].Digest.Hex != sha('a') || bases[0].From != index.BaseFromProvenance || bases[0].Layers != -1 {
			t.Errorf("base candidates %+v", bases)
		}
		raw, err = index.ReadStatement(context.Background(), docs, a.Statements[1])
		if err != nil {
			t.Fatal(err)
		}
		st, err = index.ParseStatement(raw)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := index.ParseSBOM(st)
		if err != nil || sb.Format != "SPDX-2.3" || sb.Packages != 2 || sb.Name != "sbom-"+testPlatforms[i] {
			t.Errorf("SBOM %+v, %v", sb, err)
		}
	}
}

// TestLoneImage: a layout whose index.json lists one image gives one row,
// and a reference to an image manifest (not an index) does too.
func TestLoneImage(t *testing.T) {
	imgs, err := imagetest.PlatformImages([]string{"linux/riscv64"}, 2, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: imgs[0]})
	got, err := index.Read(context.Background(), openLayout(t, writeLayout(t, idx)))
	if err != nil {
		t.Fatal(err)
	}
	rows := got.Rows()
	if len(rows) != 1 || rows[0].Platform != "linux/riscv64" || rows[0].Layers != 2 || rows[0].Attested || rows[0].SharedBytes != 0 {
		t.Errorf("rows %+v", rows)
	}
	if len(got.Shared()) != 0 {
		t.Errorf("shared %v", got.Shared())
	}
}

// TestAbsentBlob: a platform whose manifest the layout lacks is a row
// that says so, and the others are read.
func TestAbsentBlob(t *testing.T) {
	idx, imgs := buildIndex(t)
	dir := writeLayout(t, idx)
	d, _ := imgs[1].Digest()
	if err := os.Remove(filepath.Join(dir, "blobs", "sha256", d.Hex)); err != nil {
		t.Fatal(err)
	}
	got, err := index.Read(context.Background(), openLayout(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	rows := got.Rows()
	if len(rows) != 2 || rows[0].Absent != "" || rows[1].Absent == "" || rows[1].Layers != -1 || rows[1].Platform != "linux/arm64/v8" {
		t.Fatalf("rows %+v, want the arm64 one absent", rows)
	}
	if rows[0].SharedBytes != 0 {
		t.Errorf("the amd64 row shares %d bytes with an absent platform", rows[0].SharedBytes)
	}
	if got.Pull().Known {
		t.Error("the pull cost is known with a platform absent")
	}
}

// TestTamperedConfig: a config whose bytes do not match its descriptor is
// an error, whatever --verify says.
func TestTamperedConfig(t *testing.T) {
	idx, imgs := buildIndex(t)
	dir := writeLayout(t, idx)
	mf, _ := imgs[0].Manifest()
	p := filepath.Join(dir, "blobs", "sha256", mf.Config.Digest.Hex)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-2] ^= 1
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = index.Read(context.Background(), openLayout(t, dir))
	if err == nil || !strings.Contains(err.Error(), "config "+mf.Config.Digest.String()) || !strings.Contains(err.Error(), "its digest is") {
		t.Errorf("reading a tampered config: %v", err)
	}
}

func TestContextStopsRead(t *testing.T) {
	idx, _ := buildIndex(t)
	docs := openLayout(t, writeLayout(t, idx))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := index.Read(ctx, docs); !errors.Is(err, context.Canceled) {
		t.Errorf("reading with a canceled context: %v", err)
	}
}

func TestPredicateKind(t *testing.T) {
	for pt, want := range map[string]string{
		"https://slsa.dev/provenance/v0.2":                "provenance",
		"https://slsa.dev/provenance/v1":                  "provenance",
		"https://spdx.dev/Document":                       "sbom-spdx",
		"https://cyclonedx.org/bom":                       "sbom-cyclonedx",
		"https://cosign.sigstore.dev/attestation/vuln/v1": "vulnerabilities",
		"https://sigstore.dev/cosign/sign/v1":             "signature",
		"https://example.com/custom":                      "other",
	} {
		if got := index.PredicateKind(pt); got != want {
			t.Errorf("PredicateKind(%q) = %q, want %q", pt, got, want)
		}
	}
}

// TestMeasureZstd: zstd layers are measured too, each blob once.
func TestMeasureZstd(t *testing.T) {
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64", "linux/s390x"}, 3, 2, 50_000, imagetest.WithCompression(compression.ZStd))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := imagetest.Index(imgs...)
	if err != nil {
		t.Fatal(err)
	}
	docs := openLayout(t, writeLayout(t, idx))
	got, err := index.Read(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if err := index.MeasureUncompressed(context.Background(), got, docs); err != nil {
		t.Fatal(err)
	}
	for i, img := range imgs {
		ls, _ := img.Layers()
		var want int64
		for _, l := range ls {
			want += uncompressedSize(t, l)
		}
		if r := got.Rows()[i]; r.UncompressedBytes != want || r.SharedBytes == 0 {
			t.Errorf("platform %d: %+v, want %d uncompressed", i, r, want)
		}
	}
}
