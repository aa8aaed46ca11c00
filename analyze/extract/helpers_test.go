//go:build unix

package extract_test

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// image is an analyzed image built in code, with a count of how often
// each layer was opened.
type builtImage struct {
	res    *analyze.Result
	layers []image.Layer
	opens  []atomic.Int32
}

func build(t *testing.T, steps ...imagetest.Step) *builtImage {
	t.Helper()
	img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	return analyzed(t, src)
}

// buildRaw is an image of layers given as their tar bytes.
func buildRaw(t *testing.T, layers ...[]byte) *builtImage {
	t.Helper()
	var img imagetest.LayersImage
	for _, l := range layers {
		img = append(img, imagetest.BytesLayer(l))
	}
	return analyzed(t, img)
}

func analyzed(t *testing.T, src image.Image) *builtImage {
	t.Helper()
	res, err := analyze.Analyze(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := src.Layers()
	if err != nil {
		t.Fatal(err)
	}
	im := &builtImage{res: res, opens: make([]atomic.Int32, len(layers))}
	for i, l := range layers {
		open := l.Open
		l.Open = func() (io.ReadCloser, error) {
			im.opens[i].Add(1)
			return open()
		}
		im.layers = append(im.layers, l)
	}
	return im
}

// resetOpens forgets the opens of the analysis.
func (im *builtImage) resetOpens() {
	for i := range im.opens {
		im.opens[i].Store(0)
	}
}

func (im *builtImage) openCounts() []int {
	var out []int
	for i := range im.opens {
		out = append(out, int(im.opens[i].Load()))
	}
	return out
}

// listing describes everything below dir, one line per path, sorted:
// "path mode" plus " -> target" for symlinks and " = contents" for files.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		line := rel + " " + fi.Mode().String()
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			line += " -> " + target
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += " = " + string(data)
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func diff(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// withUmask runs the test under umask 022, so that modes can be asserted.
func withUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}
