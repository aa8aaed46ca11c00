package extract

import (
	"archive/tar"
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dustin/go-humanize"
	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// action is what the extraction does with one path.
type action uint8

const (
	actDir     action = iota
	actFile           // a regular file, or a copy of a hard link's target
	actSymlink        // a symlink, unless its target leads out
	actSkip           // nothing: a device, a fifo, a broken hard link
)

// item is one path the extraction writes.
type item struct {
	rel  string // slash-separated, below the output directory
	path string // in the image
	e    *tree.Entry
	link string // e's link target
	act  action
	perm fs.FileMode // permission bits to create it with
	// fresh says, for a directory, that it did not exist or was replaced:
	// nothing is below it on disk.
	fresh bool
}

// read is one regular file's contents to stream from a layer, and the
// files to write them to.
type read struct {
	id   tree.EntryID
	e    *tree.Entry
	occ  int // which entry of its path in the layer's tar, from 0
	outs []*item
}

// plan is everything an extraction writes, worked out from the tree
// before the disk is touched.
type plan struct {
	items    []*item // parents before children
	byRel    map[string]*item
	reads    map[int32]map[string][]*read // layer → image path → contents to read (versions of the path)
	skipped  int
	devices  int
	warnings []string
}

func newPlan(res *analyze.Result, k int, top tree.NodeID) (*plan, error) {
	t := res.Tree
	pl := &plan{byRel: map[string]*item{}, reads: map[int32]map[string][]*read{}}
	byID := map[tree.EntryID]*read{}
	var walk func(n tree.NodeID, rel string) error
	walk = func(n tree.NodeID, rel string) error {
		if n != tree.Root {
			id, _ := t.VersionAt(n, k)
			if err := pl.add(t, id, rel, byID); err != nil {
				return err
			}
			if !t.Entry(id).IsDir() {
				return nil
			}
		}
		var kids []tree.NodeID
		t.Children(n, func(c tree.NodeID) {
			if _, ok := t.VersionAt(c, k); ok {
				kids = append(kids, c)
			}
		})
		slices.SortFunc(kids, func(a, b tree.NodeID) int { return cmp.Compare(t.Name(a), t.Name(b)) })
		for _, c := range kids {
			name := t.Name(c)
			if !validName(name) {
				return fmt.Errorf("refusing %s: its name leads out of the output directory", t.Path(c))
			}
			if len(rel)+1+len(name) > maxPath {
				return fmt.Errorf("refusing %s…: its path below the output directory is longer than %d bytes", clip(t.Path(c), 64), maxPath)
			}
			if err := walk(c, path.Join(rel, name)); err != nil {
				return err
			}
		}
		return nil
	}
	if top == tree.Root {
		if err := walk(top, ""); err != nil {
			return nil, err
		}
	} else {
		if name := t.Name(top); !validName(name) {
			return nil, fmt.Errorf("refusing %s: its name leads out of the output directory", t.Path(top))
		}
		if err := walk(top, t.Name(top)); err != nil {
			return nil, err
		}
	}
	switch {
	case pl.devices == 1:
		pl.warnings = append(pl.warnings, "skipped 1 device node or fifo")
	case pl.devices > 1:
		pl.warnings = append(pl.warnings, fmt.Sprintf("skipped %d device nodes and fifos", pl.devices))
	}
	pl.numberReads(res, byID)
	return pl, nil
}

// maxPath is the longest path below the output directory the extraction
// writes, and maxLinkTarget the longest symlink target: Linux's PATH_MAX,
// past which no program could open what was written.
const (
	maxPath       = 4096
	maxLinkTarget = maxPath - 1
)

// clip shortens a path for a message to its first n bytes, whole runes.
func clip(p string, n int) string {
	if len(p) <= n {
		return p
	}
	for n > 0 && !utf8.RuneStart(p[n]) {
		n--
	}
	return p[:n]
}

// validName says whether a node's name is one path element that stays in
// its directory.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00") &&
		filepath.IsLocal(name)
}

