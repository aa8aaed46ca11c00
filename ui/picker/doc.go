// Package picker is the platform picker: the pane that opens first when
// the image is a multi-platform index and no platform was given. It lists
// one row a platform (os/arch/variant, compressed and uncompressed size,
// layer count, bytes shared with the other platforms, the kinds of the
// attestations that describe it), read from the index's manifests and
// configs alone; enter picks one. [LoadStatements] reads a platform's
// in-toto statements (SBOM, provenance) only when asked, and lays them
// out for the viewer, each summarised then shown as indented JSON.
package picker
