package source_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// The hostile inputs: layouts and archives built to exhaust memory, block,
// fan out, or pass off changed metadata, and names made to drive a
// terminal. Each must fail at once with one line naming what is wrong.

// layoutFiles are the paths of a layout's documents.
type layoutFiles struct {
	dir, index, manifest, config string
	manifestDesc                 v1.Descriptor
	mf                           v1.Manifest
}

// ociLayout writes the OCI image of b as a layout in dir/name and finds
// its documents.
func ociLayout(t *testing.T, b badImage, dir, name string) layoutFiles {
	t.Helper()
	p := layoutDir(t, dir, name, b.ociGzip)
	l := layoutFiles{dir: p, index: filepath.Join(p, "index.json")}
	var idx v1.IndexManifest
	readJSON(t, l.index, &idx)
	l.manifestDesc = idx.Manifests[0]
	l.manifest = filepath.Join(p, "blobs", "sha256", l.manifestDesc.Digest.Hex)
	readJSON(t, l.manifest, &l.mf)
	l.config = filepath.Join(p, "blobs", "sha256", l.mf.Config.Digest.Hex)
	return l
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// putBlob writes b into a layout's blobs and returns its descriptor.
func (l layoutFiles) putBlob(t *testing.T, b []byte, mt types.MediaType) v1.Descriptor {
	t.Helper()
	h := sha(b)
	if err := os.WriteFile(filepath.Join(l.dir, "blobs", "sha256", h.Hex), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return v1.Descriptor{MediaType: mt, Digest: h, Size: int64(len(b))}
}

// setIndex writes index.json listing ds.
func (l layoutFiles) setIndex(t *testing.T, ds []v1.Descriptor) {
	t.Helper()
	b := mustJSON(t, v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds})
	if err := os.WriteFile(l.index, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// setManifest writes mf as a new manifest blob and points index.json at it.
func (l layoutFiles) setManifest(t *testing.T, mf v1.Manifest) {
	t.Helper()
	l.setIndex(t, []v1.Descriptor{l.putBlob(t, mustJSON(t, mf), types.OCIManifestSchema1)})
}

// replaceWith puts what make creates in place of path.
func replaceWith(t *testing.T, path string, make func(string) error) {
	t.Helper()
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	if err := make(path); err != nil {
		t.Fatal(err)
	}
}

func fifo(path string) error { return syscall.Mkfifo(path, 0o644) }

func symlinkTo(target string) func(string) error {
	return func(path string) error { return os.Symlink(target, path) }
}

func sparse(size int64) func(string) error {
	return func(path string) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Truncate(size)
	}
}

// safeLine checks an error is one line holding no character a terminal
// would act on.
func safeLine(t *testing.T, _ badImage, err error) {
	t.Helper()
	msg := err.Error()
	if i := strings.IndexFunc(msg, func(r rune) bool {
		return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' || r == '\ufffd'
	}); i >= 0 {
		t.Errorf("error %q holds %q", msg, []rune(msg[i:])[0])
	}
}

func hostileInputs() []badInput {
	layout := func(change func(t *testing.T, l layoutFiles)) func(t *testing.T, b badImage, dir string) string {
		return func(t *testing.T, b badImage, dir string) string {
			l := ociLayout(t, b, dir, "layout")
			change(t, l)
			return l.dir
		}
	}
	archive := func(name string, ms func(t *testing.T, b badImage) []member) func(t *testing.T, b badImage, dir string) string {
		return func(t *testing.T, b badImage, dir string) string {
			p := filepath.Join(dir, name)
			writeTar(t, p, ms(t, b))
			return p
		}
	}
	return []badInput{
		// Class 1: unbounded reads, blocking opens.
		{name: "index.json is a symlink to /dev/zero", atOpen: true, want: []string{"index.json", "leads out of the layout directory"}, check: safeLine,
			build: layout(func(t *testing.T, l layoutFiles) { replaceWith(t, l.index, symlinkTo("/dev/zero")) })},
		{name: "index.json is a relative symlink out of the layout", atOpen: true, want: []string{"index.json", "leads out of the layout directory"},
			build: layout(func(t *testing.T, l layoutFiles) {
				replaceWith(t, l.index, symlinkTo(strings.Repeat("../", 40)+"dev/zero"))
			})},
		{name: "index.json is a named pipe", atOpen: true, want: []string{"index.json is a named pipe, not a regular file"},
			build: layout(func(t *testing.T, l layoutFiles) { replaceWith(t, l.index, fifo) })},
		{name: "index.json is a directory", atOpen: true, want: []string{"index.json is a directory"},
			build: layout(func(t *testing.T, l layoutFiles) {
				replaceWith(t, l.index, func(p string) error { return os.Mkdir(p, 0o755) })
			})},
		{name: "index.json is a sparse 1 TiB file", atOpen: true, want: []string{"index.json is 1.0 TiB, over the 4.0 MiB cap"},
			build: layout(func(t *testing.T, l layoutFiles) { replaceWith(t, l.index, sparse(1<<40)) })},
		{name: "oci-layout is a named pipe", atOpen: true, want: []string{"oci-layout is a named pipe"},
			build: layout(func(t *testing.T, l layoutFiles) { replaceWith(t, filepath.Join(l.dir, "oci-layout"), fifo) })},
		{name: "the manifest blob is a symlink out of the layout", atOpen: true, want: []string{"manifest sha256:", "leads out of the layout directory"},
			build: layout(func(t *testing.T, l layoutFiles) {
				outside := filepath.Join(filepath.Dir(l.dir), "elsewhere")
				if err := os.Rename(l.manifest, outside); err != nil {
					t.Fatal(err)
				}
				replaceWith(t, l.manifest, symlinkTo(outside))
			})},
		{name: "blobs is a symlink out of the layout", atOpen: true, want: []string{"leads out of the layout directory"},
			build: layout(func(t *testing.T, l layoutFiles) {
				outside := filepath.Join(filepath.Dir(l.dir), "blobs-elsewhere")
				if err := os.Rename(filepath.Join(l.dir, "blobs"), outside); err != nil {
					t.Fatal(err)
				}
				replaceWith(t, filepath.Join(l.dir, "blobs"), symlinkTo(outside))
			})},
		{name: "the config blob is a named pipe", atOpen: true, want: []string{"config sha256:", "is a named pipe"},
			build: layout(func(t *testing.T, l layoutFiles) { replaceWith(t, l.config, fifo) })},
		{name: "the config's descriptor says 1 TiB", atOpen: true, want: []string{"config sha256:", "is 1.0 TiB, over the 8.0 MiB cap"},
			build: layout(func(t *testing.T, l layoutFiles) {
				mf := l.mf
				mf.Config.Size = 1 << 40
				l.setManifest(t, mf)
			})},
		{name: "a layer blob is a named pipe", atOpen: true, want: []string{"layer 1", "is a named pipe"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := layoutDir(t, dir, "layerfifo", b.ociGzip)
				replaceWith(t, layerBlob(t, p, b.ociGzip, 1), fifo)
				return p
			}},
		{name: "a layer blob is a symlink to /dev/zero", atOpen: true, want: []string{"layer 1", "leads out of the layout directory"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := layoutDir(t, dir, "layerzero", b.ociGzip)
				replaceWith(t, layerBlob(t, p, b.ociGzip, 1), symlinkTo("/dev/zero"))
				return p
			}},
		{name: "the input is a named pipe", atOpen: true, want: []string{"not an image", "a named pipe"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "image.tar")
				replaceWith(t, p, fifo)
				return p
			}},
		{name: "the input is /dev/zero", atOpen: true, want: []string{"not an image", "a character device"},
			build: func(t *testing.T, b badImage, dir string) string { return "/dev/zero" }},
		{name: "oci-archive with an index.json over the cap", atOpen: true, want: []string{"index.json is 5.0 MiB, over the 4.0 MiB cap"},
			build: archive("big-index.tar", func(t *testing.T, b badImage) []member {
				return []member{{name: "index.json", data: []byte(`{"manifests":[]` + strings.Repeat(" ", 5<<20-16) + `}`)}}
			})},
		{name: "docker-archive with a manifest.json over the cap", atOpen: true, want: []string{"manifest.json is 9.0 MiB, over the 8.0 MiB cap"},
			build: archive("big-manifest.tar", func(t *testing.T, b badImage) []member {
				return replace(t, b.classic(t), "manifest.json", []byte(`[`+strings.Repeat(" ", 9<<20-2)+`]`))
			})},

		// Class 4: index fan-out.
		{name: "index.json lists more than 10000 manifests", atOpen: true, want: []string{"index.json", "more than 10000 manifests"},
			build: layout(func(t *testing.T, l layoutFiles) {
				ds := make([]v1.Descriptor, 10_001)
				for i := range ds {
					ds[i] = l.manifestDesc
				}
				l.setIndex(t, ds)
			})},
		{name: "indexes 2001 wide, 6 deep", atOpen: true, want: []string{"index.json", "more than 10000 manifests"},
			build: layout(func(t *testing.T, l layoutFiles) {
				d := l.manifestDesc
				for range 5 {
					ds := make([]v1.Descriptor, 2001)
					for i := range ds {
						ds[i] = d
					}
					d = l.putBlob(t, mustJSON(t, v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds}), types.OCIImageIndex)
				}
				l.setIndex(t, []v1.Descriptor{d})
			})},

		// Class 9: metadata that does not match its descriptor.
		{name: "the manifest blob changed", atOpen: true, want: []string{"manifest sha256:", "its digest is sha256:", "changed or is corrupt"},
			build: layout(func(t *testing.T, l layoutFiles) {
				raw, err := os.ReadFile(l.manifest)
				if err != nil {
					t.Fatal(err)
				}
				// Same size, another layer digest.
				i := strings.LastIndex(string(raw), "sha256:") + len("sha256:")
				raw[i] ^= 1
				if err := os.WriteFile(l.manifest, raw, 0o644); err != nil {
					t.Fatal(err)
				}
			})},
		{name: "the config blob changed", atOpen: true, want: []string{"config sha256:", "its digest is sha256:"},
			build: layout(func(t *testing.T, l layoutFiles) {
				raw, err := os.ReadFile(l.config)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(l.config, []byte(strings.Replace(string(raw), "amd64", "arm64", 1)), 0o644); err != nil {
					t.Fatal(err)
				}
			})},
		{name: "the index gives the manifest a wrong size", atOpen: true, want: []string{"manifest sha256:", "its descriptor gives"},
			build: layout(func(t *testing.T, l layoutFiles) {
				d := l.manifestDesc
				d.Size++
				l.setIndex(t, []v1.Descriptor{d})
			})},
		{name: "oci-archive whose manifest changed", atOpen: true, want: []string{"manifest sha256:", "its digest is sha256:"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "changed.tar")
				idx, err := imagetest.Index(b.ociGzip)
				if err != nil {
					t.Fatal(err)
				}
				if err := imagetest.WriteOCIArchive(p, idx); err != nil {
					t.Fatal(err)
				}
				mf, _ := b.ociGzip.Digest()
				ms := readMembers(t, p)
				for i := range ms {
					if ms[i].name == "blobs/sha256/"+mf.Hex {
						ms[i].data = []byte(strings.Replace(string(ms[i].data), `"schemaVersion":2`, `"schemaVersion":3`, 1))
					}
				}
				writeTar(t, p, ms)
				return p
			}},
		{name: "docker-archive whose config changed, its name kept", atOpen: true, want: []string{"config", ".json", "its digest is sha256:"},
			build: archive("changed-config.tar", func(t *testing.T, b badImage) []member {
				ms := b.classic(t)
				cfg, _ := manifestOf(t, ms)
				return replace(t, ms, cfg, withDiffIDs(t, b.parts.config, func(h []v1.Hash) []v1.Hash { h[1] = fakeDiffID; return h }))
			})},

		// Class 11: empty fields.
		{name: "manifest.json is [null]", atOpen: true, want: []string{"manifest.json: image 1 names no config"},
			build: archive("null.tar", func(t *testing.T, b badImage) []member {
				return replace(t, b.classic(t), "manifest.json", []byte(`[null]`))
			})},
		{name: "manifest.json names a layer with no name", atOpen: true, want: []string{"manifest.json: layer 0 of image 1 has no name"},
			build: archive("noname.tar", func(t *testing.T, b badImage) []member {
				ms := b.classic(t)
				cfg, layers := manifestOf(t, ms)
				layers[0] = ""
				return replace(t, ms, "manifest.json", mustJSON(t, []map[string]any{{"Config": cfg, "Layers": layers}}))
			})},
		{name: "the manifest names no config digest", atOpen: true, want: []string{"manifest sha256:", "names no config"},
			build: layout(func(t *testing.T, l layoutFiles) {
				var mf map[string]any
				raw, _ := json.Marshal(l.mf)
				json.Unmarshal(raw, &mf)
				delete(mf["config"].(map[string]any), "digest")
				l.setIndex(t, []v1.Descriptor{l.putBlob(t, mustJSON(t, mf), types.OCIManifestSchema1)})
			})},
		{name: "the manifest lists a layer with no digest", atOpen: true, want: []string{"manifest sha256:", "layer 2 has no digest"},
			build: layout(func(t *testing.T, l layoutFiles) {
				var mf map[string]any
				raw, _ := json.Marshal(l.mf)
				json.Unmarshal(raw, &mf)
				delete(mf["layers"].([]any)[2].(map[string]any), "digest")
				l.setIndex(t, []v1.Descriptor{l.putBlob(t, mustJSON(t, mf), types.OCIManifestSchema1)})
			})},

		{name: "index.json with a digest of 1 MiB", atOpen: true, want: []string{"parsing index.json", "…"},
			check: func(t *testing.T, b badImage, err error) {
				if n := len(err.Error()); n > 2100 {
					t.Errorf("the error is %d bytes long", n)
				}
			},
			build: layout(func(t *testing.T, l layoutFiles) {
				raw := `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:` + strings.Repeat("a", 1<<20) + `"}]}`
				if err := os.WriteFile(l.index, []byte(raw), 0o644); err != nil {
					t.Fatal(err)
				}
			})},

		// Class 6: names that drive a terminal reach the message escaped.
		{name: "manifest.json names a config with escapes", atOpen: true, want: []string{`\x1b[2J\x1b]8;;http://x\x07evil\u202e.json`, "does not exist"}, check: safeLine,
			build: archive("escapes.tar", func(t *testing.T, b badImage) []member {
				ms := b.classic(t)
				_, layers := manifestOf(t, ms)
				return replace(t, ms, "manifest.json", mustJSON(t, []map[string]any{{"Config": "\x1b[2J\x1b]8;;http://x\x07evil\u202e.json", "Layers": layers}}))
			})},
		{name: "an index of platforms with escapes", atOpen: true, want: []string{`linux/arm\x1b[8m`, `linux/s390x\r\nResult: PASS`}, check: safeLine,
			build: layout(func(t *testing.T, l layoutFiles) {
				var ds []v1.Descriptor
				for _, arch := range []string{"arm\x1b[8m", "s390x\r\nResult: PASS"} {
					d := l.manifestDesc
					d.Platform = &v1.Platform{OS: "linux", Architecture: arch}
					ds = append(ds, d)
				}
				l.setIndex(t, ds)
			})},
	}
}

// TestHostileLayoutFanOut: an index listing a nested index 40 times at each
// of 5 levels (40^5, 100 million image descriptors, in a layout of a few
// hundred KB) opens: each index is read once and the image listed once.
func TestHostileLayoutFanOut(t *testing.T) {
	b := newBadImage(t)
	l := ociLayout(t, b, t.TempDir(), "fan")
	d := l.manifestDesc
	d.Platform = &v1.Platform{OS: "linux", Architecture: "amd64"}
	for range 5 {
		ds := make([]v1.Descriptor, 40)
		for i := range ds {
			ds[i] = d
		}
		d = l.putBlob(t, mustJSON(t, v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds}), types.OCIImageIndex)
	}
	l.setIndex(t, []v1.Descriptor{d, d, d})
	check := noLeaks(t)
	defer check()
	img, err := source.Open(l.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	if got := source.FormatPlatform(img.Platform); got != "linux/amd64" {
		t.Errorf("platform %s", got)
	}
	if ls, _ := img.Layers(); len(ls) != 7 {
		t.Errorf("%d layers", len(ls))
	}
}
