//go:build unix

package extract_test

import (
	"archive/tar"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/extract"
	"github.com/strata-dev/strata/internal/imagetest"
)

// FuzzExtract analyzes any two layer tars and extracts / from the top:
// whatever the names, links and types, nothing is written outside the
// output directory, no symlink written there leads out of it, and nothing
// panics.
func FuzzExtract(f *testing.F) {
	seed := func(es ...imagetest.RawEntry) []byte {
		data, err := imagetest.RawTar(es, tar.FormatPAX)
		if err != nil {
			f.Fatal(err)
		}
		return data
	}
	f.Add(seed(imagetest.RawEntry{Name: "a/b", Body: "x"}, imagetest.RawEntry{Name: "l", Type: tar.TypeSymlink, Link: "../../etc"}),
		seed(imagetest.RawEntry{Name: "a/.wh.b"}, imagetest.RawEntry{Name: "h", Type: tar.TypeLink, Link: "a/b"}))
	f.Add(seed(imagetest.RawEntry{Name: "d", Type: tar.TypeSymlink, Link: "/"}, imagetest.RawEntry{Name: "d/x", Body: "through the link"}),
		seed(imagetest.RawEntry{Name: "../up", Body: "y"}, imagetest.RawEntry{Name: "d/../../z", Type: tar.TypeSymlink, Link: "d"}))
	f.Add(seed(imagetest.RawEntry{Name: "x", Type: tar.TypeSymlink, Link: "y/../../.."}, imagetest.RawEntry{Name: "y", Type: tar.TypeSymlink, Link: "x"}),
		seed(imagetest.RawEntry{Name: "x/", Type: tar.TypeDir}, imagetest.RawEntry{Name: "x/f", Body: "z"}))
	f.Fuzz(func(t *testing.T, lower, upper []byte) {
		var img imagetest.LayersImage
		for _, l := range [][]byte{lower, upper} {
			img = append(img, imagetest.BytesLayer(l))
		}
		res, err := analyze.Analyze(context.Background(), img)
		if err != nil {
			return // not layers: an error is the right answer
		}
		outer := t.TempDir()
		dir := filepath.Join(outer, "out")
		_, err = extract.Extract(context.Background(), res, img, 1, "/", dir)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("a message of more than one line: %q", err)
		}
		entries, _ := os.ReadDir(outer)
		if len(entries) != 1 || entries[0].Name() != "out" {
			t.Fatalf("written beside the output directory: %v", entries)
		}
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.Type() != fs.ModeSymlink {
				return nil
			}
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				return nil // dangling, or a loop: it leads nowhere
			}
			if rel, err := filepath.Rel(dir, target); err != nil || !filepath.IsLocal(rel) && rel != "." {
				t.Errorf("symlink %s leads out of the output directory, to %s", p, target)
			}
			return nil
		})
	})
}
