package extract

import (
	"fmt"
	"io/fs"
	"os"
	"path"
)

// maxOpenDirs bounds the directories an extraction keeps open at once.
const maxOpenDirs = 64

// dirs opens the directories of the output below its root, one element
// at a time from a directory already open, so that writing a path costs a
// few system calls whatever its depth (through the root, each call would
// walk the whole path again: quadratic in depth). At most maxOpenDirs are
// open at once; the least recently used is closed first.
type dirs struct {
	root *os.Root
	open map[string]*openDir // by slash-separated path below root; "." is root
	tick int
}

type openDir struct {
	r    *os.Root
	used int
}

func newDirs(root *os.Root) *dirs {
	return &dirs{root: root, open: map[string]*openDir{".": {r: root}}}
}

// at returns the open directory rel is in, and rel's last element.
func (d *dirs) at(rel string) (*os.Root, string, error) {
	r, err := d.dir(path.Dir(rel))
	return r, path.Base(rel), err
}

// dir returns directory rel, opened from its parent. A symlink on the
// way is refused, not followed.
func (d *dirs) dir(rel string) (*os.Root, error) {
	d.tick++
	if o, ok := d.open[rel]; ok {
		o.used = d.tick
		return o.r, nil
	}
	parent, err := d.dir(path.Dir(rel))
	if err != nil {
		return nil, err
	}
	name := path.Base(rel)
	fi, err := parent.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &notDirError{rel: rel, mode: fi.Mode().Type()}
	}
	r, err := parent.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	d.evict()
	d.open[rel] = &openDir{r: r, used: d.tick}
	return r, nil
}

// notDirError says that what is at a directory's place is something else,
// such as a symlink, which is never followed.
type notDirError struct {
	rel  string
	mode fs.FileMode
}

func (e *notDirError) Error() string {
	return fmt.Sprintf("%s is not a directory (%s)", e.rel, e.mode)
}

// evict closes the least recently used directory when too many are open.
func (d *dirs) evict() {
	if len(d.open) < maxOpenDirs {
		return
	}
	oldest, at := "", d.tick+1
	for rel, o := range d.open {
		if rel != "." && o.used < at {
			oldest, at = rel, o.used
		}
	}
	d.open[oldest].r.Close()
	delete(d.open, oldest)
}

// forget closes rel and every directory below it that is open: it is
// about to be removed or replaced.
func (d *dirs) forget(rel string) {
	for p, o := range d.open {
		if p != "." && (p == rel || len(p) > len(rel) && p[:len(rel)] == rel && p[len(rel)] == '/') {
			o.r.Close()
			delete(d.open, p)
		}
	}
}

// close closes every directory opened.
func (d *dirs) close() {
	for rel, o := range d.open {
		if rel != "." {
			o.r.Close()
		}
	}
	d.open = nil
}
