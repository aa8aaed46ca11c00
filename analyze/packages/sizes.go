package packages

import (
	"archive/tar"
	"cmp"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/strata-dev/strata/analyze/tree"
)

// maxLinkDepth bounds the symlinks followed to resolve one directory.
const maxLinkDepth = 32

// sizer measures packages in the stack as it is after layer k: the files
// their lists name, looked up through symlinked directories (a merged
// /usr's /lib → usr/lib), or the files below their directory.
type sizer struct {
	t *tree.Tree
	k int
	// dirs are directories resolved so far, by the path that names them.
	dirs map[string]resolvedDir
	// owned, when not nil, marks the nodes of every file measured.
	owned []uint64
	// visit, when not nil, is called with the node of every file measured.
	visit func(tree.NodeID)
	// lastDir and lastDirNode are the directory, as a path names it, of
	// the file looked up last and its node after symlinks: a package's
	// list names the files of one directory one after the other.
	lastDir     string
	lastDirNode tree.NodeID
}

func newSizer(t *tree.Tree, k int) *sizer {
	return &sizer{t: t, k: k, dirs: map[string]resolvedDir{"/": {"/", tree.Root}}}
}

// resolvedDir is the directory a path names, after symlinks: its path
// and its node, or NoNode when the path names no directory.
type resolvedDir struct {
	path string
	node tree.NodeID
}

// noDir is a path that names no directory.
var noDir = resolvedDir{node: tree.NoNode}

// measured is a package's size: its regular files' bytes and its
// files.
type measured struct {
	size  int64
	count int
}

// maxSizers bounds the goroutines sizeAll measures packages on; each
// below minPerSizer packages more is not worth one.
const (
	maxSizers   = 4
	minPerSizer = 64
)

// sizeAll measures packages in the stack as it is after layer k, each
// goroutine with a sizer of its own, since they only read the tree; with
// marks, it also returns the nodes of the files measured, as bits.
func sizeAll(t *tree.Tree, k int, ins []*instance, marks bool) ([]measured, []uint64) {
	out := make([]measured, len(ins))
	workers := max(1, min(runtime.GOMAXPROCS(0), maxSizers, len(ins)/minPerSizer))
	owned := make([][]uint64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		if marks {
			owned[w] = make([]uint64, (t.Len()+63)/64)
		}
		wg.Go(func() {
			s := newSizer(t, k)
			for i := w; i < len(ins); i += workers {
				out[i].size, out[i].count = s.size(ins[i], owned[w])
			}
		})
	}
	wg.Wait()
	for _, o := range owned[1:] {
		for i, word := range o {
			owned[0][i] |= word
		}
	}
	return out, owned[0]
}

// size returns the total size of a package's regular files and the
// number of its files (not directories) present, marking them in owned.
func (s *sizer) size(in *instance, owned []uint64) (int64, int) {
	if len(in.sizeFiles) == 0 && in.sizeDir != "" {
		return s.dir(in.sizeDir, in.skipNested, owned)
	}
	var size int64
	count := 0
	for _, p := range in.sizeFiles {
		n, e, ok := s.lookup(p)
		if !ok || e.IsDir() || e.Type == tar.TypeSymlink && s.resolve(cleanPath(p), 0).node != tree.NoNode {
			continue // a directory, or a symlink to one (a merged /usr's /lib)
		}
		count++
		if e.Type == tar.TypeReg {
			size += e.Size
		}
		s.mark(owned, n)
	}
	return size, count
}

// dir returns the total size and number of the files below a directory;
// with skipNested, not below the node_modules directories in it.
func (s *sizer) dir(p string, skipNested bool, owned []uint64) (int64, int) {
	n, e, ok := s.lookup(p)
	if !ok || !e.IsDir() {
		return 0, 0
	}
	var size int64
	count := 0
	stack := []tree.NodeID{n}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s.t.Children(d, func(c tree.NodeID) {
			v, ok := s.t.VersionAt(c, s.k)
			if !ok {
				return
			}
			e := s.t.Entry(v)
			switch {
			case e.IsDir():
				if !skipNested || s.t.Name(c) != "node_modules" {
					stack = append(stack, c)
				}
			default:
				count++
				if e.Type == tar.TypeReg {
					size += e.Size
				}
				s.mark(owned, c)
			}
		})
	}
	return size, count
}

