package tarparse

import (
	"archive/tar"
	"path"
	"strings"
)

// The names overlay filesystems give whiteouts and opaque markers.
const (
	// WhiteoutPrefix starts the name of an entry that deletes NAME:
	// .wh.NAME.
	WhiteoutPrefix = ".wh."
	// OpaqueMarker is the name of an entry that hides everything lower
	// layers put in its directory.
	OpaqueMarker = ".wh..wh..opq"
	// metaPrefix starts aufs metadata such as .wh..wh.plnk, which is not
	// part of the filesystem.
	metaPrefix = ".wh..wh."
)

// Kind says what a tar entry means to the overlay.
type Kind uint8

const (
	// Ordinary is an entry that writes its path: a file, directory, link
	// or device.
	Ordinary Kind = iota
	// Whiteout deletes its path, and everything below it, in lower layers.
	Whiteout
	// Opaque hides everything lower layers put below its directory.
	Opaque
)

// hiddenAtRoot says whether p is one of the files eStargz adds to a layer,
// which are not part of the image's filesystem.
func hiddenAtRoot(p string) bool {
	switch p {
	case "/stargz.index.json", "/.prefetch.landmark", "/.no.prefetch.landmark":
		return true
	}
	return false
}

// cleanPath turns a tar name into a clean absolute path; "" for the root.
func cleanPath(name string) string {
	if isClean(name) {
		return "/" + strings.TrimSuffix(name, "/")
	}
	p := path.Clean("/" + name)
	if p == "/" {
		return ""
	}
	return p
}

// isClean says whether "/"+name, less one trailing slash, is already what
// path.Clean makes of it, as the names of most layers are: relative, with
// no empty, "." or ".." element.
func isClean(name string) bool {
	if name == "" || name[0] == '/' {
		return false
	}
	start := 0 // of the current element
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			continue
		}
		switch name[start:i] {
		case "", ".", "..":
			// An empty element is only allowed as the last, after a
			// trailing slash.
			if !(i == len(name) && start == i && i > 0) {
				return false
			}
		}
		start = i + 1
	}
	return true
}

// accept is the one filter both [Parser.Parse] and [Walk] apply to a tar
// entry, so that the analysis and the file reader see the same entries.
// typ is the entry's typeflag and p its name made clean and absolute (by
// cleanPath).
//
// Pax global headers, the root itself and eStargz's files are not part of
// the layer at all (counted false). aufs metadata and whiteouts that name
// no file count towards the layer's size, as dive counts them, but change
// no path (stacked false). For the rest it returns the path the entry
// applies to — for whiteouts the deleted path, for opaque markers the
// directory ("" for the root) — and what it does.
func accept(typ byte, p string) (target string, k Kind, counted, stacked bool) {
	if typ == tar.TypeXGlobalHeader || p == "" || hiddenAtRoot(p) {
		return "", 0, false, false
	}
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case strings.Contains(dir, "/"+metaPrefix):
		return "", 0, true, false // inside aufs metadata such as /.wh..wh.plnk/
	case base == OpaqueMarker:
		return dir, Opaque, true, true
	case strings.HasPrefix(base, metaPrefix):
		return "", 0, true, false
	case strings.HasPrefix(base, WhiteoutPrefix) && len(base) > len(WhiteoutPrefix):
		name := base[len(WhiteoutPrefix):]
		if name == "." || name == ".." {
			return "", 0, true, false // .wh.. and .wh... name no file
		}
		return dir + "/" + name, Whiteout, true, true
	}
	return p, Ordinary, true, true
}

// headerOnly says whether entries of a tar type have no data: their header
// may still give any size, negative or a terabyte, which is not counted.
func headerOnly(typ byte) bool {
	switch typ {
	case tar.TypeLink, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeDir, tar.TypeFifo:
		return true
	}
	return false
}

// CleanPath turns a path as a user or a tar names it into the clean
// absolute path the analysis uses; "" for the root.
func CleanPath(name string) string { return cleanPath(name) }
