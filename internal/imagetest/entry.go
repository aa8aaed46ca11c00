package imagetest

import (
	"archive/tar"
	"path"
	"strings"
)

// Whiteout markers as defined by the OCI image spec.
const (
	// WhiteoutPrefix marks a deleted file: dir/.wh.name deletes dir/name.
	WhiteoutPrefix = ".wh."
	// OpaqueMarker marks a directory whose lower-layer contents are hidden.
	OpaqueMarker = ".wh..wh..opq"
)

// Entry is one member of a layer tar.
//
// Zero values mean defaults: Type is tar.TypeReg (tar.TypeDir when Path ends
// in "/"), Mode is 0644 for files, 0755 for directories and 0777 for
// symlinks. A Mode of 0 therefore always means the default.
type Entry struct {
	// Path is the name inside the layer; a leading "/" is dropped.
	Path string
	// Type is the tar typeflag (tar.TypeReg, tar.TypeDir, tar.TypeSymlink, ...).
	Type byte
	// Mode holds the permission bits.
	Mode int64
	// UID and GID are the numeric owner.
	UID, GID int
	// Content is the file body for regular files.
	Content []byte
	// Size, when positive and Content is nil, gives the file Size bytes of
	// deterministic pseudo-random content derived from Path.
	Size int64
	// Linkname is the target of a symlink or hardlink.
	Linkname string
}

// Reg returns a regular file entry holding content.
func Reg(p, content string) Entry {
	return Entry{Path: p, Type: tar.TypeReg, Content: []byte(content)}
}

// Dir returns a directory entry.
func Dir(p string) Entry {
	return Entry{Path: p, Type: tar.TypeDir}
}

// Symlink returns a symbolic link at p pointing to target (kept verbatim).
func Symlink(p, target string) Entry {
	return Entry{Path: p, Type: tar.TypeSymlink, Linkname: target}
}

// Hardlink returns a hard link at p to the earlier entry target.
func Hardlink(p, target string) Entry {
	return Entry{Path: p, Type: tar.TypeLink, Linkname: target}
}

// Whiteout returns the marker that deletes p from lower layers: an empty
// regular file named dir/.wh.base.
func Whiteout(p string) Entry {
	dir, base := path.Split(strings.TrimSuffix(cleanName(p), "/"))
	return Entry{Path: dir + WhiteoutPrefix + base, Type: tar.TypeReg, Content: []byte{}}
}

// Opaque returns the marker that hides everything lower layers put in dir:
// an empty regular file named dir/.wh..wh..opq.
func Opaque(dir string) Entry {
	d := strings.TrimSuffix(cleanName(dir), "/")
	return Entry{Path: path.Join(d, OpaqueMarker), Type: tar.TypeReg, Content: []byte{}}
}

// WithMode returns a copy of e with permission bits m.
func (e Entry) WithMode(m int64) Entry {
	e.Mode = m
	return e
}

// WithOwner returns a copy of e owned by uid:gid.
func (e Entry) WithOwner(uid, gid int) Entry {
	e.UID, e.GID = uid, gid
	return e
}

// cleanName turns p into a tar member name: no leading "/", cleaned, with a
// trailing "/" kept when p had one.
func cleanName(p string) string {
	dir := strings.HasSuffix(p, "/")
	c := strings.TrimPrefix(path.Clean("/"+p), "/")
	if dir && c != "" {
		c += "/"
	}
	return c
}