// lookup finds the version of an absolute path visible after layer k,
// following symlinks in its directories (not in its last element).
func (s *sizer) lookup(p string) (tree.NodeID, *tree.Entry, bool) {
	dir, base := path.Split(cleanPath(p))
	if base == "" {
		return tree.NoNode, nil, false
	}
	// dir is clean but for its trailing slash: path.Clean would copy it.
	switch {
	case dir == "":
		dir = "."
	case len(dir) > 1:
		dir = dir[:len(dir)-1]
	}
	if dir != s.lastDir {
		s.lastDir, s.lastDirNode = dir, s.resolve(dir, 0).node
	}
	dn := s.lastDirNode
	if dn == tree.NoNode {
		return tree.NoNode, nil, false
	}
	n, ok := s.t.Child(dn, base)
	if !ok {
		return tree.NoNode, nil, false
	}
	return s.visibleNode(n)
}

// cleanPath is path.Clean(p), without its walk over every byte for the
// clean absolute paths package lists hold nearly always.
func cleanPath(p string) string {
	if len(p) < 2 || p[0] != '/' {
		return path.Clean(p)
	}
	for rest := p[1:]; ; {
		elem, after, more := strings.Cut(rest, "/")
		if elem == "" || elem == "." || elem == ".." {
			return path.Clean(p)
		}
		if !more {
			return p
		}
		rest = after
	}
}

// visibleNode finds the version of a node visible after layer k.
func (s *sizer) visibleNode(n tree.NodeID) (tree.NodeID, *tree.Entry, bool) {
	v, ok := s.t.VersionAt(n, s.k)
	if !ok {
		return tree.NoNode, nil, false
	}
	return n, s.t.Entry(v), true
}

// resolve returns the directory d names, after symlinks. Each directory
// is resolved once, from its parent's node: one child looked up, not the
// whole path from the root.
func (s *sizer) resolve(d string, depth int) resolvedDir {
	if r, ok := s.dirs[d]; ok {
		return r
	}
	if depth > maxLinkDepth {
		return noDir
	}
	s.dirs[d] = noDir // a symlink loop back to d finds no directory
	r := noDir
	if parent := s.resolve(path.Dir(d), depth+1); parent.node != tree.NoNode {
		base := path.Base(d)
		if c, ok := s.t.Child(parent.node, base); ok {
			if n, e, ok := s.visibleNode(c); ok {
				switch {
				case e.IsDir():
					r = resolvedDir{path.Join(parent.path, base), n}
				case e.Type == tar.TypeSymlink:
					target := s.t.Link(e)
					if !path.IsAbs(target) {
						target = path.Join(parent.path, target)
					}
					r = s.resolve(cleanPath(target), depth+1)
				}
			}
		}
	}
	s.dirs[d] = r
	return r
}

// maxUnownedDirs bounds the directories unowned lists.
const maxUnownedDirs = 10

// unowned returns the number and total size of the regular files
// visible after layer k that no package measured with owned marked, and
// the directories that hold the most of them.
func (s *sizer) unowned() (int, int64, []DirectoryUsage) {
	count, size := 0, int64(0)
	dirs := map[tree.NodeID]*DirectoryUsage{}
	for id := tree.EntryID(0); int(id) < s.t.Entries(); id++ {
		e := s.t.Entry(id)
		if e.Kind != tree.File || e.Type != tar.TypeReg || int(e.Layer) > s.k || int(e.Death) <= s.k {
			continue
		}
		if s.owned != nil && s.owned[e.Node/64]&(1<<(e.Node%64)) != 0 {
			continue
		}
		count++
		size += e.Size
		d := dirs[s.t.Parent(e.Node)]
		if d == nil {
			d = &DirectoryUsage{}
			dirs[s.t.Parent(e.Node)] = d
		}
		d.FileCount++
		d.SizeBytes += e.Size
	}
	top := make([]tree.NodeID, 0, len(dirs))
	for n := range dirs {
		top = append(top, n)
	}
	slices.SortFunc(top, func(a, b tree.NodeID) int {
		return cmp.Or(cmp.Compare(dirs[b].SizeBytes, dirs[a].SizeBytes), cmp.Compare(dirs[b].FileCount, dirs[a].FileCount), cmp.Compare(a, b))
	})
	var out []DirectoryUsage
	for _, n := range top[:min(len(top), maxUnownedDirs)] {
		d := *dirs[n]
		d.Path = s.t.Path(n)
		out = append(out, d)
	}
	return count, size, out
}

// mark marks node n in owned, if owned is not nil, and visits it.
func (s *sizer) mark(owned []uint64, n tree.NodeID) {
	if owned != nil && int(n/64) < len(owned) {
		owned[n/64] |= 1 << (n % 64)
	}
	if s.visit != nil {
		s.visit(n)
	}
}
