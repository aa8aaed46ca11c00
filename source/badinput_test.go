// This file is over 400 lines: it is the sources' table of bad inputs
// (truncated, oversized, non-regular and cyclic metadata in every source)
// with the builders of each, kept as one table.

package source_test

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// badImage is the image the bad inputs are made from.
type badImage struct {
	docker, ociGzip, ociZstd v1.Image
	parts                    parts
}

func newBadImage(t *testing.T) badImage {
	t.Helper()
	var b badImage
	var err error
	if b.docker, err = imagetest.Image(demoSteps()); err != nil {
		t.Fatal(err)
	}
	if b.ociGzip, err = imagetest.Image(demoSteps(), imagetest.WithOCIMediaTypes()); err != nil {
		t.Fatal(err)
	}
	if b.ociZstd, err = imagetest.Image(demoSteps(), imagetest.WithCompression(compression.ZStd)); err != nil {
		t.Fatal(err)
	}
	b.parts = imageParts(t, b.docker)
	return b
}

// classic returns the members of a classic docker archive of the image.
func (b badImage) classic(t *testing.T) []member { return classicMembers(t, b.parts, "bad:latest") }

// layoutDir writes img as an OCI layout in dir/name.
func layoutDir(t *testing.T, dir, name string, img v1.Image) string {
	t.Helper()
	idx, err := imagetest.Index(img)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := imagetest.WriteOCILayout(p, idx); err != nil {
		t.Fatal(err)
	}
	return p
}

// layerBlob is the path of layer i's blob in an OCI layout directory.
func layerBlob(t *testing.T, layout string, img v1.Image, i int) string {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ls[i].Digest()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(layout, "blobs", d.Algorithm, d.Hex)
}

// readMembers reads every member of a tar file.
func readMembers(t *testing.T, path string) []member {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ms []member
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return ms
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, member{name: h.Name, data: b, typ: h.Typeflag, link: h.Linkname})
	}
}

// memberData finds where a member's data lies in a tar file.
func memberData(t *testing.T, path, name string) (offset, size int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("no member %s in %s: %v", name, path, err)
		}
		if h.Name == name {
			off, err := f.Seek(0, io.SeekCurrent)
			if err != nil {
				t.Fatal(err)
			}
			return off, h.Size
		}
	}
}

// without drops the members for which drop is true.
func without(ms []member, drop func(m member) bool) []member {
	var out []member
	for _, m := range ms {
		if !drop(m) {
			out = append(out, m)
		}
	}
	return out
}

// replace changes the data of the member named name.
func replace(t *testing.T, ms []member, name string, data []byte) []member {
	t.Helper()
	for i := range ms {
		if ms[i].name == name {
			ms[i].data = data
			return ms
		}
	}
	t.Fatalf("no member %s", name)
	return nil
}

// withConfig puts raw in place of the config of classic members, under
// the name its digest gives, as a consistent archive would have it.
func withConfig(t *testing.T, ms []member, raw []byte) []member {
	t.Helper()
	old, layers := manifestOf(t, ms)
	name := sha(raw).Hex + ".json"
	var out []member
	for _, m := range ms {
		switch m.name {
		case old:
			m.name, m.data = name, raw
		case "manifest.json":
			m.data = mustJSON(t, []map[string]any{{"Config": name, "RepoTags": []string{"bad:latest"}, "Layers": layers}})
		}
		out = append(out, m)
	}
	return out
}

// manifestOf reads the manifest.json of classic members.
func manifestOf(t *testing.T, ms []member) (cfg string, layers []string) {
	t.Helper()
	for _, m := range ms {
		if m.name == "manifest.json" {
			var mf []struct {
				Config string
				Layers []string
			}
			if err := json.Unmarshal(m.data, &mf); err != nil {
				t.Fatal(err)
			}
			return mf[0].Config, mf[0].Layers
		}
	}
	t.Fatal("no manifest.json")
	return "", nil
}

