package extract

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/strata-dev/strata/analyze/layerfile"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/image"
)

// writer carries out a plan below an os.Root.
type writer struct {
	root    *os.Root
	force   bool
	plan    *plan
	sum     Summary
	created []*item // directories made, to give them their modes at the end
	buf     []byte
}

func (w *writer) run(ctx context.Context, layers []image.Layer) error {
	if err := w.check(actDir, actFile); err != nil {
		return err
	}
	w.checkSymlinks()
	if err := w.check(actSymlink); err != nil {
		return err
	}
	if err := w.makeDirs(); err != nil {
		return err
	}
	if err := w.writeFiles(ctx, layers); err != nil {
		return err
	}
	if err := w.writeSymlinks(); err != nil {
		return err
	}
	return w.finishDirs()
}

func osPath(rel string) string { return filepath.FromSlash(rel) }

// show names a path below the output directory for a message, with the
// directory as the caller gave it.
func (w *writer) show(rel string) string { return filepath.Join(w.root.Name(), osPath(rel)) }

// parentItem is the planned directory rel is in, or nil at the top.
func (w *writer) parentItem(rel string) *item {
	return w.plan.byRel[path.Dir(rel)]
}

// check finds, before anything is written, what already exists where the
// items of the given actions go, and refuses what may not be replaced. It
// marks the directories that will be made fresh.
func (w *writer) check(acts ...action) error {
	for _, it := range w.plan.items {
		if !slices.Contains(acts, it.act) {
			continue
		}
		if p := w.parentItem(it.rel); p != nil && p.fresh {
			it.fresh = it.act == actDir
			continue
		}
		fi, err := w.root.Lstat(osPath(it.rel))
		if errors.Is(err, fs.ErrNotExist) {
			it.fresh = it.act == actDir
			continue
		}
		if err != nil {
			return fmt.Errorf("checking %s: %w", w.show(it.rel), err)
		}
		if err := w.replaceable(it, fi); err != nil {
			return err
		}
		it.fresh = it.act == actDir && !fi.IsDir()
	}
	return nil
}

// replaceable says whether what exists at an item's place may stay or go.
func (w *writer) replaceable(it *item, fi fs.FileInfo) error {
	switch {
	case it.act == actDir && fi.IsDir():
		return nil // merged into
	case fi.IsDir():
		return fmt.Errorf("refusing to replace directory %s with a %s: %w", w.show(it.rel), tarparse.TypeName(it.e.Type), fs.ErrExist)
	case !w.force:
		return fmt.Errorf("refusing to overwrite %s: %w", w.show(it.rel), fs.ErrExist)
	}
	return nil
}

// checkParent makes sure that rel's parent is a directory and not a
// symlink to one, so that nothing is written through a symlink.
func (w *writer) checkParent(rel string) error {
	dir := path.Dir(rel)
	if dir == "." {
		return nil
	}
	fi, err := w.root.Lstat(osPath(dir))
	if err != nil {
		return fmt.Errorf("checking %s: %w", w.show(dir), err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("refusing to write below %s: it is not a directory (%s)", w.show(dir), fi.Mode().Type())
	}
	return nil
}

// clear removes, with force, the non-directory at an item's place.
func (w *writer) clear(it *item) error {
	if !w.force {
		return nil
	}
	fi, err := w.root.Lstat(osPath(it.rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", w.show(it.rel), err)
	}
	if err := w.replaceable(it, fi); err != nil || fi.IsDir() {
		return err
	}
	if err := w.root.Remove(osPath(it.rel)); err != nil {
		return fmt.Errorf("replacing %s: %w", w.show(it.rel), err)
	}
	return nil
}

func (w *writer) makeDirs() error {
	for _, it := range w.plan.items {
		if it.act != actDir {
			continue
		}
		if err := w.checkParent(it.rel); err != nil {
			return err
		}
		if it.fresh {
			if err := w.clear(it); err != nil {
				return err
			}
			// Owner rwx until the end, so that a read-only directory
			// can still be filled.
			if err := w.root.Mkdir(osPath(it.rel), it.perm|0o700); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return fmt.Errorf("refusing to overwrite %s: %w", w.show(it.rel), fs.ErrExist)
				}
				return fmt.Errorf("creating %s: %w", w.show(it.rel), err)
			}
			w.created = append(w.created, it)
		}
		fi, err := w.root.Lstat(osPath(it.rel))
		if err != nil {
			return fmt.Errorf("checking %s: %w", w.show(it.rel), err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("refusing to write below %s: it is not a directory (%s)", w.show(it.rel), fi.Mode().Type())
		}
		w.sum.Dirs++
	}
	return nil
}

// create makes a new regular file at an item's place. O_EXCL never follows
// a symlink, whatever is there.
func (w *writer) create(it *item) (*os.File, error) {
	if err := w.checkParent(it.rel); err != nil {
		return nil, err
	}
	if err := w.clear(it); err != nil {
		return nil, err
	}
	f, err := w.root.OpenFile(osPath(it.rel), os.O_WRONLY|os.O_CREATE|os.O_EXCL, it.perm)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("refusing to overwrite %s: %w", w.show(it.rel), fs.ErrExist)
	}
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", w.show(it.rel), err)
	}
	return f, nil
}

