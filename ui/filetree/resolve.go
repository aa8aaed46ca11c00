package filetree

import (
	"archive/tar"
	"errors"
	"fmt"
	"strings"

	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// Target is the regular file the viewer reads for a path: the path
// itself, or where its links lead.
type Target struct {
	Node tree.NodeID
	Path string
	// Layer is the layer whose tar holds the file's bytes.
	Layer int
	// Via names the links followed, "" for none: "→ /bin/busybox".
	Via string
}

const (
	// maxLinks is how many links one path may go through, as Linux's
	// MAXSYMLINKS.
	maxLinks = 40
	// maxPath bounds the paths a link resolves to, as PATH_MAX.
	maxPath = 4096
)

// errOutside says that a link leads out of the image.
var errOutside = errors.New("leads outside the image")

// Resolve finds the regular file that n is, or that it leads to, as the
// view's layer has it: symlinks are followed (a relative target from the
// link's directory, an absolute one from the image's root), and a hard
// link leads to the file it names. A link whose target climbs above the
// root, or a chain of more than 40, is refused.
func Resolve(v *tree.View, n tree.NodeID) (Target, error) {
	r := resolver{v: v}
	got := n
	if e, ok := r.version(n); ok && (e.Type == tar.TypeSymlink || e.Type == tar.TypeLink) {
		var err error
		if got, err = r.walk(v.Tree.Path(n), true); err != nil {
			return Target{}, err
		}
	}
	e, ok := r.version(got)
	if !ok {
		return Target{}, fmt.Errorf("%s: not in layer %d", v.Tree.Path(got), v.Layer)
	}
	if e.Type != tar.TypeReg {
		return Target{}, fmt.Errorf("%s: not a regular file (%s)", v.Tree.Path(got), tarparse.TypeName(e.Type))
	}
	t := Target{Node: got, Path: v.Tree.Path(got), Layer: int(e.Layer)}
	if got != n {
		t.Via = "→ " + t.Path
	}
	return t, nil
}

type resolver struct {
	v     *tree.View
	links int
}

func (r *resolver) version(n tree.NodeID) (*tree.Entry, bool) {
	id, ok := r.v.Tree.VersionAt(n, r.v.Layer)
	if !ok {
		return nil, false
	}
	return r.v.Tree.Entry(id), true
}

// walk finds the node of an absolute path, following the links on the
// way, and the last one too when final is set.
func (r *resolver) walk(p string, final bool) (tree.NodeID, error) {
	if len(p) > maxPath {
		return tree.NoNode, fmt.Errorf("a link leads to a path longer than %d bytes", maxPath)
	}
	parts := strings.Split(p, "/")
	cur, curPath := tree.Root, ""
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		switch part {
		case "", ".":
			continue
		case "..":
			if cur == tree.Root {
				return tree.NoNode, fmt.Errorf("%s %w", p, errOutside)
			}
			cur = r.v.Tree.Parent(cur)
			curPath = curPath[:strings.LastIndexByte(curPath, '/')]
			continue
		}
		next, ok := r.v.Tree.Lookup(curPath + "/" + part)
		if !ok {
			return tree.NoNode, fmt.Errorf("%s: not in the image", curPath+"/"+part)
		}
		e, ok := r.version(next)
		if !ok {
			return tree.NoNode, fmt.Errorf("%s: not in layer %d", curPath+"/"+part, r.v.Layer)
		}
		last := i == len(parts)-1
		if e.Type == tar.TypeSymlink && (!last || final) || e.Type == tar.TypeLink && last && final {
			if r.links++; r.links > maxLinks {
				return tree.NoNode, fmt.Errorf("%s: more than %d links", p, maxLinks)
			}
			target := r.v.Tree.Link(e)
			rest := strings.Join(parts[i+1:], "/")
			switch {
			case e.Type == tar.TypeLink || strings.HasPrefix(target, "/"):
				// A hard link names a path of the image; an absolute
				// symlink starts at its root.
				return r.walk("/"+strings.TrimPrefix(target, "/")+"/"+rest, final)
			default:
				return r.walk(curPath+"/"+target+"/"+rest, final)
			}
		}
		cur, curPath = next, curPath+"/"+part
	}
	return cur, nil
}
