// Package tarparse is the tar parser of a layer: it turns the tar inside
// a layer blob into the entries the overlay stacks — each with its clean
// absolute path, type, size, mode, owner, link target and, for regular
// files, a 64-bit XXH3 hash of its contents — reading every byte once.
//
// The headers almost every layer is made of (USTAR and GNU headers of the
// ordinary entry types) are decoded by a reader of its own that allocates
// nothing per entry; every other header goes to archive/tar, and a fuzz
// test keeps the two in agreement (BenchmarkHeaders shows why the fast
// reader exists). One filter decides which entries belong to the image's
// filesystem and what whiteouts (.wh.NAME) and opaque markers
// (.wh..wh..opq) apply to; both [Parser.Parse], for the analysis, and
// [Walk], for reading files, go through it.
package tarparse
