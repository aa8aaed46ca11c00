package diff

import (
	"archive/tar"
	"io/fs"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
)

// NodeID names a path of a [Tree].
type NodeID int32

const (
	// Root is the node of "/".
	Root NodeID = 0
	// NoNode stands for no node.
	NoNode NodeID = -1
)

// What says which attributes of a path that both images hold differ.
type What uint8

// The attributes compared. A path whose Type differs is not compared
// further.
const (
	Content What = 1 << iota // a regular file's bytes
	Mode                     // permission, setuid, setgid and sticky bits
	Owner                    // uid or gid
	Type                     // file, directory, symlink…
	Link                     // a symlink's or hard link's target
)

// Words names each attribute that differs: "content", "mode"…
func (w What) Words() []string {
	var out []string
	for _, x := range []struct {
		bit  What
		name string
	}{{Content, "content"}, {Mode, "mode"}, {Owner, "owner"}, {Type, "type"}, {Link, "link"}} {
		if w&x.bit != 0 {
			out = append(out, x.name)
		}
	}
	return out
}

// Version is a path as one image's final filesystem holds it.
type Version struct {
	Present bool
	Type    byte // tar typeflag
	Mode    fs.FileMode
	UID     int64
	GID     int64
	Size    int64 // a file's size; 0 for directories
	Hash    uint64
	Link    string
	// Layer is the layer of its image that wrote the version: read the
	// contents from it.
	Layer int32
	// Implied says no tar listed the directory: its mode and owner are
	// strata's guesses, and are not compared.
	Implied bool
}

// IsDir says whether the version is a directory.
func (v *Version) IsDir() bool { return v.Present && v.Type == tar.TypeDir }

// Node is one path of either final filesystem.
type Node struct {
	Name     string
	Parent   NodeID
	Children []NodeID // sorted by name
	A, B     Version
	// Change is the path's own change from A to B.
	Change tree.ChangeType
	// What lists what differs for a Modified path.
	What What
	// SizeA and SizeB are a file's size in each image, or for a directory
	// the total size of the files below it.
	SizeA, SizeB int64
	// Below counts the paths under a directory by their own change.
	Below [4]int32
}

// Delta is SizeB - SizeA.
func (n *Node) Delta() int64 { return n.SizeB - n.SizeA }

// IsDir says whether the path is a directory in either image.
func (n *Node) IsDir() bool { return n.A.IsDir() || n.B.IsDir() }

// Tree holds every path of both final filesystems, each with its version
// in A and in B. Node 0 is the root.
type Tree struct {
	nodes []Node
	// Counts are the paths by their own change, the root not included.
	Counts [4]int
}

// Len is the number of nodes.
func (t *Tree) Len() int { return len(t.nodes) }

// Node returns a node. It must not be changed.
func (t *Tree) Node(n NodeID) *Node { return &t.nodes[n] }

// Path is the node's absolute path.
func (t *Tree) Path(n NodeID) string {
	if n == Root {
		return "/"
	}
	var parts []string
	for ; n != Root; n = t.nodes[n].Parent {
		parts = append(parts, t.nodes[n].Name)
	}
	slices.Reverse(parts)
	return "/" + strings.Join(parts, "/")
}

// Lookup finds the node of an absolute path.
func (t *Tree) Lookup(p string) (NodeID, bool) {
	n := Root
	for part := range strings.SplitSeq(strings.Trim(p, "/"), "/") {
		if part == "" {
			continue
		}
		kids := t.nodes[n].Children
		i, ok := slices.BinarySearchFunc(kids, part, func(c NodeID, name string) int {
			return strings.Compare(t.nodes[c].Name, name)
		})
		if !ok {
			return NoNode, false
		}
		n = kids[i]
	}
	return n, true
}

// Changed says whether anything differs in the tree.
func (t *Tree) Changed() bool {
	return t.Counts[tree.Added]+t.Counts[tree.Removed]+t.Counts[tree.Modified] > 0
}

// Walk calls f for every node but the root, depth first with children in
// name order, and skips a directory's children when f returns false.
func (t *Tree) Walk(f func(NodeID) bool) {
	stack := slices.Clone(t.nodes[Root].Children)
	slices.Reverse(stack)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !f(n) {
			continue
		}
		kids := t.nodes[n].Children
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
}

// side is one image's tree read at its last layer.
type side struct {
	tree *tree.Tree
	top  int
}

