// Package layercache keeps each analysed layer's parsed entries — paths,
// types, sizes, modes, owners, link targets and content hashes, never file
// contents — on disk by diffID, so that a second look at the same image, a
// rebuild that changed one layer, or a diff of two versions reads only the
// layers it has not seen. For a registry image, a cached layer is not
// downloaded at all.
//
// Entries live in one file each under the cache directory
// ($XDG_CACHE_HOME/strata/layers, else ~/.cache/strata/layers), named by
// the layer's diffID and by what the analysis kept of its files (findings
// and packages keep a few files' contents). Files are written to a
// temporary name and renamed, so that concurrent runs never see half a
// file; each is checksummed, versioned and checked against its diffID when
// read, and a damaged one is removed and its layer read again. The
// directory is kept under a size (2 GiB unless set) by removing the files
// used least recently.
//
// A layer served from the cache is not read, so its bytes are not checked
// against its digests again: use --no-cache for that.
package layercache
