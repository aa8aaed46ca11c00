package layerfile_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layerfile"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// member is one member of a hand-built layer tar.
type member struct {
	name string
	typ  byte
	body string
	link string
}

// tarLayer writes members into a tar, gzipped when gz is set, and returns
// it as a layer.
func tarLayer(t *testing.T, gz bool, members ...member) image.Layer {
	t.Helper()
	var buf bytes.Buffer
	var w io.Writer = &buf
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		w = zw
	}
	tw := tar.NewWriter(w)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Typeflag: m.typ, Mode: 0o644, Linkname: m.link}
		if m.typ == tar.TypeReg {
			h.Size = int64(len(m.body))
		}
		if m.typ == tar.TypeDir {
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, m.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	data := buf.Bytes()
	return image.Layer{Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

func reg(name, body string) member { return member{name: name, typ: tar.TypeReg, body: body} }

func TestReadFile(t *testing.T) {
	members := []member{
		{name: "etc/", typ: tar.TypeDir},
		reg("etc/hosts", "127.0.0.1 localhost\n"),
		reg("./etc/motd", "first"),
		{name: "etc/os", typ: tar.TypeSymlink, link: "../usr/lib/os-release"},
		reg("etc/motd", "second, the one the stack keeps"),
		reg("etc/gone", "a file"),
		{name: "etc/gone/", typ: tar.TypeDir},
		reg("etc/.wh.old", ""),
		reg("big", strings.Repeat("x", 100)),
		{name: "big.link", typ: tar.TypeLink, link: "big"},
	}
	for _, gz := range []bool{false, true} {
		l := tarLayer(t, gz, members...)
		for _, tt := range []struct {
			path  string
			limit int64
			want  layerfile.Content
			err   error
		}{
			{path: "/etc/hosts", limit: -1, want: layerfile.Content{Path: "/etc/hosts", Data: []byte("127.0.0.1 localhost\n"), Size: 20}},
			{path: "etc//hosts/", limit: 1 << 20, want: layerfile.Content{Path: "/etc/hosts", Data: []byte("127.0.0.1 localhost\n"), Size: 20}},
			{path: "/etc/hosts", limit: 9, want: layerfile.Content{Path: "/etc/hosts", Data: []byte("127.0.0.1"), Size: 20, Truncated: true}},
			{path: "/etc/hosts", limit: 0, want: layerfile.Content{Path: "/etc/hosts", Data: []byte{}, Size: 20, Truncated: true}},
			{path: "/etc/motd", limit: -1, want: layerfile.Content{Path: "/etc/motd", Data: []byte("second, the one the stack keeps"), Size: 31}},
			{path: "/big", limit: 10, want: layerfile.Content{Path: "/big", Data: bytes.Repeat([]byte("x"), 10), Size: 100, Truncated: true}},
			{path: "/etc/gone", err: layerfile.ErrNotRegular},
			{path: "/etc", err: layerfile.ErrNotRegular},
			{path: "/etc/os", err: layerfile.ErrNotRegular},
			{path: "/big.link", err: layerfile.ErrNotRegular},
			{path: "/", err: layerfile.ErrNotRegular},
			{path: "/etc/passwd", err: layerfile.ErrNotInLayer},
			{path: "/etc/.wh.old", err: layerfile.ErrNotInLayer},
			{path: "/etc/old", err: layerfile.ErrNotInLayer},
		} {
			got, err := layerfile.Read(context.Background(), l, tt.path, tt.limit)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Errorf("gzip %v: ReadFile(%q) error %v, want %v", gz, tt.path, err, tt.err)
				}
				continue
			}
			if err != nil {
				t.Errorf("gzip %v: ReadFile(%q, %d): %v", gz, tt.path, tt.limit, err)
				continue
			}
			if got.Path != tt.want.Path || !bytes.Equal(got.Data, tt.want.Data) || got.Size != tt.want.Size || got.Truncated != tt.want.Truncated {
				t.Errorf("gzip %v: ReadFile(%q, %d) = %+v, want %+v", gz, tt.path, tt.limit, got, tt.want)
			}
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	l := tarLayer(t, true, reg("a", "b"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := layerfile.Read(ctx, l, "/a", -1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}

	broken := image.Layer{Open: func() (io.ReadCloser, error) { return nil, errors.New("no such blob") }}
	if _, err := layerfile.Read(context.Background(), broken, "/a", -1); err == nil || !strings.Contains(err.Error(), "no such blob") {
		t.Errorf("unopenable layer: error %v", err)
	}

	// A tar cut in the middle of the file asked for.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "a", Typeflag: tar.TypeReg, Size: 5000, Mode: 0o644})
	tw.Write(bytes.Repeat([]byte("a"), 5000))
	cut := buf.Bytes()[:2000]
	short := image.Layer{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(cut)), nil }}
	if _, err := layerfile.Read(context.Background(), short, "/a", -1); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut tar: error %v, want unexpected EOF", err)
	}
}

func TestWalkLayerSkipAll(t *testing.T) {
	l := tarLayer(t, false, reg("a", "1"), reg("b", "2"), reg("c", "3"))
	var seen []string
	err := layerfile.Walk(context.Background(), l, func(e tarparse.FileEntry, r io.Reader) error {
		seen = append(seen, e.Path)
		if e.Path == "/b" {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil || !slices.Equal(seen, []string{"/a", "/b"}) {
		t.Errorf("walk saw %v, error %v; want /a /b and no error", seen, err)
	}
	boom := errors.New("boom")
	err = layerfile.Walk(context.Background(), l, func(tarparse.FileEntry, io.Reader) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the callback's", err)
	}
}

// TestWalkLayerMatchesTree checks that WalkLayer meets, layer by layer and
// in order, the same versions the analysis put into the tree: the promise
// extract relies on to tell which duplicate the stack keeps.
func TestWalkLayerMatchesTree(t *testing.T) {
	steps := []imagetest.Step{
		{CreatedBy: "base", Entries: []imagetest.Entry{
			imagetest.Dir("etc/"), imagetest.Reg("etc/a", "1"), imagetest.Reg("etc/a", "2"),
			imagetest.Symlink("etc/l", "a"), imagetest.Reg("stargz.index.json", "{}"),
			imagetest.Reg(".wh..wh.plnk/x", ""), imagetest.Reg("usr/bin/x", "x"),
		}},
		{CreatedBy: "change", Entries: []imagetest.Entry{
			imagetest.Whiteout("etc/l"), imagetest.Opaque("usr"), imagetest.Reg("etc/a", "3"),
			imagetest.Hardlink("etc/b", "etc/a"), imagetest.Reg("etc/a", "4"),
		}},
	}
	img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyze.Analyze(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := src.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for k, info := range res.Layers {
		var want, got []string
		first, end := info.EntryRange()
		for id := first; id < end; id++ {
			if e := res.Tree.Entry(id); e.Kind == tree.File {
				want = append(want, res.Tree.Path(e.Node))
			}
		}
		err := layerfile.Walk(context.Background(), layers[k], func(e tarparse.FileEntry, r io.Reader) error {
			got = append(got, e.Path)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("layer entries:\ngot:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}
	c, err := layerfile.Read(context.Background(), layers[1], "/etc/a", -1)
	if err != nil || string(c.Data) != "4" {
		t.Errorf("ReadFile(/etc/a) = %q, %v; want the last version, 4", c.Data, err)
	}
}
