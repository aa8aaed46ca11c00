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
	dirs    *dirs
	force   bool
	plan    *plan
	sum     Summary
	created []*item // directories made, to give them their modes at the end
	buf     []byte
}

func (w *writer) run(ctx context.Context, layers []image.Layer) error {
	w.dirs = newDirs(w.root)
	defer w.dirs.close()
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

// at opens the directory rel is in, refusing one that is not a real
// directory, and returns it with rel's last element.
func (w *writer) at(rel string) (*os.Root, string, error) {
	d, base, err := w.dirs.at(rel)
	var nd *notDirError
	switch {
	case errors.As(err, &nd):
		return nil, "", fmt.Errorf("refusing to write below %s: it is not a directory (%s)", w.show(nd.rel), nd.mode)
	case err != nil:
		return nil, "", fmt.Errorf("checking %s: %w", w.show(path.Dir(rel)), err)
	}
	return d, base, nil
}

// lstat is Lstat of rel, below its directory.
func (w *writer) lstat(rel string) (fs.FileInfo, error) {
	d, base, err := w.at(rel)
	if err != nil {
		return nil, err
	}
	return d.Lstat(base)
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
		d, base, err := w.at(it.rel)
		var nd *notDirError
		if errors.As(err, &nd) || errors.Is(err, fs.ErrNotExist) {
			// Below something that is not a directory: writing will find
			// it, and refuse it or replace it.
			it.fresh = it.act == actDir
			continue
		}
		if err != nil {
			return err
		}
		fi, err := d.Lstat(base)
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

// clear removes, with force, the non-directory at an item's place.
func (w *writer) clear(d *os.Root, base string, it *item) error {
	if !w.force {
		return nil
	}
	fi, err := d.Lstat(base)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", w.show(it.rel), err)
	}
	if err := w.replaceable(it, fi); err != nil || fi.IsDir() {
		return err
	}
	w.dirs.forget(it.rel)
	if err := d.Remove(base); err != nil {
		return fmt.Errorf("replacing %s: %w", w.show(it.rel), err)
	}
	return nil
}

func (w *writer) makeDirs() error {
	for _, it := range w.plan.items {
		if it.act != actDir {
			continue
		}
		d, base, err := w.at(it.rel)
		if err != nil {
			return err
		}
		if it.fresh {
			if err := w.clear(d, base, it); err != nil {
				return err
			}
			// Owner rwx until the end, so that a read-only directory
			// can still be filled.
			if err := d.Mkdir(base, it.perm|0o700); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return fmt.Errorf("refusing to overwrite %s: %w", w.show(it.rel), fs.ErrExist)
				}
				return fmt.Errorf("creating %s: %w", w.show(it.rel), err)
			}
			w.created = append(w.created, it)
		}
		fi, err := d.Lstat(base)
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
	d, base, err := w.at(it.rel)
	if err != nil {
		return nil, err
	}
	if err := w.clear(d, base, it); err != nil {
		return nil, err
	}
	f, err := d.OpenFile(base, os.O_WRONLY|os.O_CREATE|os.O_EXCL, it.perm)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("refusing to overwrite %s: %w", w.show(it.rel), fs.ErrExist)
	}
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", w.show(it.rel), err)
	}
	return f, nil
}

// link makes it a hard link to the file already written at to.
func (w *writer) link(to, it *item) error {
	d, base, err := w.at(it.rel)
	if err != nil {
		return err
	}
	if err := w.clear(d, base, it); err != nil {
		return err
	}
	if err := w.root.Link(osPath(to.rel), osPath(it.rel)); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("refusing to overwrite %s: %w", w.show(it.rel), fs.ErrExist)
		}
		return fmt.Errorf("linking %s to %s: %w", w.show(it.rel), w.show(to.rel), err)
	}
	return nil
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
		left := 0
		for _, rs := range reads {
			left += len(rs)
		}
		seen := map[string]int{}
		err := layerfile.Walk(ctx, layers[l], func(e tarparse.FileEntry, r io.Reader) error {
			rs, ok := reads[e.Path]
			if !ok {
				return nil
			}
			n := seen[e.Path]
			seen[e.Path]++
			i := slices.IndexFunc(rs, func(rd *read) bool { return rd.occ == n })
			if i < 0 {
				return nil
			}
			rd := rs[i]
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
			for p, rs := range reads {
				for _, rd := range rs {
					if seen[p] <= rd.occ {
						missing = append(missing, p)
					}
				}
			}
			slices.Sort(missing)
			return fmt.Errorf("extracting from layer %d: %s is not where the analysis found it", l, missing[0])
		}
	}
	return nil
}

// writeContent writes one file's contents once, to the first item that
// wants them, checking them against what the analysis recorded, and makes
// every other item that wants them (hard links of one another in the
// image) a hard link to it. A sparse file keeps its holes.
func (w *writer) writeContent(rd *read, e tarparse.FileEntry, r io.Reader) error {
	mismatch := func() error {
		return fmt.Errorf("%s in layer %d does not match the analysis", e.Path, rd.e.Layer)
	}
	if e.Type != tar.TypeReg || e.Size != rd.e.Size {
		return mismatch()
	}
	first := rd.outs[0]
	f, err := w.create(first)
	if err != nil {
		return err
	}
	n, hash, err := tarparse.CopyFile(f, r, w.buf)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", w.show(first.rel), err)
	}
	if n != rd.e.Size || hash != rd.e.Hash {
		return mismatch()
	}
	w.sum.Files++
	w.sum.Bytes += n
	for _, it := range rd.outs[1:] {
		if err := w.link(first, it); err != nil {
			return err
		}
		w.sum.Files++
		w.sum.Links++
	}
	return nil
}

func (w *writer) writeSymlinks() error {
	for _, it := range w.plan.items {
		if it.act != actSymlink {
			continue
		}
		d, base, err := w.at(it.rel)
		if err != nil {
			return err
		}
		if err := w.clear(d, base, it); err != nil {
			return err
		}
		if err := d.Symlink(it.link, base); err != nil {
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
		d, base, err := w.at(it.rel)
		if err != nil {
			return err
		}
		fi, err := d.Lstat(base)
		if err != nil {
			return fmt.Errorf("checking %s: %w", w.show(it.rel), err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("refusing to change the mode of %s: it is not a directory (%s)", w.show(it.rel), fi.Mode().Type())
		}
		if err := d.Chmod(base, fi.Mode().Perm()&^(0o700&^it.perm)); err != nil {
			return fmt.Errorf("setting the mode of %s: %w", w.show(it.rel), err)
		}
	}
	return nil
}
