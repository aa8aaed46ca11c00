package source_test

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// archImage builds a one-layer OCI image for a platform whose /arch file
// names it.
func archImage(t *testing.T, os, arch, variant string) v1.Image {
	t.Helper()
	img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "COPY arch /arch", Entries: []imagetest.Entry{
		imagetest.Reg("arch", os+"/"+arch+"/"+variant),
	}}}, imagetest.WithOCIMediaTypes(), imagetest.WithPlatform(os, arch, variant))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// attestation is a manifest of platform unknown/unknown, as buildx adds
// beside each image to hold its provenance.
func attestation(t *testing.T, of v1.Image) mutate.IndexAddendum {
	t.Helper()
	img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "provenance", Entries: []imagetest.Entry{
		imagetest.Reg("provenance.json", "{}"),
	}}}, imagetest.WithOCIMediaTypes(), imagetest.WithPlatform("unknown", "unknown", ""))
	if err != nil {
		t.Fatal(err)
	}
	d, err := of.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{
		Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"},
		Annotations: map[string]string{
			"vnd.docker.reference.type":   "attestation-manifest",
			"vnd.docker.reference.digest": d.String(),
		},
	}}
}

// writeIndex writes idx both as an oci-archive and as an OCI layout
// directory and returns their paths.
func writeIndex(t *testing.T, idx v1.ImageIndex) []string {
	t.Helper()
	dir := t.TempDir()
	archive, layout := filepath.Join(dir, "index.tar"), filepath.Join(dir, "layout")
	if err := imagetest.WriteOCIArchive(archive, idx); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.WriteOCILayout(layout, idx); err != nil {
		t.Fatal(err)
	}
	return []string{archive, layout}
}

func mustPlatform(t *testing.T, s string) v1.Platform {
	t.Helper()
	p, err := source.ParsePlatform(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// wantPicked opens ref and checks the image picked is for platform want
// and is the one whose /arch says so.
func wantPicked(t *testing.T, ref, want string, opts ...source.Option) {
	t.Helper()
	img, res := openAnalyze(t, ref, opts...)
	if got := source.FormatPlatform(img.Platform); got != want {
		t.Errorf("%s: picked %s, want %s", ref, got, want)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if got := source.FormatPlatform(*cfg.Platform()); got != want {
		t.Errorf("%s: config is for %s, want %s", ref, got, want)
	}
	n, ok := res.Tree.Lookup("/arch")
	if !ok {
		t.Fatalf("%s: no /arch", ref)
	}
	v, ok := res.Tree.VersionAt(n, len(res.Layers)-1)
	if !ok {
		t.Fatalf("%s: /arch is not in the image", ref)
	}
	// /arch holds "os/arch/variant", the variant maybe empty.
	wantSize := int64(len(want))
	if strings.Count(want, "/") == 1 {
		wantSize++
	}
	if e := res.Tree.Entry(v); e.Size != wantSize {
		t.Errorf("%s: /arch is %d bytes, want %d: not the %s image", ref, e.Size, wantSize, want)
	}
}

func wantOpenError(t *testing.T, ref string, want []string, opts ...source.Option) string {
	t.Helper()
	img, err := source.Open(ref, opts...)
	if err == nil {
		img.Close()
		t.Fatalf("%s: opened for %s", ref, source.FormatPlatform(img.Platform))
	}
	msg := err.Error()
	for _, w := range append([]string{ref}, want...) {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not say %q", msg, w)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error %q is not one line", msg)
	}
	return msg
}

func TestPlatformIndex(t *testing.T) {
	amd := archImage(t, "linux", "amd64", "")
	arm := archImage(t, "linux", "arm64", "v8")
	idx, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	idx = mutate.AppendManifests(idx, attestation(t, amd), attestation(t, arm))
	for _, ref := range writeIndex(t, idx) {
		t.Run(filepath.Base(ref), func(t *testing.T) {
			wantPicked(t, ref, "linux/amd64", source.WithPlatform(mustPlatform(t, "linux/amd64")))
			wantPicked(t, ref, "linux/arm64/v8", source.WithPlatform(mustPlatform(t, "linux/arm64")))
			wantPicked(t, ref, "linux/arm64/v8", source.WithPlatform(mustPlatform(t, "linux/arm64/v8")))

			msg := wantOpenError(t, ref, []string{"linux/s390x", "linux/amd64", "linux/arm64/v8"},
				source.WithPlatform(mustPlatform(t, "linux/s390x")))
			if strings.Contains(msg, "unknown") {
				t.Errorf("error %q offers the attestations", msg)
			}
			msg = wantOpenError(t, ref, []string{"linux/amd64", "linux/arm64/v8"},
				source.WithPlatform(mustPlatform(t, "unknown/unknown")))
			if _, has, _ := strings.Cut(msg, "has"); strings.Contains(has, "unknown") {
				t.Errorf("error %q offers the attestations", msg)
			}
			wantOpenError(t, ref, []string{"linux/arm64/v7"}, source.WithPlatform(mustPlatform(t, "linux/arm64/v7")))

			// No --platform: the host's.
			switch runtime.GOARCH {
			case "amd64":
				wantPicked(t, ref, "linux/amd64")
			case "arm64":
				wantPicked(t, ref, "linux/arm64/v8")
			default:
				wantOpenError(t, ref, []string{"linux/" + runtime.GOARCH, "--platform", "linux/amd64", "linux/arm64/v8"})
			}
		})
	}
}

// TestPlatformLoneImage checks that an index holding one image and its
// attestation gives that image whatever the host, and only it.
func TestPlatformLoneImage(t *testing.T) {
	other := "s390x"
	if runtime.GOARCH == other {
		other = "ppc64le"
	}
	img := archImage(t, "linux", other, "")
	idx, err := imagetest.Index(img)
	if err != nil {
		t.Fatal(err)
	}
	idx = mutate.AppendManifests(idx, attestation(t, img))
	for _, ref := range writeIndex(t, idx) {
		wantPicked(t, ref, "linux/"+other)
		wantOpenError(t, ref, []string{"linux/amd64", "the index has linux/" + other},
			source.WithPlatform(mustPlatform(t, "linux/amd64")))
	}
}

// TestPlatformNestedIndex resolves indexes within indexes.
func TestPlatformNestedIndex(t *testing.T) {
	amd := archImage(t, "linux", "amd64", "")
	arm := archImage(t, "linux", "arm64", "v8")
	inner, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	// index → index → manifests
	nested := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: inner})
	// index → index → index → manifests
	deeper := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: nested})
	// index → (index → amd64, index → arm64)
	amdIdx, err := imagetest.Index(amd)
	if err != nil {
		t.Fatal(err)
	}
	armIdx, err := imagetest.Index(arm)
	if err != nil {
		t.Fatal(err)
	}
	siblings := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: amdIdx}, mutate.IndexAddendum{Add: armIdx})
	for name, idx := range map[string]v1.ImageIndex{"nested": nested, "deeper": deeper, "siblings": siblings} {
		for _, ref := range writeIndex(t, idx) {
			t.Run(name+"/"+filepath.Base(ref), func(t *testing.T) {
				wantPicked(t, ref, "linux/amd64", source.WithPlatform(mustPlatform(t, "linux/amd64")))
				wantPicked(t, ref, "linux/arm64/v8", source.WithPlatform(mustPlatform(t, "linux/arm64")))
				wantOpenError(t, ref, []string{"linux/s390x", "linux/amd64", "linux/arm64/v8"},
					source.WithPlatform(mustPlatform(t, "linux/s390x")))
				if runtime.GOARCH == "amd64" {
					wantPicked(t, ref, "linux/amd64")
				}
			})
		}
	}
}

