package source_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/source"
)

// The fuzz targets here build small images by hand. Their layers are
// plain tars, so that the fuzzer can reach into them too.

// fuzzLayers are two small layer tars: files, a directory, a symlink, a
// whiteout and an opaque marker.
var fuzzLayers = [][]byte{
	tarOf(tar.Header{Name: "etc/", Typeflag: tar.TypeDir, Mode: 0o755}, tar.Header{Name: "etc/a", Mode: 0o644}, tar.Header{Name: "bin", Typeflag: tar.TypeSymlink, Linkname: "usr/bin"}),
	tarOf(tar.Header{Name: "etc/.wh.a"}, tar.Header{Name: "etc/.wh..wh..opq"}, tar.Header{Name: "etc/b", Mode: 0o600}),
}

// tarOf writes headers as a tar; regular files hold their own name.
func tarOf(hs ...tar.Header) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, h := range hs {
		h.ModTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(h.Name))
		}
		if err := tw.WriteHeader(&h); err != nil {
			panic(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write([]byte(h.Name))
		}
	}
	tw.Close()
	return b.Bytes()
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// fuzzConfig is a config for fuzzLayers with the diffIDs written as @D0 and
// @D1, for expand to fill in.
const fuzzConfig = `{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["@D0","@D1"]},` +
	`"history":[{"created_by":"ADD a"},{"created_by":"ENV x=1","empty_layer":true},{"created_by":"RUN b"}]}`

// expand replaces the placeholders a fuzzed document may hold by real
// digests and sizes, so that the fuzzer reaches past the digest checks:
// @C and @CS are the config's digest and size, @D0/@D1 the layers' diffIDs
// (their digests, as they are stored plain), @L0S/@L1S their sizes, @M and
// @MS the manifest's.
func expand(doc []byte, config, manifest []byte) []byte {
	pairs := []string{"@CS", fmt.Sprint(len(config)), "@C", digestOf(config)}
	if manifest != nil {
		pairs = append(pairs, "@MS", fmt.Sprint(len(manifest)), "@M", digestOf(manifest))
	}
	for i, l := range fuzzLayers {
		pairs = append(pairs, fmt.Sprintf("@L%dS", i), fmt.Sprint(len(l)), fmt.Sprintf("@D%d", i), digestOf(l))
	}
	return []byte(strings.NewReplacer(pairs...).Replace(string(doc)))
}

// fuzzOpenAnalyze opens ref and, when that works, analyzes it, with a
// deadline: neither may panic or hang, and an error must name ref.
func fuzzOpenAnalyze(t *testing.T, ref string) {
	t.Helper()
	defer time.AfterFunc(20*time.Second, func() { panic("opening and analyzing " + ref + " takes more than 20s") }).Stop()
	img, err := source.Open(ref)
	if err != nil {
		if !strings.Contains(err.Error(), ref) {
			t.Fatalf("the error does not name %s: %v", ref, err)
		}
		if i := strings.IndexFunc(err.Error(), func(r rune) bool {
			return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
		}); i >= 0 {
			t.Fatalf("the error holds %q: %q", []rune(err.Error()[i:])[0], err)
		}
		if !utf8.ValidString(err.Error()) {
			t.Fatalf("the error is not UTF-8: %q", err)
		}
		return
	}
	defer img.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := analyze.Analyze(ctx, img)
	if err != nil {
		return
	}
	if len(res.Layers) != len(must(img.Layers())) {
		t.Fatalf("%d layers analyzed of %d", len(res.Layers), len(must(img.Layers())))
	}
	if err := report.New(res, report.Meta{Reference: ref}).Write(discard{}); err != nil {
		t.Fatal(err)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fuzzDockerArchive is a docker save archive of fuzzLayers with the given
// manifest.json and config (placeholders expanded), and the layers stored
// plain, gzip'ed and as a symlink.
func fuzzDockerArchive(manifest, config []byte) []byte {
	config = expand(config, nil, nil)
	manifest = expand(manifest, config, nil)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(fuzzLayers[1])
	zw.Close()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, m := range []struct {
		name, link string
		data       []byte
	}{
		{name: "l0/layer.tar", data: fuzzLayers[0]},
		{name: "l1/layer.tar", data: fuzzLayers[1]},
		{name: "l1/layer.tar.gz", data: gz.Bytes()},
		{name: "l2/layer.tar", link: "../l0/layer.tar"},
		{name: "config.json", data: config},
		{name: "manifest.json", data: manifest},
	} {
		h := &tar.Header{Name: m.name, Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(m.data))}
		if m.link != "" {
			h.Typeflag, h.Linkname = tar.TypeSymlink, m.link
		}
		if err := tw.WriteHeader(h); err != nil {
			panic(err)
		}
		tw.Write(m.data)
	}
	tw.Close()
	return b.Bytes()
}

const fuzzDockerManifest = `[{"Config":"config.json","RepoTags":["fuzz:latest"],"Layers":["l0/layer.tar","l1/layer.tar"]}]`

// FuzzOpen writes arbitrary bytes to a file and opens it as an image:
// archive detection, the tar index, manifest.json or index.json, and, when
// it opens, the analysis of its layers.
func FuzzOpen(f *testing.F) {
	f.Add(fuzzDockerArchive([]byte(fuzzDockerManifest), []byte(fuzzConfig)))
	f.Add(fuzzOCIArchive([]byte(fuzzIndex), []byte(fuzzManifest)))
	f.Add(fuzzLayers[0])
	f.Add([]byte{})
	f.Add([]byte("{}"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "image.tar")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fuzzOpenAnalyze(t, p)
	})
}

