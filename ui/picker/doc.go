// Package picker is the platform picker: the pane that opens first when
// the image is a multi-platform index and no platform was given. It lists
// one row a platform (os/arch/variant, compressed and uncompressed size,
// layer count, bytes shared with the other platforms), read from the
// index's manifests and configs alone; enter picks one.
package picker
