// Package oci reads images from OCI image layouts: a layout directory or
// an oci-archive, a tar of one. Nested indexes are followed (each read
// once, their fan-out bounded) and the image for the wanted platform is
// picked.
//
// A layout is hostile input. Its directory is read through an [os.Root]:
// a symlink that leads out of it is refused, and so is any file that is
// not a regular file (a named pipe, a device), before it is opened.
// index.json, the indexes, the manifest and the config are read with a
// size cap and each blob is checked against the digest and size of the
// descriptor that named it, whatever --verify says (see
// source/internal/metadata).
package oci
