package source_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
)

// diveFixtures is the folder of dive's own test images, beside the
// repository; tests that need it skip when it is not there.
func diveFixtures(t *testing.T) string { return livetest.DiveFixtures(t) }

// demoSteps build an image with files, a symlink, a hard link, whiteouts of
// a file and of a directory, an opaque directory and the same layer twice.
func demoSteps() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "ADD rootfs.tar / # buildkit", Entries: []imagetest.Entry{
			imagetest.Dir("bin/"),
			{Path: "bin/sh", Size: 40 << 10, Mode: 0o755},
			imagetest.Symlink("bin/bash", "sh"),
			imagetest.Dir("etc/"),
			imagetest.Reg("etc/os-release", "ID=strata\n"),
			imagetest.Dir("var/"),
			imagetest.Dir("var/cache/"),
			{Path: "var/cache/big.bin", Size: 64 << 10},
		}},
		{CreatedBy: "ENV PATH=/bin", Empty: true},
		{CreatedBy: "RUN apt-get install tool", Entries: []imagetest.Entry{
			imagetest.Dir("etc/"),
			imagetest.Reg("etc/os-release", "ID=strata\nVERSION=2\n"),
			imagetest.Dir("usr/"),
			imagetest.Dir("usr/bin/"),
			{Path: "usr/bin/tool", Size: 10000, Mode: 0o755},
			imagetest.Dir("var/cache/apt/"),
			{Path: "var/cache/apt/pkg.deb", Size: 20000},
		}},
		{CreatedBy: "RUN mkdir /tmp", Entries: []imagetest.Entry{imagetest.Dir("tmp/").WithMode(0o1777)}},
		{CreatedBy: "RUN rm -rf /var/cache/apt /bin/bash", Entries: []imagetest.Entry{
			imagetest.Dir("bin/"),
			imagetest.Whiteout("bin/bash"),
			imagetest.Dir("var/cache/"),
			imagetest.Whiteout("var/cache/apt"),
		}},
		{CreatedBy: "RUN mkdir /tmp", Entries: []imagetest.Entry{imagetest.Dir("tmp/").WithMode(0o1777)}},
		{CreatedBy: "RUN reset /var/cache", Entries: []imagetest.Entry{
			imagetest.Dir("var/cache/"),
			imagetest.Opaque("var/cache"),
			imagetest.Reg("var/cache/fresh", "new"),
		}},
		{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{
			imagetest.Dir("app/"),
			imagetest.Reg("app/main", "#!/bin/sh\necho hi\n").WithMode(0o755).WithOwner(1000, 1000),
			imagetest.Hardlink("app/main2", "app/main"),
		}},
	}
}

// member is one entry of a tar written by writeTar.
type member struct {
	name string
	data []byte
	typ  byte // tar.TypeReg when zero
	link string
}

// writeTar writes members, in order, as a tar file.
func writeTar(t *testing.T, path string, members []member) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Typeflag: m.typ, Linkname: m.link, Mode: 0o644,
			ModTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
		switch m.typ {
		case 0, tar.TypeReg:
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(m.data))
		case tar.TypeDir:
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha(b []byte) v1.Hash {
	s := sha256.Sum256(b)
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(s[:])}
}

// parts are the pieces of an image a test writes into an archive itself:
// the raw config and the uncompressed layer tars.
type parts struct {
	config []byte
	layers [][]byte
}

func imageParts(t *testing.T, img v1.Image) parts {
	t.Helper()
	cfg, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	p := parts{config: cfg}
	for _, l := range ls {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		p.layers = append(p.layers, b)
	}
	return p
}

// classicMembers lays an image out the way `docker save` did before Docker
// 25: <id>/layer.tar with <id>/json and <id>/VERSION, <config hex>.json,
// manifest.json and repositories. A layer whose tar an earlier layer
// already stored is a symlink to it, as docker writes it.
func classicMembers(t *testing.T, p parts, tag string) []member {
	t.Helper()
	var ms []member
	var names []string
	first := map[v1.Hash]string{}
	parent := ""
	for _, b := range p.layers {
		diffID := sha(b)
		id := sha([]byte(parent + diffID.String())).Hex
		ms = append(ms,
			member{name: id + "/", typ: tar.TypeDir},
			member{name: id + "/VERSION", data: []byte("1.0")},
			member{name: id + "/json", data: mustJSON(t, map[string]string{"id": id, "parent": parent})})
		if prev, ok := first[diffID]; ok {
			ms = append(ms, member{name: id + "/layer.tar", typ: tar.TypeSymlink, link: "../" + prev})
		} else {
			first[diffID] = id + "/layer.tar"
			ms = append(ms, member{name: id + "/layer.tar", data: b})
		}
		names = append(names, id+"/layer.tar")
		parent = id
	}
	cfgName := sha(p.config).Hex + ".json"
	ms = append(ms, member{name: cfgName, data: p.config})
	ms = append(ms, member{name: "manifest.json", data: mustJSON(t, []map[string]any{
		{"Config": cfgName, "RepoTags": []string{tag}, "Layers": names},
	})})
	repo, ver, _ := strings.Cut(tag, ":")
	ms = append(ms, member{name: "repositories", data: mustJSON(t, map[string]map[string]string{repo: {ver: parent}})})
	return ms
}

