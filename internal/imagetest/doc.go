// Package imagetest builds container images in code for tests.
//
// Layers are described as ordered lists of [Entry] values and rendered into
// deterministic tar streams by [LayerTar]. [Image] turns a list of [Step]s
// (one per Dockerfile instruction) into a [v1.Image] with matching history,
// and the Write functions put images on disk in the formats strata reads:
// a `docker save` tarball, an OCI image layout directory and an OCI archive.
//
// Everything is deterministic: the same input always produces the same
// bytes, so digests can be asserted in tests and fixtures never drift.
//
// [GenerateLarge] writes big, realistic images for benchmarks by streaming
// each layer through a temporary file, so memory does not grow with size.
package imagetest
