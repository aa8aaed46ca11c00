package container

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	ctypes "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// DefaultPathLimit is how many paths are read one by one, at most, before
// the whole filesystem is read once instead.
const DefaultPathLimit = 8

// layerFile is the container's layer, written to a temporary file.
type layerFile struct {
	path   string
	size   int64
	diffID v1.Hash
}

func (l layerFile) open() (io.ReadCloser, error) { return os.Open(l.path) }

// archiver reads a container's files as tar archives: one path
// (GET /containers/ID/archive, as docker cp) or the whole filesystem
// without its volumes (GET /containers/ID/export, as docker export).
type archiver interface {
	CopyFromContainer(ctx context.Context, id string, o client.CopyFromContainerOptions) (client.CopyFromContainerResult, error)
	ContainerExport(ctx context.Context, id string, o client.ContainerExportOptions) (client.ContainerExportResult, error)
}

// layerWriter turns a container's changes into a layer tar. The layer
// holds the added and modified paths, a whiteout for each deleted one, and
// the directories above any of them, as the container has them.
type layerWriter struct {
	ctx     context.Context
	cli     archiver
	id      string
	tw      *tar.Writer
	changes map[string]ctypes.ChangeType // by clean absolute path
	paths   []string                     // the changed paths, sorted
	above   map[string]bool              // the directories above a changed path
	written map[string]bool              // paths written, by clean absolute path
	// relink are hard links whose target is not in the layer: they are
	// read again on their own, as the files they are.
	relink []string
}

// writeLayer writes the layer of changes into a temporary file in dir.
// With at most limit paths to read, each is read on its own (a new
// directory with what is in it); with more, the whole filesystem is read
// once and the changed paths taken from it.
func writeLayer(ctx context.Context, cli archiver, id string, changes []ctypes.FilesystemChange, dir string, limit int) (l layerFile, err error) {
	f, err := os.CreateTemp(dir, "strata-container-*.tar")
	if err != nil {
		return layerFile{}, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	lw := newLayerWriter(ctx, cli, id, changes)
	lw.tw = tar.NewWriter(bw)
	if lw.requests() <= limit {
		err = lw.writeEach()
	} else {
		err = lw.writeFromExport()
	}
	if err != nil {
		return layerFile{}, err
	}
	if err := lw.writeRelinks(); err != nil {
		return layerFile{}, err
	}
	if err := lw.tw.Close(); err != nil {
		return layerFile{}, err
	}
	if err := bw.Flush(); err != nil {
		return layerFile{}, err
	}
	st, err := f.Stat()
	if err != nil {
		return layerFile{}, err
	}
	return layerFile{path: f.Name(), size: st.Size(),
		diffID: v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}}, nil
}

func newLayerWriter(ctx context.Context, cli archiver, id string, changes []ctypes.FilesystemChange) *layerWriter {
	lw := &layerWriter{ctx: ctx, cli: cli, id: id, changes: make(map[string]ctypes.ChangeType, len(changes)),
		above: map[string]bool{}, written: map[string]bool{"/": true}}
	for _, c := range changes {
		p := path.Clean("/" + c.Path)
		if p == "/" {
			continue
		}
		if _, dup := lw.changes[p]; !dup {
			lw.paths = append(lw.paths, p)
		}
		lw.changes[p] = c.Kind
		for d := path.Dir(p); d != "/" && !lw.above[d]; d = path.Dir(d) {
			lw.above[d] = true
		}
	}
	slices.Sort(lw.paths) // a directory before what is in it
	return lw
}

// requests is how many paths writeEach reads on its own: each added or
// modified path that is not in a new directory, and each directory above a
// change that the changes do not list.
func (lw *layerWriter) requests() int {
	n := 0
	for _, p := range lw.paths {
		if lw.changes[p] != ctypes.ChangeDelete && lw.changes[path.Dir(p)] != ctypes.ChangeAdd {
			n++
		}
	}
	for d := range lw.above {
		if _, listed := lw.changes[d]; !listed {
			n++
		}
	}
	return n
}

// wanted says whether the layer holds path p when the container has it.
func (lw *layerWriter) wanted(p string) bool {
	kind, changed := lw.changes[p]
	return changed && kind != ctypes.ChangeDelete || lw.above[p]
}

// writeEach reads the changed paths one by one.
func (lw *layerWriter) writeEach() error {
	for _, p := range lw.paths {
		if lw.written[p] {
			continue // read with the new directory it is in
		}
		if err := lw.change(p, lw.changes[p]); err != nil {
			return err
		}
	}
	return nil
}