// docker25Members lays an image out the way `docker save` does since Docker
// 25: every blob under blobs/sha256/, manifest.json naming them, and
// index.json and oci-layout beside it. Layers are stored uncompressed.
func docker25Members(t *testing.T, p parts, tag string) []member {
	t.Helper()
	ms := []member{{name: "blobs/", typ: tar.TypeDir}, {name: "blobs/sha256/", typ: tar.TypeDir}}
	stored := map[v1.Hash]bool{}
	blob := func(b []byte) v1.Hash {
		h := sha(b)
		if !stored[h] {
			stored[h] = true
			ms = append(ms, member{name: "blobs/sha256/" + h.Hex, data: b})
		}
		return h
	}
	cfg := blob(p.config)
	mf := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		Config:        v1.Descriptor{MediaType: types.OCIConfigJSON, Size: int64(len(p.config)), Digest: cfg},
	}
	var names []string
	for _, b := range p.layers {
		h := blob(b)
		mf.Layers = append(mf.Layers, v1.Descriptor{MediaType: types.OCIUncompressedLayer, Size: int64(len(b)), Digest: h})
		names = append(names, "blobs/sha256/"+h.Hex)
	}
	rawMf := mustJSON(t, mf)
	mfDigest := blob(rawMf)
	idx := v1.IndexManifest{
		SchemaVersion: 2,
		MediaType:     types.OCIImageIndex,
		Manifests: []v1.Descriptor{{
			MediaType: types.OCIManifestSchema1, Size: int64(len(rawMf)), Digest: mfDigest,
			Annotations: map[string]string{"io.containerd.image.name": "docker.io/library/" + tag},
		}},
	}
	ms = append(ms,
		member{name: "index.json", data: mustJSON(t, idx)},
		member{name: "manifest.json", data: mustJSON(t, []map[string]any{
			{"Config": "blobs/sha256/" + cfg.Hex, "RepoTags": []string{tag}, "Layers": names},
		})},
		member{name: "oci-layout", data: []byte(`{"imageLayoutVersion":"1.0.0"}`)},
		member{name: "repositories", data: mustJSON(t, map[string]map[string]string{})})
	return ms
}

// summary is what an analysis found, in a form to compare across sources.
type summary struct {
	DiffIDs  []string
	Sizes    []int64
	Files    []int
	Commands []string
	Metrics  metrics.Metrics
	Paths    []string // every path of the tree
	Entries  []string // every entry of every layer
}

func summarize(res *analyze.Result) summary {
	var s summary
	for _, l := range res.Layers {
		s.DiffIDs = append(s.DiffIDs, l.DiffID.String())
		s.Sizes = append(s.Sizes, l.Size)
		s.Files = append(s.Files, l.Files)
		s.Commands = append(s.Commands, l.Command)
	}
	s.Metrics = res.Metrics
	for n := range res.Tree.Len() {
		s.Paths = append(s.Paths, res.Tree.Path(tree.NodeID(n)))
	}
	slices.Sort(s.Paths)
	for id := range res.Tree.Entries() {
		e := res.Tree.Entry(tree.EntryID(id))
		s.Entries = append(s.Entries, fmt.Sprintf("L%d %s kind=%d type=%c mode=%v size=%d hash=%x link=%q death=%d",
			e.Layer, res.Tree.Path(e.Node), e.Kind, e.Type, e.Mode, e.Size, e.Hash, res.Tree.Link(e), e.Death))
	}
	return s
}

// openAnalyze opens ref and analyzes it.
func openAnalyze(t *testing.T, ref string, opts ...source.Option) (*source.Image, *analyze.Result) {
	t.Helper()
	img, err := source.Open(ref, opts...)
	if err != nil {
		t.Fatalf("opening %s: %v", ref, err)
	}
	t.Cleanup(func() { img.Close() })
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatalf("analyzing %s: %v", ref, err)
	}
	return img, res
}

// openFDs counts the files the process has open, or -1 where that cannot
// be told.
func openFDs() int {
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(es)
}

// noLeaks records the goroutines and open files now and returns a check
// that, after a short grace, there are no more of either.
func noLeaks(t *testing.T) func() {
	t.Helper()
	g0, f0 := runtime.NumGoroutine(), openFDs()
	return func() {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for {
			g, f := runtime.NumGoroutine(), openFDs()
			if g <= g0 && f <= f0 {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("leak: %d goroutines before, %d after; %d open files before, %d after\n%s", g0, g, f0, f, buf)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