// withDiffIDs returns the config with its diff_ids changed by f.
func withDiffIDs(t *testing.T, raw []byte, f func([]v1.Hash) []v1.Hash) []byte {
	t.Helper()
	var cfg map[string]any
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	parsed, err := v1.ParseConfigFile(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	cfg["rootfs"] = map[string]any{"type": "layers", "diff_ids": f(parsed.RootFS.DiffIDs)}
	return mustJSON(t, cfg)
}

var fakeDiffID = sha([]byte("not the layer"))

type badInput struct {
	name string
	// build writes the input in dir and returns the reference to open.
	build func(t *testing.T, b badImage, dir string) string
	// atOpen says the error comes from source.Open, not from the analysis.
	atOpen bool
	// want are words the error must hold.
	want []string
	// check looks further at the error.
	check func(t *testing.T, b badImage, err error)
}

func badInputs() []badInput {
	return []badInput{
		{name: "missing file", atOpen: true, want: []string{"no such file"},
			build: func(t *testing.T, b badImage, dir string) string { return filepath.Join(dir, "missing.tar") }},
		{name: "empty file", atOpen: true, want: []string{"not an image", "empty"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "empty.tar")
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "text file", atOpen: true, want: []string{"not an image", "not a tar archive"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "notes.txt")
				if err := os.WriteFile(p, []byte(strings.Repeat("just some text\n", 100)), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "directory that is not a layout", atOpen: true, want: []string{"not an OCI layout", "index.json"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "plain")
				if err := os.Mkdir(p, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(p, "hello.txt"), []byte("hi"), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "tar of plain files", atOpen: true, want: []string{"not an image", "manifest.json", "index.json"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "files.tar")
				writeTar(t, p, []member{{name: "etc/", typ: tar.TypeDir}, {name: "etc/passwd", data: []byte("root:x:0:0::/root:/bin/sh\n")}})
				return p
			}},
		{name: "truncated in a layer", atOpen: true, want: []string{"truncated"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "truncated.tar")
				ms := b.classic(t)
				writeTar(t, p, ms)
				_, layers := manifestOf(t, ms)
				off, size := memberData(t, p, layers[0])
				if err := os.Truncate(p, off+size/2); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "truncated, manifest first", atOpen: true, want: []string{"truncated"},
			build: func(t *testing.T, b badImage, dir string) string {
				// manifest.json and the config come first, so only the
				// layer is cut short.
				p := filepath.Join(dir, "truncated.tar")
				ms := b.classic(t)
				var head, rest []member
				for _, m := range ms {
					if m.name == "manifest.json" || strings.HasSuffix(m.name, ".json") && !strings.Contains(m.name, "/") {
						head = append(head, m)
					} else {
						rest = append(rest, m)
					}
				}
				writeTar(t, p, append(head, rest...))
				_, layers := manifestOf(t, ms)
				off, size := memberData(t, p, layers[len(layers)-1])
				if err := os.Truncate(p, off+size/2); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "manifest names a missing layer", atOpen: true, want: []string{"layer 0", "does not exist"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "nolayer.tar")
				ms := b.classic(t)
				_, layers := manifestOf(t, ms)
				writeTar(t, p, without(ms, func(m member) bool { return m.name == layers[0] }))
				return p
			}},
		{name: "manifest is not JSON", atOpen: true, want: []string{"parsing manifest.json", "invalid character"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "notjson.tar")
				writeTar(t, p, replace(t, b.classic(t), "manifest.json", []byte("this is not json")))
				return p
			}},
		{name: "manifest lists no image", atOpen: true, want: []string{"manifest.json lists no image"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "noimage.tar")
				writeTar(t, p, replace(t, b.classic(t), "manifest.json", []byte("[]")))
				return p
			}},
		{name: "config missing", atOpen: true, want: []string{"config", "does not exist"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "noconfig.tar")
				ms := b.classic(t)
				cfg, _ := manifestOf(t, ms)
				writeTar(t, p, without(ms, func(m member) bool { return m.name == cfg }))
				return p
			}},
		{name: "config is not JSON", atOpen: true, want: []string{"parsing config"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "badconfig.tar")
				writeTar(t, p, withConfig(t, b.classic(t), []byte("{")))
				return p
			}},
		{name: "diff_ids count differs", atOpen: true, want: []string{"7 layers", "6 diff_ids"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "diffids.tar")
				raw := withDiffIDs(t, b.parts.config, func(h []v1.Hash) []v1.Hash { return h[:len(h)-1] })
				writeTar(t, p, withConfig(t, b.classic(t), raw))
				return p
			}},
		{name: "oci-archive index with no manifests", atOpen: true, want: []string{"index.json", "no image"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "empty-index.tar")
				writeTar(t, p, []member{
					{name: "oci-layout", data: []byte(`{"imageLayoutVersion":"1.0.0"}`)},
					{name: "index.json", data: []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`)},
				})
				return p
			}},
		{name: "oci layout index with no manifests", atOpen: true, want: []string{"index.json", "no image"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "empty-layout")
				if err := os.MkdirAll(filepath.Join(p, "blobs", "sha256"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(p, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(p, "index.json"), []byte(`{"schemaVersion":2,"manifests":[]}`), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "oci-archive index is not JSON", atOpen: true, want: []string{"parsing index.json"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "bad-index.tar")
				writeTar(t, p, []member{{name: "index.json", data: []byte("<html>")}})
				return p
			}},
		{name: "oci-archive missing a layer blob", atOpen: true, want: []string{"layer 1", "does not exist"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "noblob.tar")
				idx, err := imagetest.Index(b.ociGzip)
				if err != nil {
					t.Fatal(err)
				}
				if err := imagetest.WriteOCIArchive(p, idx); err != nil {
					t.Fatal(err)
				}
				ls, _ := b.ociGzip.Layers()
				d, _ := ls[1].Digest()
				writeTar(t, p, without(readMembers(t, p), func(m member) bool { return m.name == "blobs/sha256/"+d.Hex }))
				return p
			}},
		{name: "oci layout missing a layer blob", atOpen: true, want: []string{"layer 1", "does not exist"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := layoutDir(t, dir, "noblob", b.ociGzip)
				if err := os.Remove(layerBlob(t, p, b.ociGzip, 1)); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "corrupt gzip layer", want: []string{"layer 1", "corrupt"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := layoutDir(t, dir, "badgzip", b.ociGzip)
				// A valid gzip header, then a deflate block of the
				// reserved type.
				garbage := append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, []byte(strings.Repeat("\xff", 500))...)
				if err := os.WriteFile(layerBlob(t, p, b.ociGzip, 1), garbage, 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "corrupt zstd layer", want: []string{"layer 1", "frame header"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := layoutDir(t, dir, "badzstd", b.ociZstd)
				garbage := append([]byte{0x28, 0xb5, 0x2f, 0xfd}, []byte(strings.Repeat("\xff\x00\x13", 200))...)
				if err := os.WriteFile(layerBlob(t, p, b.ociZstd, 1), garbage, 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "truncated gzip layer", want: []string{"layer 1", "unexpected EOF"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := layoutDir(t, dir, "shortgzip", b.ociGzip)
				blob := layerBlob(t, p, b.ociGzip, 1)
				st, err := os.Stat(blob)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(blob, st.Size()/2); err != nil {
					t.Fatal(err)
				}
				return p
			}},
		{name: "layer bytes do not match the manifest digest", want: []string{"layer 1", "digest"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := layoutDir(t, dir, "baddigest", b.ociGzip)
				// Change the gzip header's mtime: the stored bytes change,
				// what they decompress to does not.
				blob := layerBlob(t, p, b.ociGzip, 1)
				raw, err := os.ReadFile(blob)
				if err != nil {
					t.Fatal(err)
				}
				raw[4] ^= 0x55
				if err := os.WriteFile(blob, raw, 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			},
			check: func(t *testing.T, b badImage, err error) {
				var de *blob.DigestError
				if !errors.As(err, &de) {
					t.Fatalf("error %v is not a DigestError", err)
				}
				ls, _ := b.ociGzip.Layers()
				want, _ := ls[1].Digest()
				if de.Layer != 1 || de.What != "digest" || de.Expected != want || de.Actual == want {
					t.Errorf("DigestError %+v, want layer 1 digest expected %s", de, want)
				}
				for _, h := range []v1.Hash{de.Expected, de.Actual} {
					if !strings.Contains(err.Error(), h.String()) {
						t.Errorf("error %q does not name %s", err, h)
					}
				}
			}},
		{name: "diffID does not match the layer (docker-archive)", want: []string{"layer 1", "diffID", "config"},
			build: func(t *testing.T, b badImage, dir string) string {
				p := filepath.Join(dir, "diffid.tar")
				raw := withDiffIDs(t, b.parts.config, func(h []v1.Hash) []v1.Hash { h[1] = fakeDiffID; return h })
				writeTar(t, p, withConfig(t, b.classic(t), raw))
				return p
			},
			check: checkDiffIDError},
		{name: "diffID does not match the layer (oci layout)", want: []string{"layer 1", "diffID", "config"},
			build: func(t *testing.T, b badImage, dir string) string {
				return layoutDir(t, dir, "diffid", withFakeDiffID(t, b.ociGzip))
			},
			check: checkDiffIDError},
	}
}

// withFakeDiffID returns img with the config claiming fakeDiffID for
// layer 1.
func withFakeDiffID(t *testing.T, img v1.Image) v1.Image {
	t.Helper()
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg = cfg.DeepCopy()
	cfg.RootFS.DiffIDs[1] = fakeDiffID
	out, err := mutate.ConfigFile(img, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkDiffIDError(t *testing.T, b badImage, err error) {
	t.Helper()
	var de *blob.DigestError
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a DigestError", err)
	}
	if de.Layer != 1 || de.What != "diffID" || de.Expected != fakeDiffID || de.Actual != sha(b.parts.layers[1]) {
		t.Errorf("DigestError %+v, want layer 1 diffID %s, actually %s", de, fakeDiffID, sha(b.parts.layers[1]))
	}
	for _, h := range []v1.Hash{de.Expected, de.Actual} {
		if !strings.Contains(err.Error(), h.String()) {
			t.Errorf("error %q does not name %s", err, h)
		}
	}
}

// TestBadInput opens and analyzes inputs that are broken in every way a
// test could think of, and checks each fails with one line that says what
// is wrong, and leaves no goroutine running and no file open.
func TestBadInput(t *testing.T) {
	b := newBadImage(t)
	for _, tc := range append(badInputs(), hostileInputs()...) {
		t.Run(tc.name, func(t *testing.T) {
			ref := tc.build(t, b, t.TempDir())
			check := noLeaks(t)
			defer check()
			err := openAndAnalyze(t, ref, tc.atOpen)
			if err == nil {
				t.Fatalf("%s: no error", ref)
			}
			msg := err.Error()
			t.Log(msg)
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if tc.atOpen && !strings.Contains(msg, ref) {
				t.Errorf("error %q does not name %s", msg, ref)
			}
			// The words must be in what the error says, not in the path.
			said := strings.ReplaceAll(msg, ref, "")
			for _, w := range tc.want {
				if !strings.Contains(said, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if tc.check != nil {
				tc.check(t, b, err)
			}
		})
	}
}

// openAndAnalyze opens ref and, if that works, analyzes it, turning a
// panic into a test failure. atOpen says which of the two should fail.
func openAndAnalyze(t *testing.T, ref string, atOpen bool, opts ...analyze.Option) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: panic: %v", ref, r)
		}
	}()
	img, err := source.Open(ref)
	if err != nil {
		if !atOpen {
			t.Errorf("opening failed, want the analysis to fail: %v", err)
		}
		return err
	}
	defer func() {
		if cerr := img.Close(); cerr != nil {
			t.Errorf("closing: %v", cerr)
		}
	}()
	if atOpen {
		t.Errorf("%s opened, want an error from opening it", ref)
	}
	_, err = analyze.Analyze(context.Background(), img, opts...)
	return err
}

// TestBadDigestsIgnored checks that with errors ignored, digest and diffID
// mismatches become warnings on their layer.
func TestBadDigestsIgnored(t *testing.T) {
	b := newBadImage(t)
	for _, tc := range badInputs() {
		if tc.check == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			ref := tc.build(t, b, t.TempDir())
			check := noLeaks(t)
			defer check()
			img, err := source.Open(ref)
			if err != nil {
				t.Fatal(err)
			}
			defer img.Close()
			res, err := analyze.Analyze(context.Background(), img, analyze.WithIgnoreErrors(true))
			if err != nil {
				t.Fatalf("analysis ignoring errors failed: %v", err)
			}
			if len(res.Layers) != 7 {
				t.Fatalf("got %d layers, want 7", len(res.Layers))
			}
			for i, l := range res.Layers {
				if i != 1 && len(l.Warnings) != 0 {
					t.Errorf("layer %d has warnings %v", i, l.Warnings)
				}
			}
			ws := res.Layers[1].Warnings
			if len(ws) != 1 {
				t.Fatalf("layer 1 has %d warnings, want 1: %v", len(ws), ws)
			}
			tc.check(t, b, ws[0])
		})
	}
}
