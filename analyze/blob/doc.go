// Package blob reads a layer as its source stores it: the compressed (or
// plain) blob, decompressed into the layer's tar, with the stored bytes
// hashed for the layer's digest and the tar's bytes for its diffID.
//
// A [Stream] is one pass over one layer. The compression is told from the
// blob's first bytes, whatever the media type says, as Docker does: gzip
// (decompressed by klauspost/compress, 1.4 times as fast as the standard
// library), zstd, or none — a plain tar is read once and hashed once, its
// digest and diffID being the same bytes. bzip2 and xz are recognised and
// refused with an error that names them.
//
// Reading, decompressing and hashing run on a goroutine of their own a few
// chunks ahead of the tar parser ([Stream.Tar]), and the chunk buffers are
// reused from layer to layer.
package blob
