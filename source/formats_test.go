package source_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// written is one way of storing the demo image.
type written struct {
	name string
	path string
	kind source.Kind
}

// writeAllKinds stores the demo image in every form strata reads.
func writeAllKinds(t *testing.T) []written {
	t.Helper()
	dir := t.TempDir()
	steps := demoSteps()
	build := func(opts ...imagetest.Option) v1.Image {
		img, err := imagetest.Image(steps, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	index := func(img v1.Image) v1.ImageIndex {
		idx, err := imagetest.Index(img)
		if err != nil {
			t.Fatal(err)
		}
		return idx
	}
	docker := build()
	ociGzip := build(imagetest.WithOCIMediaTypes())
	ociZstd := build(imagetest.WithCompression(compression.ZStd))
	ociNone := build(imagetest.WithOCIMediaTypes(), imagetest.WithCompression(compression.None))

	// Compression changes the manifests, never the config: every form
	// holds the same image.
	want, _ := docker.ConfigName()
	for _, img := range []v1.Image{ociGzip, ociZstd, ociNone} {
		if got, _ := img.ConfigName(); got != want {
			t.Fatalf("config %s differs from %s", got, want)
		}
	}

	var out []written
	add := func(name string, kind source.Kind, write func(path string) error) {
		p := filepath.Join(dir, name)
		if err := write(p); err != nil {
			t.Fatal(err)
		}
		out = append(out, written{name, p, kind})
	}
	p := imageParts(t, docker)
	add("classic.tar", source.DockerArchive, func(path string) error {
		writeTar(t, path, classicMembers(t, p, "demo:latest"))
		return nil
	})
	add("docker25.tar", source.DockerArchive, func(path string) error {
		writeTar(t, path, docker25Members(t, p, "demo:latest"))
		return nil
	})
	add("ggcr.tar", source.DockerArchive, func(path string) error {
		return imagetest.WriteDockerArchive(path, docker, "demo:latest")
	})
	add("oci-gzip.tar", source.OCIArchive, func(path string) error {
		return imagetest.WriteOCIArchive(path, index(ociGzip))
	})
	add("oci-zstd.tar", source.OCIArchive, func(path string) error {
		return imagetest.WriteOCIArchive(path, index(ociZstd))
	})
	add("oci-gzip", source.OCILayout, func(path string) error {
		return imagetest.WriteOCILayout(path, index(ociGzip))
	})
	add("oci-none", source.OCILayout, func(path string) error {
		return imagetest.WriteOCILayout(path, index(ociNone))
	})
	return out
}

// TestEveryKindSameAnalysis stores one image in every form strata reads
// and checks each opens as its kind, with or without a prefix or
// --source, and analyzes to the same result.
func TestEveryKindSameAnalysis(t *testing.T) {
	forms := writeAllKinds(t)
	var want summary
	for i, w := range forms {
		t.Run(w.name, func(t *testing.T) {
			prefixed := string(w.kind) + "://" + w.path
			for _, c := range []struct {
				ref  string
				opts []source.Option
			}{
				{w.path, nil},
				{prefixed, nil},
				{w.path, []source.Option{source.WithKind(w.kind)}},
				{prefixed, []source.Option{source.WithKind(w.kind)}},
			} {
				ref, opts := c.ref, c.opts
				img, res := openAnalyze(t, ref, opts...)
				if img.Kind != w.kind {
					t.Errorf("%s: kind %q, want %q", ref, img.Kind, w.kind)
				}
				if img.Reference != w.path {
					t.Errorf("%s: reference %q, want %q", ref, img.Reference, w.path)
				}
				if got := source.FormatPlatform(img.Platform); got != "linux/amd64" {
					t.Errorf("%s: platform %s, want linux/amd64", ref, got)
				}
				got := summarize(res)
				if i == 0 && want.DiffIDs == nil {
					want = got
					checkDemo(t, res)
					continue
				}
				compareSummaries(t, ref, got, want)
			}
		})
	}
}

// checkDemo checks the analysis of the demo image against what its steps
// say, so that all forms agreeing means they are all right.
func checkDemo(t *testing.T, res *analyze.Result) {
	t.Helper()
	if len(res.Layers) != 7 {
		t.Fatalf("got %d layers, want 7", len(res.Layers))
	}
	if res.Layers[2].DiffID != res.Layers[4].DiffID {
		t.Errorf("the two mkdir layers differ: %s, %s", res.Layers[2].DiffID, res.Layers[4].DiffID)
	}
	if got := res.Layers[1].Command; got != "RUN apt-get install tool" {
		t.Errorf("layer 1 command %q", got)
	}
	last := len(res.Layers) - 1
	visible := func(p string) bool {
		n, ok := res.Tree.Lookup(p)
		if !ok {
			return false
		}
		_, ok = res.Tree.VersionAt(n, last)
		return ok
	}
	for _, p := range []string{"/bin/sh", "/etc/os-release", "/usr/bin/tool", "/var/cache/fresh", "/app/main", "/app/main2", "/tmp"} {
		if !visible(p) {
			t.Errorf("%s is not in the final image", p)
		}
	}
	for _, p := range []string{"/bin/bash", "/var/cache/apt", "/var/cache/apt/pkg.deb", "/var/cache/big.bin"} {
		if visible(p) {
			t.Errorf("%s is in the final image but was removed", p)
		}
	}
	if res.Metrics.ReclaimableBytes == 0 || res.Metrics.WastedBytes == 0 {
		t.Errorf("metrics %+v: want some reclaimable and wasted bytes", res.Metrics)
	}
}

func compareSummaries(t *testing.T, ref string, got, want summary) {
	t.Helper()
	if !slices.Equal(got.DiffIDs, want.DiffIDs) {
		t.Errorf("%s: diffIDs\n%v\nwant\n%v", ref, got.DiffIDs, want.DiffIDs)
	}
	if !slices.Equal(got.Sizes, want.Sizes) {
		t.Errorf("%s: layer sizes %v, want %v", ref, got.Sizes, want.Sizes)
	}
	if !slices.Equal(got.Files, want.Files) {
		t.Errorf("%s: layer files %v, want %v", ref, got.Files, want.Files)
	}
	if !slices.Equal(got.Commands, want.Commands) {
		t.Errorf("%s: commands %q, want %q", ref, got.Commands, want.Commands)
	}
	if !reflect.DeepEqual(got.Metrics, want.Metrics) {
		t.Errorf("%s: metrics\n%+v\nwant\n%+v", ref, got.Metrics, want.Metrics)
	}
	if !slices.Equal(got.Paths, want.Paths) {
		t.Errorf("%s: paths\n%s\nwant\n%s", ref, strings.Join(got.Paths, "\n"), strings.Join(want.Paths, "\n"))
	}
	if !slices.Equal(got.Entries, want.Entries) {
		t.Errorf("%s: entries\n%s\nwant\n%s", ref, strings.Join(got.Entries, "\n"), strings.Join(want.Entries, "\n"))
	}
}

// TestDocker25AsOCIArchive reads a Docker 25 save, which is also an OCI
// layout, through its index.json.
func TestDocker25AsOCIArchive(t *testing.T) {
	forms := writeAllKinds(t)
	var d25, classic string
	for _, w := range forms {
		switch w.name {
		case "docker25.tar":
			d25 = w.path
		case "classic.tar":
			classic = w.path
		}
	}
	img, res := openAnalyze(t, "oci-archive://"+d25)
	if img.Kind != source.OCIArchive {
		t.Errorf("kind %q, want oci-archive", img.Kind)
	}
	_, want := openAnalyze(t, classic)
	compareSummaries(t, d25, summarize(res), summarize(want))
	// Its layers are named by digest; a classic archive's by directory.
	for i, l := range res.Layers {
		if l.ID != l.Digest.Hex || l.Digest != l.DiffID {
			t.Errorf("layer %d: id %s digest %s diffID %s", i, l.ID, l.Digest, l.DiffID)
		}
	}
}

// TestKindContradictions checks that asking for a kind the input is not,
// or a prefix that --source contradicts, fails with a message that says so.
func TestKindContradictions(t *testing.T) {
	forms := writeAllKinds(t)
	paths := map[string]string{}
	for _, w := range forms {
		paths[w.name] = w.path
	}
	for _, tc := range []struct {
		name string
		ref  string
		opts []source.Option
		want []string
	}{
		{"prefix against --source", "oci-archive://" + paths["oci-gzip.tar"],
			[]source.Option{source.WithKind(source.DockerArchive)}, []string{"prefix says oci-archive", "--source says docker-archive"}},
		{"oci prefix against --source", "oci://" + paths["oci-gzip"],
			[]source.Option{source.WithKind(source.OCIArchive)}, []string{"prefix says oci", "--source says oci-archive"}},
		{"docker prefix on an oci-archive", "docker-archive://" + paths["oci-gzip.tar"], nil, []string{"is an oci-archive", "no manifest.json", "oci-archive://"}},
		{"oci prefix on a file", "oci://" + paths["classic.tar"], nil, []string{"is a file", "not an OCI layout directory"}},
		{"archive prefix on a directory", "oci-archive://" + paths["oci-gzip"], nil, []string{"is a directory", "oci-archive"}},
		{"docker-archive --source on a directory", paths["oci-gzip"],
			[]source.Option{source.WithKind(source.DockerArchive)}, []string{"is a directory", "docker-archive"}},
		{"oci-archive on a classic archive", "oci-archive://" + paths["classic.tar"], nil, []string{"is a docker-archive", "no index.json", "docker-archive://"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := source.Open(tc.ref, tc.opts...)
			if err == nil {
				img.Close()
				t.Fatalf("opened %s", tc.ref)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q is not one line", msg)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range append([]source.Kind{source.Auto}, source.Kinds()...) {
		got, err := source.ParseKind(string(k))
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	_, err := source.ParseKind("dockerd")
	if err == nil || !strings.Contains(err.Error(), "docker-archive, oci-archive, oci, docker, podman, registry") {
		t.Errorf("ParseKind(dockerd) error = %v", err)
	}
	for ref, want := range map[string]source.Kind{
		"docker-archive://a.tar": source.DockerArchive,
		"oci-archive://a.tar":    source.OCIArchive,
		"oci://dir":              source.OCILayout,
		"a.tar":                  source.Auto,
		"docker://a":             source.Docker,
		"podman://a":             source.Podman,
		"registry://a/b:c":       source.Registry,
		"containerd://busybox":   source.Containerd,
		"container://web":        source.Container,
		"containers://web":       source.Auto,
		"docker:a":               source.Auto,
	} {
		if k, _ := source.SplitPrefix(ref); k != want {
			t.Errorf("SplitPrefix(%q) kind = %q, want %q", ref, k, want)
		}
	}
}