// add plans the entry id at rel.
func (pl *plan) add(t *tree.Tree, id tree.EntryID, rel string, byID map[tree.EntryID]*read) error {
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return fmt.Errorf("refusing %s: it leads out of the output directory", rel)
	}
	e := t.Entry(id)
	if e.Type == tar.TypeSymlink && len(t.Link(e)) > maxLinkTarget {
		return fmt.Errorf("refusing symlink %s: its target is %d bytes long, more than %d", t.Path(e.Node), len(t.Link(e)), maxLinkTarget)
	}
	it := &item{rel: rel, path: t.Path(e.Node), e: e, link: t.Link(e), perm: e.Mode.Perm()}
	pl.items = append(pl.items, it)
	pl.byRel[rel] = it
	switch e.Type {
	case tar.TypeDir:
		it.act = actDir
	case tar.TypeReg:
		it.act = actFile
		pl.want(t, id, it, byID)
	case tar.TypeLink:
		target, err := t.HardLinkTarget(id)
		if err != nil {
			it.act = actSkip
			pl.skipped++
			pl.warnings = append(pl.warnings, fmt.Sprintf("skipped hard link %s: %v", it.path, err))
			return nil
		}
		it.act = actFile
		it.perm = t.Entry(target).Mode.Perm()
		pl.want(t, target, it, byID)
	case tar.TypeSymlink:
		it.act = actSymlink // checked once the whole plan is known
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		it.act = actSkip
		pl.skipped++
		pl.devices++
	default:
		it.act = actSkip
		pl.skipped++
		pl.warnings = append(pl.warnings, fmt.Sprintf("skipped %s: %s", it.path, tarparse.TypeName(e.Type)))
	}
	return nil
}

// want asks for the contents of regular-file entry id to be written to it.
func (pl *plan) want(t *tree.Tree, id tree.EntryID, it *item, byID map[tree.EntryID]*read) {
	r, ok := byID[id]
	if !ok {
		e := t.Entry(id)
		r = &read{id: id, e: e}
		byID[id] = r
		if pl.reads[e.Layer] == nil {
			pl.reads[e.Layer] = map[string][]*read{}
		}
		p := t.Path(e.Node)
		pl.reads[e.Layer][p] = append(pl.reads[e.Layer][p], r)
	}
	r.outs = append(r.outs, it)
}

// numberReads works out, for every contents to read, which entry of its
// path in the layer's tar it is, so that the layer's stream can pick it
// out from duplicates and stop once everything is found.
func (pl *plan) numberReads(res *analyze.Result, byID map[tree.EntryID]*read) {
	t := res.Tree
	for layer, reads := range pl.reads {
		wanted := map[tree.NodeID]int{} // entries met so far
		for _, rs := range reads {
			wanted[rs[0].e.Node] = 0
		}
		first, end := res.Layers[layer].EntryRange()
		for id := first; id < end; id++ {
			e := t.Entry(id)
			if e.Kind != tree.File {
				continue
			}
			seen, ok := wanted[e.Node]
			if !ok {
				continue
			}
			if r, ok := byID[id]; ok {
				r.occ = seen
			}
			wanted[e.Node] = seen + 1
		}
	}
}

// checkSizes refuses, before anything is written, files larger than
// MaxFileSize.
func (pl *plan) checkSizes(t *tree.Tree) error {
	for _, reads := range pl.reads {
		for p, rs := range reads {
			r := slices.MaxFunc(rs, func(a, b *read) int { return cmp.Compare(a.e.Size, b.e.Size) })
			if r.e.Size <= MaxFileSize {
				continue
			}
			holes := ""
			if stored, ok := t.StoredSize(r.id); ok {
				holes = fmt.Sprintf(" (a sparse file: the image stores %s of it)", humanize.IBytes(uint64(stored)))
			}
			return fmt.Errorf("refusing %s: %w: %s, more than %s%s",
				p, ErrTooLarge, humanize.IBytes(uint64(r.e.Size)), humanize.IBytes(MaxFileSize), holes)
		}
	}
	return nil
}