// TestPlatformFromConfig picks among manifests whose index entries give no
// platform, as Docker's index.json writes them, by reading their configs.
func TestPlatformFromConfig(t *testing.T) {
	amd := archImage(t, "linux", "amd64", "")
	arm := archImage(t, "linux", "arm64", "v8")
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: amd}, mutate.IndexAddendum{Add: arm})
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range im.Manifests {
		if d.Platform != nil {
			t.Fatalf("index gives platform %v", d.Platform)
		}
	}
	for _, ref := range writeIndex(t, idx) {
		wantPicked(t, ref, "linux/arm64/v8", source.WithPlatform(mustPlatform(t, "linux/arm64")))
		wantPicked(t, ref, "linux/amd64", source.WithPlatform(mustPlatform(t, "linux/amd64")))
	}
}

// TestPlatformDockerArchive checks --platform against the one image of a
// docker archive.
func TestPlatformDockerArchive(t *testing.T) {
	img, err := imagetest.Image(demoSteps(), imagetest.WithPlatform("linux", "amd64", ""))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "amd64.tar")
	if err := imagetest.WriteDockerArchive(path, img, "demo:amd64"); err != nil {
		t.Fatal(err)
	}
	check := noLeaks(t)
	wantOpenError(t, path, []string{"linux/amd64", "linux/arm64"}, source.WithPlatform(mustPlatform(t, "linux/arm64")))
	check()
	opened, err := source.Open(path, source.WithPlatform(mustPlatform(t, "linux/amd64")))
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	if got := source.FormatPlatform(opened.Platform); got != "linux/amd64" {
		t.Errorf("platform %s", got)
	}
}

func TestParsePlatform(t *testing.T) {
	for _, bad := range []string{"linux", "linux/", "/amd64", "linux/arm64/v8/x"} {
		if _, err := source.ParsePlatform(bad); err == nil {
			t.Errorf("ParsePlatform(%q) succeeded", bad)
		}
	}
	p := mustPlatform(t, "linux/arm64/v8")
	if got := source.FormatPlatform(p); got != "linux/arm64/v8" {
		t.Errorf("round trip gave %s", got)
	}
}
