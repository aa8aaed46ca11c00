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

// layerFile is the container's layer, written to a temporary file.
type layerFile struct {
	path   string
	size   int64
	diffID v1.Hash
}

func (l layerFile) open() (io.ReadCloser, error) { return os.Open(l.path) }

// archiver reads paths out of a container as tar archives.
type archiver interface {
	CopyFromContainer(ctx context.Context, id string, o client.CopyFromContainerOptions) (client.CopyFromContainerResult, error)
}

// layerWriter turns a container's changes into a layer tar.
type layerWriter struct {
	ctx     context.Context
	cli     archiver
	id      string
	tw      *tar.Writer
	changes map[string]ctypes.ChangeType // by clean absolute path
	written map[string]bool              // paths written, by clean absolute path
}

// writeLayer writes the layer of changes into a temporary file in dir.
func writeLayer(ctx context.Context, cli archiver, id string, changes []ctypes.FilesystemChange, dir string) (l layerFile, err error) {
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
	lw := &layerWriter{ctx: ctx, cli: cli, id: id, tw: tar.NewWriter(bw),
		changes: make(map[string]ctypes.ChangeType, len(changes)), written: map[string]bool{"/": true}}
	var paths []string
	for _, c := range changes {
		p := path.Clean("/" + c.Path)
		if p == "/" {
			continue
		}
		if _, dup := lw.changes[p]; !dup {
			paths = append(paths, p)
		}
		lw.changes[p] = c.Kind
	}
	slices.Sort(paths) // a directory before what is in it
	for _, p := range paths {
		if lw.written[p] {
			continue // copied with the new directory it is in
		}
		if err := lw.change(p, lw.changes[p]); err != nil {
			return layerFile{}, err
		}
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

// change writes one changed path.
func (lw *layerWriter) change(p string, kind ctypes.ChangeType) error {
	switch kind {
	case ctypes.ChangeDelete:
		return lw.whiteout(p)
	case ctypes.ChangeAdd, ctypes.ChangeModify:
		// A new directory is copied with everything in it that the changes
		// list (all of it, unless a volume is mounted there); a modified
		// one is only the directory itself, its changed entries come
		// on their own.
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
		if first && full != p {
			return fmt.Errorf("the archive of %s starts with %q", p, hdr.Name)
		}
		if !first {
			if _, changed := lw.changes[full]; !changed || lw.written[full] {
				continue // unchanged (a volume's files, say), or written already
			}
		}
		if err := lw.write(hdr, full, parent, tr); err != nil {
			return fmt.Errorf("writing %s: %w", full, err)
		}
		if !subtree || hdr.Typeflag != tar.TypeDir {
			return nil
		}
	}
}

// write copies one archive entry into the layer under its full path.
func (lw *layerWriter) write(hdr *tar.Header, full, parent string, r io.Reader) error {
	out := &tar.Header{
		Typeflag: hdr.Typeflag, Name: full[1:], Linkname: hdr.Linkname, Size: hdr.Size, Mode: hdr.Mode,
		Uid: hdr.Uid, Gid: hdr.Gid, Uname: hdr.Uname, Gname: hdr.Gname, ModTime: hdr.ModTime,
		Devmajor: hdr.Devmajor, Devminor: hdr.Devminor, Format: tar.FormatPAX,
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		out.Name += "/"
	case tar.TypeLink:
		// A hard link names another entry of the same archive, relative to
		// the archive's root: put it under the same parent.
		out.Linkname = path.Join(parent, path.Clean(hdr.Linkname))[1:]
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
