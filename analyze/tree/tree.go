package tree

import (
	"archive/tar"
	"github.com/strata-dev/strata/internal/arena"
	"io/fs"
	"math"
	"strings"
)

// NodeID names a path of the image: one node for every path any layer
// names, whatever the layer.
type NodeID uint32

// EntryID names one entry of one layer in a [Tree].
type EntryID int32

const (
	// Root is the node of "/".
	Root NodeID = 0
	// NoNode stands for no node.
	NoNode NodeID = math.MaxUint32
	// NoEntry stands for no entry.
	NoEntry EntryID = -1
	// Alive is the Death of an entry still visible in the top layer stacked.
	Alive int32 = math.MaxInt32
)

// Kind says what an [Entry] does to the filesystem.
type Kind uint8

const (
	// File is an ordinary entry: a file, directory, link or device.
	File Kind = iota
	// Whiteout deletes its node and everything below it in lower layers.
	Whiteout
	// Opaque hides everything lower layers put below its directory.
	Opaque
	// Implied is a parent directory the layer's tar did not list.
	Implied
)

// Entry is one version of a node as one layer writes it, or a whiteout or
// opaque marker of that layer.
type Entry struct {
	Size int64 // size from the tar header
	// Hash is the XXH3 64-bit hash of a regular file's contents; see
	// [NewContentHash].
	Hash uint64
	// RemovedSize is, for whiteouts and opaque markers, the total size of
	// what they removed from the stack below.
	RemovedSize int64
	Node        NodeID
	Layer       int32
	// Death is the first layer in which this version is no longer visible,
	// or Alive. A file version is visible in layers [Layer, Death).
	Death int32
	prev  EntryID // the node's previous version
	// Mode and the owner are the tar header's, a whiteout's and an opaque
	// marker's included; a whiteout's Type is that of what it removed.
	Mode fs.FileMode
	// uid and gid are the owner (see [Tree.Owner]), or, for an owner that
	// does not fit 32 bits, uid is its index in the tree's wide owners.
	uid, gid uint32
	Type     byte // tar typeflag
	Kind     Kind
	// Superseded says a later entry of the same layer wrote the same path.
	Superseded bool
	wideOwner  bool
	link       arena.Ref // link target of symlinks and hard links; see [Tree.Link]
}

// IsDir says whether the entry is a directory.
func (e *Entry) IsDir() bool { return e.Type == tar.TypeDir }

// sameContent says whether two versions of a path are equal: type, content,
// link target, mode and owner.
func (t *Tree) sameContent(a, b *Entry) bool {
	if a.Type != b.Type || a.Hash != b.Hash || a.Mode != b.Mode || t.Link(a) != t.Link(b) {
		return false
	}
	ua, ga := t.Owner(a)
	ub, gb := t.Owner(b)
	return ua == ub && ga == gb
}

// Owner returns the entry's owner: its uid and gid as its tar gives them,
// whatever their size.
func (t *Tree) Owner(e *Entry) (uid, gid int64) {
	if e.wideOwner {
		o := t.wideOwners[e.uid]
		return o[0], o[1]
	}
	return int64(e.uid), int64(e.gid)
}

// setOwner keeps an owner in the entry, or among the wide owners when it
// does not fit 32 bits.
func (t *Tree) setOwner(e *Entry, uid, gid int64) {
	if uid >= 0 && uid <= math.MaxUint32 && gid >= 0 && gid <= math.MaxUint32 {
		e.uid, e.gid = uint32(uid), uint32(gid)
		return
	}
	e.wideOwner = true
	e.uid = uint32(len(t.wideOwners))
	t.wideOwners = append(t.wideOwners, [2]int64{uid, gid})
}

// StoredSize returns, for a sparse file with holes, the bytes of data its
// tar stores (the entry's Size is its logical size), and true; for any
// other entry, false.
func (t *Tree) StoredSize(id EntryID) (int64, bool) {
	n, ok := t.stored[id]
	return n, ok
}

type node struct {
	name        arena.Ref
	parent      NodeID
	first, next NodeID // children ever named, and this node's next sibling
	// live children in the stack being built
	liveFirst, liveNext, livePrev NodeID
	last                          EntryID // newest version
}

// Tree holds every path of an image and every version of it, layer by layer.
// It is built by a [Builder] and read-only afterwards.
type Tree struct {
	nodes   arena.Paged[node]
	entries arena.Paged[Entry]
	index   childIndex
	names   arena.Strings // node names
	links   arena.Strings // link targets
	// deadBytes is the total size of the versions no longer visible.
	deadBytes int64
	// wideOwners are owners that do not fit 32 bits, which are rare
	// enough to keep out of every entry.
	wideOwners [][2]int64
	// stored is the stored size of the sparse files with holes.
	stored map[EntryID]int64
	// onDeath, when set, is told of every version that ends.
	onDeath func(Death)
	// the directory of the last path nodeOf resolved, and its node
	lastDir     string
	lastDirNode NodeID
}

