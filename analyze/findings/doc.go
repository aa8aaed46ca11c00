// Package findings says why an image's bytes are wasted and what to
// change in its Dockerfile, and what it ships that it should not.
//
// An [Analyzer] is an analysis observer (analyze.WithObserver): while the
// layers are read and stacked it is told of every version of a path that
// stops being visible, and why, and it sees the contents of the few files
// that may hold secrets, so it adds no pass over any layer. Once the
// analysis is done, [Analyzer.Findings] turns what it gathered, the final
// filesystem and the image's configuration into findings, largest first.
//
// Every reclaimable byte (a file version shipped that no container sees)
// is counted in exactly one waste finding: deleted-later,
// metadata-rewrite, overwritten or opaque-hidden, each for one pair of
// history steps, the one that wrote the files and the one that ended them.
// The other findings are about the final image (package caches, build
// tooling, version-control and editor files, duplicated content,
// setuid files, world-writable paths, its size), its configuration (a root
// user, no health check, secrets in ENV or build arguments) and secrets
// in files, visible or "deleted" but still in a layer. A secret's value
// is never kept: only its kind and a short fingerprint.
//
// Bytes are uncompressed sizes, as dive counts them.
package findings
