package tree

// Cause says why a version of a path stopped being visible.
type Cause uint8

const (
	// Deleted is a whiteout of the path, or of a directory above it.
	Deleted Cause = iota
	// Hidden is an opaque marker on a directory above the path.
	Hidden
	// Replaced is a new version of the same path.
	Replaced
	// ParentReplaced is a directory above the path replaced by something
	// that is not a directory.
	ParentReplaced
)

func (c Cause) String() string {
	switch c {
	case Hidden:
		return "hidden"
	case Replaced:
		return "replaced"
	case ParentReplaced:
		return "parent replaced"
	}
	return "deleted"
}

// Death is a version of a path that stopped being visible.
type Death struct {
	Version EntryID // the version that ended
	Layer   int32   // the layer that ended it
	Cause   Cause
	// By is, for Replaced, the version that replaced it.
	By EntryID
}

// died tells the observer, if any, that version v ended at layer k.
func (t *Tree) died(v EntryID, k int32, cause Cause, by EntryID) {
	if t.onDeath != nil {
		t.onDeath(Death{Version: v, Layer: k, Cause: cause, By: by})
	}
}
