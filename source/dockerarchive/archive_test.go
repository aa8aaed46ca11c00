package dockerarchive

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

func TestLayerID(t *testing.T) {
	hex := strings.Repeat("ab", 32)
	for in, want := range map[string]string{
		"0caf03/layer.tar":          "0caf03",
		"./0caf03/layer.tar":        "0caf03",
		"a/b/layer.tar":             "a",
		"blobs/sha256/" + hex:       hex,
		hex + ".tar.gz":             hex + ".tar.gz",
		hex + ".tar":                hex + ".tar",
		"layer.tgz":                 "layer.tgz",
		"plain":                     "plain",
		"blobs/sha256/not-a-digest": "blobs",
	} {
		if got := layerID(in); got != want {
			t.Errorf("layerID(%q) = %q, want %q", in, got, want)
		}
	}
}

func testImage(t *testing.T, content string) v1.Image {
	t.Helper()
	img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "COPY f /f", Entries: []imagetest.Entry{imagetest.Reg("f", content)}}})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestTags picks among the images of an archive by tag.
func TestTags(t *testing.T) {
	one, two := testImage(t, "one"), testImage(t, "two")
	tagOne, _ := name.NewTag("demo:one")
	tagTwo, _ := name.NewTag("demo:two")
	p := filepath.Join(t.TempDir(), "two.tar")
	if err := tarball.MultiRefWriteToFile(p, map[name.Reference]v1.Image{tagOne: one, tagTwo: two}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tag  string
		want v1.Image
	}{{"demo:one", one}, {"demo:two", two}} {
		fs, err := tarfs.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := Open(fs, WithTag(tc.tag))
		if err != nil {
			fs.Close()
			t.Fatal(err)
		}
		ls, _ := img.Layers()
		wantLs, _ := tc.want.Layers()
		wantDiff, _ := wantLs[0].DiffID()
		if len(ls) != 1 || ls[0].DiffID != wantDiff {
			t.Errorf("%s: layers %+v, want diffID %s", tc.tag, ls, wantDiff)
		}
		if got := img.Tags(); len(got) != 1 || got[0] != tc.tag {
			t.Errorf("%s: tags %v", tc.tag, got)
		}
		img.Close()
	}
	fs, err := tarfs.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	_, err = Open(fs, WithTag("demo:three"))
	if err == nil || !strings.Contains(err.Error(), "no image tagged demo:three") || !strings.Contains(err.Error(), "demo:one") {
		t.Errorf("unknown tag: %v", err)
	}
}