func (s side) version(n tree.NodeID) (Version, bool) {
	if n == tree.NoNode || s.top < 0 {
		return Version{}, false
	}
	id, ok := s.tree.VersionAt(n, s.top)
	if !ok {
		return Version{}, false
	}
	e := s.tree.Entry(id)
	uid, gid := s.tree.Owner(e)
	v := Version{Present: true, Type: e.Type, Mode: e.Mode, UID: uid, GID: gid, Hash: e.Hash,
		Link: s.tree.Link(e), Layer: e.Layer, Implied: e.Kind == tree.Implied}
	if !e.IsDir() {
		v.Size = e.Size
	}
	return v, true
}

// child is a child of a directory present in the final filesystem.
type child struct {
	name string
	id   tree.NodeID
	v    Version
}

// children lists the children of n present in the final filesystem,
// sorted by name, into buf.
func (s side) children(n tree.NodeID, buf []child) []child {
	buf = buf[:0]
	if n == tree.NoNode || s.top < 0 {
		return buf
	}
	s.tree.Children(n, func(c tree.NodeID) {
		if v, ok := s.version(c); ok {
			buf = append(buf, child{s.tree.Name(c), c, v})
		}
	})
	slices.SortFunc(buf, func(a, b child) int { return strings.Compare(a.name, b.name) })
	return buf
}

// compareFiles builds the tree of both final filesystems.
func compareFiles(a, b *analyze.Result) *Tree {
	t := &Tree{nodes: make([]Node, 1, max(a.Tree.Len(), b.Tree.Len()))}
	t.nodes[0].Parent = NoNode
	sa := side{a.Tree, len(a.Layers) - 1}
	sb := side{b.Tree, len(b.Layers) - 1}
	t.build(Root, sa, sb, tree.Root, tree.Root)
	return t
}

// build adds the children of node n, which is na in A and nb in B
// (tree.NoNode where the image has no directory there), and everything
// below them: the sizes and counts of n are complete when it returns.
func (t *Tree) build(n NodeID, sa, sb side, na, nb tree.NodeID) {
	ka := sa.children(na, nil)
	kb := sb.children(nb, nil)
	children := make([]NodeID, 0, max(len(ka), len(kb)))
	for i, j := 0, 0; i < len(ka) || j < len(kb); {
		c := Node{Parent: n}
		ca, cb := tree.NoNode, tree.NoNode
		switch {
		case j == len(kb) || i < len(ka) && ka[i].name < kb[j].name:
			c.Name, c.A, ca = ka[i].name, ka[i].v, ka[i].id
			i++
		case i == len(ka) || kb[j].name < ka[i].name:
			c.Name, c.B, cb = kb[j].name, kb[j].v, kb[j].id
			j++
		default:
			c.Name, c.A, c.B, ca, cb = ka[i].name, ka[i].v, kb[j].v, ka[i].id, kb[j].id
			i++
			j++
		}
		id := NodeID(len(t.nodes))
		c.Change, c.What = compareVersions(&c.A, &c.B)
		c.SizeA, c.SizeB = c.A.Size, c.B.Size
		t.nodes = append(t.nodes, c)
		t.Counts[c.Change]++
		children = append(children, id)
		if c.IsDir() {
			if !c.A.IsDir() {
				ca = tree.NoNode
			}
			if !c.B.IsDir() {
				cb = tree.NoNode
			}
			t.build(id, sa, sb, ca, cb)
		}
		done := &t.nodes[id]
		parent := &t.nodes[n]
		parent.SizeA += done.SizeA
		parent.SizeB += done.SizeB
		for k, v := range done.Below {
			parent.Below[k] += v
		}
		parent.Below[done.Change]++
	}
	t.nodes[n].Children = children
}

// permBits are the mode bits compared: not the type, which Type says.
const permBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// compareVersions says how a path changed from a to b.
func compareVersions(a, b *Version) (tree.ChangeType, What) {
	switch {
	case !a.Present && !b.Present:
		return tree.Unmodified, 0
	case !a.Present:
		return tree.Added, 0
	case !b.Present:
		return tree.Removed, 0
	case a.Type != b.Type:
		return tree.Modified, Type
	}
	var w What
	if a.Type == tar.TypeReg && (a.Hash != b.Hash || a.Size != b.Size) {
		w |= Content
	}
	if a.Link != b.Link {
		w |= Link
	}
	if !a.Implied && !b.Implied {
		if a.Mode&permBits != b.Mode&permBits {
			w |= Mode
		}
		if a.UID != b.UID || a.GID != b.GID {
			w |= Owner
		}
	}
	if w == 0 {
		return tree.Unmodified, 0
	}
	return tree.Modified, w
}