// FuzzDockerArchive fuzzes manifest.json and the config of a docker save
// archive whose layers are valid.
func FuzzDockerArchive(f *testing.F) {
	for _, seed := range [][2]string{
		{fuzzDockerManifest, fuzzConfig},
		{`[{"Config":"config.json","Layers":["l0/layer.tar","l1/layer.tar.gz"],"LayerSources":{"@D1":{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1,"digest":"@D1"}}}]`, fuzzConfig},
		{`[{"Config":"config.json","Layers":["l2/layer.tar","l1/layer.tar"]}]`, fuzzConfig},
		{`[{"Config":"config.json","Layers":["../../etc/passwd","/l0/layer.tar"]}]`, fuzzConfig},
		{`[{"Config":"l0/layer.tar","Layers":[]}]`, `{"rootfs":{"diff_ids":[]}}`},
		{`[]`, `{}`},
		{fuzzDockerManifest, `{"rootfs":{"type":"layers","diff_ids":["@D0","@D1"]},"history":[{"empty_layer":true},{},{},{},{}]}`},
		{fuzzDockerManifest, `{"rootfs":{"type":"layers","diff_ids":["@D1","sha256:x"]},"history":[]}`},
	} {
		f.Add([]byte(seed[0]), []byte(seed[1]))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, manifest, config []byte) {
		p := filepath.Join(dir, "docker.tar")
		if err := os.WriteFile(p, fuzzDockerArchive(manifest, config), 0o644); err != nil {
			t.Fatal(err)
		}
		fuzzOpenAnalyze(t, p)
	})
}

const (
	fuzzManifest = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",` +
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"@C","size":@CS},` +
		`"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"@D0","size":@L0S},` +
		`{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"@D1","size":@L1S}]}`
	fuzzIndex = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[` +
		`{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@M","size":@MS,"platform":{"os":"linux","architecture":"amd64"}}]}`
)

// fuzzBlobs are the blobs of a layout: the config, the layers and the
// manifest, by digest.
func fuzzBlobs(index, manifest []byte) (idx []byte, blobs map[string][]byte) {
	config := expand([]byte(fuzzConfig), nil, nil)
	manifest = expand(manifest, config, nil)
	idx = expand(index, config, manifest)
	blobs = map[string][]byte{digestOf(config): config, digestOf(manifest): manifest}
	for _, l := range fuzzLayers {
		blobs[digestOf(l)] = l
	}
	return idx, blobs
}

// fuzzOCIArchive is an oci-archive of an index and a manifest.
func fuzzOCIArchive(index, manifest []byte) []byte {
	idx, blobs := fuzzBlobs(index, manifest)
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	add := func(name string, data []byte) {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(data))})
		tw.Write(data)
	}
	add("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`))
	add("index.json", idx)
	for d, data := range blobs {
		add("blobs/sha256/"+strings.TrimPrefix(d, "sha256:"), data)
	}
	tw.Close()
	return b.Bytes()
}

// FuzzOCILayout fuzzes index.json and the image manifest of an OCI layout
// directory whose config and layers are valid.
func FuzzOCILayout(f *testing.F) {
	for _, seed := range [][2]string{
		{fuzzIndex, fuzzManifest},
		{`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@M","size":@MS}]}`, fuzzManifest},
		{`{"schemaVersion":2,"manifests":[]}`, fuzzManifest},
		{`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"@M","size":@MS}]}`,
			`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@C","size":@CS}]}`},
		{`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@M","size":@MS,"platform":{"os":"unknown","architecture":"unknown"}}]}`, fuzzManifest},
		{`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@C","size":1},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@M","size":@MS,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]}`, fuzzManifest},
		{fuzzIndex, `{"schemaVersion":2,"config":{"digest":"@C"},"layers":[{"digest":"@D1","mediaType":"application/vnd.oci.image.layer.v1.tar+zstd"},{"digest":"sha256:../../x"}]}`},
		{`{"manifests":[{"digest":"sha256:0000"}]}`, `null`},
	} {
		f.Add([]byte(seed[0]), []byte(seed[1]))
	}
	f.Fuzz(func(t *testing.T, index, manifest []byte) {
		dir := t.TempDir()
		idx, blobs := fuzzBlobs(index, manifest)
		files := map[string][]byte{"oci-layout": []byte(`{"imageLayoutVersion":"1.0.0"}`), "index.json": idx}
		for d, data := range blobs {
			files[filepath.Join("blobs", "sha256", strings.TrimPrefix(d, "sha256:"))] = data
		}
		if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fuzzOpenAnalyze(t, dir)
	})
}
