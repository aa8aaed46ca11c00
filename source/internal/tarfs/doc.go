// Package tarfs indexes the members of a tar file (a `docker save` tarball,
// an oci-archive) in one pass so that each can be read later, concurrently,
// straight from the file. Only a regular file is opened, and links inside
// the archive are followed, a bounded number of times.
package tarfs