// writeFiles streams each layer that holds contents to write once, and
// stops reading it as soon as all of them are written.
func (w *writer) writeFiles(ctx context.Context, layers []image.Layer) error {
	w.buf = make([]byte, 256<<10)
	var order []int32
	for l := range w.plan.reads {
		order = append(order, l)
	}
	slices.Sort(order)
	for _, l := range order {
		reads := w.plan.reads[l]
		left := len(reads)
		seen := map[string]int{}
		err := layerfile.Walk(ctx, layers[l], func(e tarparse.FileEntry, r io.Reader) error {
			rd, ok := reads[e.Path]
			if !ok {
				return nil
			}
			n := seen[e.Path]
			seen[e.Path]++
			if n != rd.occ {
				return nil
			}
			if err := w.writeContent(rd, e, r); err != nil {
				return err
			}
			if left--; left == 0 {
				return fs.SkipAll
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("extracting from layer %d: %w", l, err)
		}
		if left > 0 {
			var missing []string
			for p, rd := range reads {
				if seen[p] <= rd.occ {
					missing = append(missing, p)
				}
			}
			slices.Sort(missing)
			return fmt.Errorf("extracting from layer %d: %s is not where the analysis found it", l, missing[0])
		}
	}
	return nil
}

// writeContent copies one file's contents to every item that wants them,
// checking them against what the analysis recorded.
func (w *writer) writeContent(rd *read, e tarparse.FileEntry, r io.Reader) (err error) {
	mismatch := func() error {
		return fmt.Errorf("%s in layer %d does not match the analysis", e.Path, rd.e.Layer)
	}
	if e.Type != tar.TypeReg || e.Size != rd.e.Size {
		return mismatch()
	}
	var files []*os.File
	defer func() {
		for _, f := range files {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("writing %s: %w", f.Name(), cerr)
			}
		}
	}()
	h := tarparse.NewContentHash()
	dst := []io.Writer{h}
	for _, it := range rd.outs {
		f, err := w.create(it)
		if err != nil {
			return err
		}
		files = append(files, f)
		dst = append(dst, f)
	}
	n, err := io.CopyBuffer(io.MultiWriter(dst...), r, w.buf)
	if err != nil {
		return fmt.Errorf("writing %s: %w", w.show(rd.outs[0].rel), err)
	}
	if n != rd.e.Size || h.Sum64() != rd.e.Hash {
		return mismatch()
	}
	w.sum.Files += len(rd.outs)
	w.sum.Bytes += n * int64(len(rd.outs))
	return nil
}

func (w *writer) writeSymlinks() error {
	for _, it := range w.plan.items {
		if it.act != actSymlink {
			continue
		}
		if err := w.checkParent(it.rel); err != nil {
			return err
		}
		if err := w.clear(it); err != nil {
			return err
		}
		if err := w.root.Symlink(it.link, osPath(it.rel)); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("refusing to overwrite %s: %w", w.show(it.rel), fs.ErrExist)
			}
			return fmt.Errorf("creating symlink %s: %w", w.show(it.rel), err)
		}
		w.sum.Symlinks++
	}
	return nil
}

// finishDirs takes from the directories made the owner permissions they
// only had for the writing, deepest first.
func (w *writer) finishDirs() error {
	for _, it := range slices.Backward(w.created) {
		if it.perm&0o700 == 0o700 {
			continue
		}
		fi, err := w.root.Lstat(osPath(it.rel))
		if err != nil {
			return fmt.Errorf("checking %s: %w", w.show(it.rel), err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("refusing to change the mode of %s: it is not a directory (%s)", w.show(it.rel), fi.Mode().Type())
		}
		if err := w.root.Chmod(osPath(it.rel), fi.Mode().Perm()&^(0o700&^it.perm)); err != nil {
			return fmt.Errorf("setting the mode of %s: %w", w.show(it.rel), err)
		}
	}
	return nil
}