// writeFromExport reads the whole filesystem once and keeps what changed.
func (lw *layerWriter) writeFromExport() error {
	rc, err := lw.cli.ContainerExport(lw.ctx, lw.id, client.ContainerExportOptions{})
	if err != nil {
		return fmt.Errorf("exporting the filesystem: %w", err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the exported filesystem: %w", err)
		}
		full := path.Clean("/" + hdr.Name)
		if !lw.wanted(full) || lw.written[full] {
			continue
		}
		if err := lw.write(hdr, full, "/", tr); err != nil {
			return fmt.Errorf("writing %s: %w", full, err)
		}
	}
	// What was deleted, and what was modified and is gone since.
	for _, p := range lw.paths {
		if kind := lw.changes[p]; kind == ctypes.ChangeDelete || kind == ctypes.ChangeModify && !lw.written[p] {
			if err := lw.whiteout(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// change writes one changed path.
func (lw *layerWriter) change(p string, kind ctypes.ChangeType) error {
	switch kind {
	case ctypes.ChangeDelete:
		return lw.whiteout(p)
	case ctypes.ChangeAdd, ctypes.ChangeModify:
		// A new directory is read with what the changes list in it (all of
		// it, unless a volume is mounted there); a modified one is only
		// the directory itself, its changed entries come on their own.
		err := lw.copy(p, kind == ctypes.ChangeAdd)
		if cerrdefs.IsNotFound(err) {
			// Gone since the changes were listed.
			if kind == ctypes.ChangeModify {
				return lw.whiteout(p)
			}
			return nil
		}
		return err
	}
	return fmt.Errorf("%s: unknown kind of change %d", p, kind)
}

// whiteout writes the marker that deletes p from the layers below.
func (lw *layerWriter) whiteout(p string) error {
	if err := lw.parents(p); err != nil {
		return err
	}
	name := path.Join(path.Dir(p), ".wh."+path.Base(p))
	return lw.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name[1:], Mode: 0o600, Format: tar.FormatPAX})
}

// parents writes the directories above p that are not written yet, so
// that they keep their modes and owners.
func (lw *layerWriter) parents(p string) error {
	var missing []string
	for d := path.Dir(p); !lw.written[d]; d = path.Dir(d) {
		missing = append(missing, d)
	}
	for _, d := range slices.Backward(missing) {
		if err := lw.copy(d, false); err != nil {
			return fmt.Errorf("reading directory %s: %w", d, err)
		}
	}
	return nil
}

// copy writes p as the container has it now. With subtree, the entries
// under a directory p that are in the changes come too; without, only p.
func (lw *layerWriter) copy(p string, subtree bool) error {
	res, err := lw.cli.CopyFromContainer(lw.ctx, lw.id, client.CopyFromContainerOptions{SourcePath: p})
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return err
		}
		return fmt.Errorf("reading %s: %w", p, err)
	}
	defer res.Content.Close()
	if err := lw.parents(p); err != nil {
		return err
	}
	tr := tar.NewReader(res.Content)
	base, parent := path.Base(p), path.Dir(p)
	for first := true; ; first = false {
		hdr, err := tr.Next()
		if err == io.EOF {
			if first {
				return fmt.Errorf("reading %s: the archive is empty", p)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the archive of %s: %w", p, err)
		}
		name := path.Clean(hdr.Name)
		if name != base && !strings.HasPrefix(name, base+"/") {
			return fmt.Errorf("the archive of %s holds %q, which is not under it", p, hdr.Name)
		}
		full := path.Join(parent, name)
		if !first && (!lw.wanted(full) || lw.written[full]) {
			continue // unchanged (a volume's files, say), or written already
		}
		if err := lw.write(hdr, full, parent, tr); err != nil {
			return fmt.Errorf("writing %s: %w", full, err)
		}
		if !subtree || hdr.Typeflag != tar.TypeDir {
			return nil
		}
	}
}

// write copies one archive entry into the layer under its full path. A
// hard link names another entry of the same archive relative to root; one
// whose target is not in the layer is left for writeRelinks.
func (lw *layerWriter) write(hdr *tar.Header, full, root string, r io.Reader) error {
	out := &tar.Header{
		Typeflag: hdr.Typeflag, Name: full[1:], Linkname: hdr.Linkname, Size: hdr.Size, Mode: hdr.Mode,
		Uid: hdr.Uid, Gid: hdr.Gid, Uname: hdr.Uname, Gname: hdr.Gname, ModTime: hdr.ModTime,
		Devmajor: hdr.Devmajor, Devminor: hdr.Devminor, Format: tar.FormatPAX,
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		out.Name += "/"
	case tar.TypeLink:
		target := path.Join(root, path.Clean("/"+hdr.Linkname))
		if !lw.written[target] {
			lw.relink = append(lw.relink, full)
			return nil
		}
		out.Linkname = target[1:]
	}
	for k, v := range hdr.PAXRecords {
		if strings.HasPrefix(k, "SCHILY.xattr.") {
			if out.PAXRecords == nil {
				out.PAXRecords = map[string]string{}
			}
			out.PAXRecords[k] = v
		}
	}
	if err := lw.tw.WriteHeader(out); err != nil {
		return err
	}
	if hdr.Typeflag == tar.TypeReg {
		n, err := io.Copy(lw.tw, r)
		if err != nil {
			return err
		}
		if n != hdr.Size {
			return errors.New("the archive ended inside the file")
		}
	}
	lw.written[full] = true
	return nil
}

// writeRelinks reads on its own each hard link whose target is not in the
// layer: alone, it is the regular file it is.
func (lw *layerWriter) writeRelinks() error {
	pending := lw.relink
	lw.relink = nil
	for _, p := range pending {
		err := lw.copy(p, false)
		if cerrdefs.IsNotFound(err) {
			continue // gone since
		}
		if err != nil {
			return err
		}
	}
	if len(lw.relink) > 0 {
		return fmt.Errorf("the archive of %s is a hard link to itself", lw.relink[0])
	}
	return nil
}
