package container

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	ctypes "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// dirArchiver answers from a directory on disk the way the Engine API
// does: CopyFromContainer with a tar of the path named by its base name
// (everything under a directory), or a not-found error for a missing path;
// ContainerExport with a tar of everything, named from the root. Like the
// daemon's, its tars make the second name of a file a hard link.
// The live tests (source/container_live_test.go) read real daemons; this
// one sets up what a daemon cannot be made to do on cue (paths vanishing
// between the requests, a changes list without the parents).
type dirArchiver struct {
	root  string
	calls []string
}

func (d *dirArchiver) CopyFromContainer(_ context.Context, _ string, o client.CopyFromContainerOptions) (client.CopyFromContainerResult, error) {
	d.calls = append(d.calls, o.SourcePath)
	p := filepath.Join(d.root, filepath.FromSlash(o.SourcePath))
	if _, err := os.Lstat(p); err != nil {
		return client.CopyFromContainerResult{}, fmt.Errorf("%s: %w", o.SourcePath, cerrdefs.ErrNotFound)
	}
	b, err := tarTree(p, filepath.Dir(p))
	return client.CopyFromContainerResult{Content: io.NopCloser(bytes.NewReader(b))}, err
}

func (d *dirArchiver) ContainerExport(context.Context, string, client.ContainerExportOptions) (client.ContainerExportResult, error) {
	d.calls = append(d.calls, "export")
	b, err := tarTree(d.root, d.root)
	return io.NopCloser(bytes.NewReader(b)), err
}

// tarTree writes the tree at p as a tar, names relative to parent.
func tarTree(p, parent string) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	seen := map[uint64]string{}
	err := filepath.WalkDir(p, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		link := ""
		if fi.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(path); err != nil {
				return err
			}
		}
		h, err := tar.FileInfoHeader(fi, link)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(parent, path)
		h.Name = filepath.ToSlash(rel)
		if fi.IsDir() {
			h.Name += "/"
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && fi.Mode().IsRegular() && st.Nlink > 1 {
			if first, ok := seen[st.Ino]; ok {
				h.Typeflag, h.Linkname, h.Size = tar.TypeLink, first, 0
			} else {
				seen[st.Ino] = h.Name
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			_, err = tw.Write(b)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tw.Close()
	return buf.Bytes(), err
}

// hostileArchiver answers every path with an entry outside it.
type hostileArchiver struct{}

func (hostileArchiver) ContainerExport(context.Context, string, client.ContainerExportOptions) (client.ContainerExportResult, error) {
	return nil, errors.New("not used")
}

func (hostileArchiver) CopyFromContainer(context.Context, string, client.CopyFromContainerOptions) (client.CopyFromContainerResult, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "../../etc/passwd", Typeflag: tar.TypeReg, Mode: 0o644})
	tw.Close()
	return client.CopyFromContainerResult{Content: io.NopCloser(&buf)}, nil
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o750); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o640); err != nil {
			t.Fatal(err)
		}
	}
}

// readLayer lists a layer tar as "name type size [content]" lines.
func readLayer(t *testing.T, l layerFile) []string {
	t.Helper()
	b, err := os.ReadFile(l.path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if l.diffID.Hex != hex.EncodeToString(sum[:]) || l.size != int64(len(b)) {
		t.Errorf("layer %s of %d bytes; the file has sha256 %x and %d bytes", l.diffID, l.size, sum, len(b))
	}
	var out []string
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		out = append(out, fmt.Sprintf("%s %c %o %q", h.Name, h.Typeflag, h.Mode&0o7777, data))
	}
}

