package index_test

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source/oci"
)

// provenance is a SLSA v0.2 predicate as BuildKit writes one for a build
// with a # syntax= line, a build argument and a git context.
func provenance(platform string) map[string]any {
	return map[string]any{
		"builder":   map[string]any{"id": "https://github.com/example/app/actions/runs/1"},
		"buildType": "https://mobyproject.org/buildkit@v1",
		"materials": []any{
			map[string]any{"uri": "pkg:docker/docker/dockerfile@1", "digest": map[string]string{"sha256": sha('f')}},
			map[string]any{"uri": "pkg:docker/alpine@3.20?platform=" + platform, "digest": map[string]string{"sha256": sha('a')}},
			map[string]any{"uri": "https://github.com/example/app.git#main", "digest": map[string]string{"sha1": "0123456789abcdef0123456789abcdef01234567"}},
		},
		"invocation": map[string]any{
			"configSource": map[string]any{"entryPoint": "Dockerfile"},
			"parameters": map[string]any{
				"frontend": "gateway.v0",
				"args": map[string]string{
					"build-arg:VERSION": "1.2.3",
					"source":            "docker/dockerfile:1",
					"label:org.example": "yes",
				},
			},
		},
		"metadata": map[string]any{
			"buildStartedOn": "2024-01-01T00:00:00Z",
			"https://mobyproject.org/buildkit@v1#metadata": map[string]any{
				"vcs": map[string]string{"source": "https://github.com/example/app", "revision": "0123456789abcdef0123456789abcdef01234567"},
			},
		},
	}
}

func sha(c byte) string { return string(bytes.Repeat([]byte{c}, 64)) }

var testPlatforms = []string{"linux/amd64", "linux/arm64/v8"}

// buildIndex is 2 platforms × 8 layers of 16 KiB, the first 3 shared,
// each attested with a provenance and an SPDX SBOM.
func buildIndex(t testing.TB) (v1.ImageIndex, []v1.Image) {
	t.Helper()
	imgs, err := imagetest.PlatformImages(testPlatforms, 8, 3, 16<<10, imagetest.WithOCIMediaTypes())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := imagetest.AttestedIndex(imgs, func(i int) []imagetest.Statement {
		return []imagetest.Statement{
			{PredicateType: "https://slsa.dev/provenance/v0.2", Predicate: provenance(testPlatforms[i])},
			{PredicateType: "https://spdx.dev/Document", Predicate: map[string]any{
				"spdxVersion": "SPDX-2.3", "name": "sbom-" + testPlatforms[i],
				"packages": []any{map[string]string{"name": "busybox"}, map[string]string{"name": "musl"}},
			}},
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return idx, imgs
}

func writeLayout(t testing.TB, idx v1.ImageIndex) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, idx); err != nil {
		t.Fatal(err)
	}
	return dir
}

func openLayout(t testing.TB, dir string) *oci.Documents {
	t.Helper()
	docs, err := oci.OpenDocumentsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { docs.Close() })
	return docs
}

// uncompressedSize is the length of a layer's tar.
func uncompressedSize(t testing.TB, l v1.Layer) int64 {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