func newTree() *Tree {
	t := &Tree{index: newChildIndex(), lastDirNode: NoNode}
	t.nodes.Add(node{parent: NoNode, first: NoNode, next: NoNode,
		liveFirst: NoNode, liveNext: NoNode, livePrev: NoNode, last: NoEntry})
	return t
}

// Len is the number of nodes.
func (t *Tree) Len() int { return t.nodes.Len() }

// Name is the last element of the node's path.
func (t *Tree) Name(n NodeID) string { return t.names.Get(t.node(n).name) }

// Parent is the node's parent, NoNode for Root.
func (t *Tree) Parent(n NodeID) NodeID { return t.node(n).parent }

// Path is the node's absolute path.
func (t *Tree) Path(n NodeID) string {
	if n == Root {
		return "/"
	}
	var stack [64]NodeID
	up, size := stack[:0], 0
	for ; n != Root; n = t.node(n).parent {
		up = append(up, n)
		size += 1 + len(t.Name(n))
	}
	var b strings.Builder
	b.Grow(size)
	for i := len(up) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(t.Name(up[i]))
	}
	return b.String()
}

// AppendRelPath appends the node's path without its leading slash.
func (t *Tree) AppendRelPath(b []byte, n NodeID) []byte {
	if n == Root || n == NoNode {
		return b
	}
	if p := t.node(n).parent; p != Root {
		b = append(t.AppendRelPath(b, p), '/')
	}
	return append(b, t.Name(n)...)
}

// Lookup finds the node of an absolute path. Empty elements are skipped.
func (t *Tree) Lookup(p string) (NodeID, bool) {
	n := Root
	for p != "" {
		part := p
		if i := strings.IndexByte(p, '/'); i >= 0 {
			part, p = p[:i], p[i+1:]
		} else {
			p = ""
		}
		if part == "" {
			continue
		}
		c, ok := t.Child(n, part)
		if !ok {
			return NoNode, false
		}
		n = c
	}
	return n, true
}

// Child finds the child of n with a name.
func (t *Tree) Child(n NodeID, name string) (NodeID, bool) {
	c, _, _ := t.index.find(t, n, name)
	return c, c != NoNode
}

// Children calls f for every child the node ever had, in no order.
func (t *Tree) Children(n NodeID, f func(NodeID)) {
	for c := t.node(n).first; c != NoNode; c = t.node(c).next {
		f(c)
	}
}

// Entry returns an entry.
func (t *Tree) Entry(id EntryID) *Entry { return t.entry(id) }

func (t *Tree) entry(id EntryID) *Entry { return t.entries.At(int(id)) }

func (t *Tree) node(n NodeID) *node { return t.nodes.At(int(n)) }

// Link is the target of a symlink or hard link entry, as its tar has it;
// "" for other entries. Entries keep it outside themselves so that they
// hold no pointer for the garbage collector to follow.
func (t *Tree) Link(e *Entry) string { return t.links.Get(e.link) }

// Entries is the number of entries.
func (t *Tree) Entries() int { return t.entries.Len() }

// DeadBytes is the total size of the file versions that are no longer
// visible at the top of the stack, because a later layer (or a later
// entry of the same layer) overwrote or deleted them.
func (t *Tree) DeadBytes() int64 { return t.deadBytes }

// VersionAt returns the version of n visible in the stack after layer k.
func (t *Tree) VersionAt(n NodeID, k int) (EntryID, bool) {
	for v := t.node(n).last; v != NoEntry; v = t.entry(v).prev {
		e := t.entry(v)
		if int(e.Layer) <= k {
			if int(e.Death) > k {
				return v, true
			}
			return NoEntry, false
		}
	}
	return NoEntry, false
}

// child returns the child of parent called name, creating it.
func (t *Tree) child(parent NodeID, name string) NodeID {
	c, key, slot := t.index.find(t, parent, name)
	if c != NoNode {
		return c
	}
	id := NodeID(t.nodes.Add(node{name: t.names.Add(name), parent: parent, first: NoNode,
		next: t.node(parent).first, liveFirst: NoNode, liveNext: NoNode,
		livePrev: NoNode, last: NoEntry}))
	t.node(parent).first = id
	t.index.add(key, slot, id)
	return id
}

// nodeOf returns the node of a clean absolute path, creating it and its
// parents. Paths in tar order mostly share their directory with the one
// before, which is then not walked again.
func (t *Tree) nodeOf(p string) NodeID {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return t.walk(Root, p)
	}
	if p[:i] != t.lastDir || t.lastDirNode == NoNode {
		t.lastDir, t.lastDirNode = p[:i], t.walk(Root, p[:i])
	}
	return t.child(t.lastDirNode, p[i+1:])
}

// walk returns the node of p, a clean path below n with a leading slash,
// creating it and its parents.
func (t *Tree) walk(n NodeID, p string) NodeID {
	for len(p) > 0 {
		p = p[1:] // the leading slash
		i := strings.IndexByte(p, '/')
		if i < 0 {
			return t.child(n, p)
		}
		n = t.child(n, p[:i])
		p = p[i:]
	}
	return n
}