func TestWriteLayer(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"new/a.txt":       "a",
		"new/sub/b.txt":   "bb",
		"new/volume.dat":  "not in the changes: a volume's file",
		"etc/conf":        "changed",
		"etc/untouched":   "not in the changes",
		"deep/x/y.txt":    "parents not listed",
		"empty-new-dir/":  "",
		"opaque/new.txt":  "in a directory removed and made again",
		"unlisted/keep/":  "",
		"unlisted/keep/z": "z",
	})
	// A new name of an unchanged file: the export makes it a hard link to
	// a file the layer does not hold.
	if err := os.Link(filepath.Join(root, "etc", "untouched"), filepath.Join(root, "etc", "zlinked")); err != nil {
		t.Fatal(err)
	}
	changes := []ctypes.FilesystemChange{
		{Path: "/new", Kind: ctypes.ChangeAdd},
		{Path: "/new/a.txt", Kind: ctypes.ChangeAdd},
		{Path: "/new/sub", Kind: ctypes.ChangeAdd},
		{Path: "/new/sub/b.txt", Kind: ctypes.ChangeAdd},
		{Path: "/etc", Kind: ctypes.ChangeModify},
		{Path: "/etc/conf", Kind: ctypes.ChangeModify},
		{Path: "/etc/old", Kind: ctypes.ChangeDelete},
		{Path: "/etc/zlinked", Kind: ctypes.ChangeAdd},
		{Path: "/deep/x/y.txt", Kind: ctypes.ChangeAdd},
		{Path: "/empty-new-dir", Kind: ctypes.ChangeAdd},
		{Path: "/opaque", Kind: ctypes.ChangeDelete},
		{Path: "/opaque/new.txt", Kind: ctypes.ChangeAdd},
		{Path: "/gone-added", Kind: ctypes.ChangeAdd},           // vanished since: left out
		{Path: "/etc/gone-modified", Kind: ctypes.ChangeModify}, // vanished since: deleted
		{Path: "/", Kind: ctypes.ChangeModify},
		{Path: "/etc/conf", Kind: ctypes.ChangeModify}, // listed twice
	}
	want := []string{
		`deep/ 5 755 ""`,
		`deep/x/ 5 755 ""`,
		`deep/x/y.txt 0 640 "parents not listed"`,
		`empty-new-dir/ 5 750 ""`,
		`etc/ 5 755 ""`,
		`etc/conf 0 640 "changed"`,
		`etc/.wh.gone-modified 0 600 ""`,
		`etc/.wh.old 0 600 ""`,
		`etc/zlinked 0 640 "not in the changes"`,
		`new/ 5 755 ""`,
		`new/a.txt 0 640 "a"`,
		`new/sub/ 5 755 ""`,
		`new/sub/b.txt 0 640 "bb"`,
		`.wh.opaque 0 600 ""`,
		`opaque/ 5 755 ""`,
		`opaque/new.txt 0 640 "in a directory removed and made again"`,
	}

	// Path by path: 9 changed paths to read and 2 directories above them.
	if n := newLayerWriter(context.Background(), nil, "c1", changes).requests(); n != 11 {
		t.Errorf("%d requests planned, want 11", n)
	}
	each := &dirArchiver{root: root}
	l, err := writeLayer(context.Background(), each, "c1", changes, t.TempDir(), 11)
	if err != nil {
		t.Fatal(err)
	}
	if got := readLayer(t, l); !slices.Equal(got, want) {
		t.Errorf("layer read path by path:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The new directory came in one request with what is under it; the
	// modified one on its own.
	if slices.Contains(each.calls, "/new/a.txt") || !slices.Contains(each.calls, "/etc/conf") || slices.Contains(each.calls, "export") {
		t.Errorf("requests: %q", each.calls)
	}

	// From the export: the same entries (whiteouts last), and one request
	// more for the file whose first name the layer does not hold.
	export := &dirArchiver{root: root}
	l, err = writeLayer(context.Background(), export, "c1", changes, t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	got := readLayer(t, l)
	slices.Sort(got)
	sorted := slices.Sorted(slices.Values(want))
	if !slices.Equal(got, sorted) {
		t.Errorf("layer read from the export:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(sorted, "\n"))
	}
	if !slices.Equal(export.calls, []string{"export", "/etc/zlinked"}) {
		t.Errorf("requests: %q", export.calls)
	}
}

func TestWriteLayerRefusesEntriesOutsideThePath(t *testing.T) {
	_, err := writeLayer(context.Background(), hostileArchiver{}, "c1",
		[]ctypes.FilesystemChange{{Path: "/app/x", Kind: ctypes.ChangeAdd}}, t.TempDir(), DefaultPathLimit)
	if err == nil || !strings.Contains(err.Error(), "which is not under it") {
		t.Errorf("an archive entry outside its path: %v", err)
	}
}

func TestValidRef(t *testing.T) {
	for ref, want := range map[string]bool{
		"strata-drift": true, "b5c75f171350": true, "my_app.1": true,
		"": false, "../etc": false, "a/b": false, "-x": false, ".x": false, "a b": false, "a\x1b[2J": false,
		strings.Repeat("a", 256): false,
	} {
		if got := validRef(ref); got != want {
			t.Errorf("validRef(%q) = %v", ref, got)
		}
	}
	if err := (&notFoundError{"x"}); !errors.Is(err, ErrNotFound) {
		t.Error("notFoundError is not ErrNotFound")
	}
}
