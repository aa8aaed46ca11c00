package tree

import (
	"archive/tar"
	"fmt"
	"path"

	"github.com/strata-dev/strata/analyze/tarparse"
)

// maxLinkHops bounds the hard links followed from one, as the kernel
// bounds symlinks.
const maxLinkHops = 40

// HardLinkTarget resolves hard link entry id to the regular-file version
// whose contents it shares, as tar and overlay do: the version of the
// target path current when the link entry was written — an earlier entry
// of the same layer, even one a later entry of the layer then rewrote, or
// else the version the stack below held — through further hard links.
func (t *Tree) HardLinkTarget(id EntryID) (EntryID, error) {
	for range maxLinkHops {
		e := t.entry(id)
		p := path.Clean("/" + t.Link(e))
		n, ok := t.Lookup(p)
		if !ok || n == Root {
			return NoEntry, fmt.Errorf("target %s is not in the image", p)
		}
		v, ok := t.versionBefore(n, id)
		if !ok {
			return NoEntry, fmt.Errorf("target %s is not present at layer %d", p, e.Layer)
		}
		switch te := t.entry(v); te.Type {
		case tar.TypeReg:
			return v, nil
		case tar.TypeLink:
			id = v
			continue
		default:
			return NoEntry, fmt.Errorf("target %s is a %s", p, tarparse.TypeName(te.Type))
		}
	}
	return NoEntry, fmt.Errorf("too many hard links in a row from %s", t.Link(t.entry(id)))
}

// versionBefore returns the version of n that was current just before
// entry id was written.
func (t *Tree) versionBefore(n NodeID, id EntryID) (EntryID, bool) {
	layer := t.entry(id).Layer
	later := NoEntry // the version after v
	for v := t.node(n).last; v != NoEntry; later, v = v, t.entry(v).prev {
		if v > id {
			continue // written after the link: ids follow the layers and the tar order
		}
		e := t.entry(v)
		switch {
		case e.Layer == layer:
			return v, true // earlier in the same tar
		case e.Death < layer:
			return NoEntry, false // gone from the stack below
		case e.Death == layer:
			// Ended by this layer: by a whiteout or opaque marker, which
			// come before every entry, or by a version written after the
			// link.
			if later != NoEntry && t.entry(later).Layer == layer && later > id {
				return v, true
			}
			return NoEntry, false
		}
		return v, true
	}
	return NoEntry, false
}
