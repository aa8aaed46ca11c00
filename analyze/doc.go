// Package analyze reads the layers of a container image and works out what
// each one adds, changes, removes and wastes.
//
// Each layer's tar is streamed exactly once. For every entry the analysis keeps
// its path, type, size, mode, owner, link target and a 64-bit XXH3 hash of its
// contents — never the contents themselves. Layers are read in parallel and
// then stacked in manifest order with overlay semantics: a ".wh.NAME" entry
// deletes NAME and everything below it, and an opaque marker ".wh..wh..opq"
// hides everything a lower layer put in its directory. Both only affect lower
// layers, as the OCI image spec says.
//
// Every path the image ever names becomes one node of a [Tree]; every entry is
// a version of a node with the layer range in which it is visible, so the
// stacked filesystem at any layer, and the change of any path at any layer,
// is answered without copying trees. A whiteout, an opaque marker or a stack
// step costs time proportional to the entries it touches.
//
// The package knows nothing of where an image came from: it takes an [Image],
// a narrow view that every source in strata/source produces.
package analyze
