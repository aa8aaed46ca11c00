// Package tree stacks an image's layers with overlay semantics and answers
// what the filesystem looks like, and what changed, at any layer.
//
// Every path the image ever names becomes one node of a [Tree]; every tar
// entry is a version of a node ([Entry]) with the layer range in which it
// is visible, so the stacked filesystem at any layer, and the change of
// any path at any layer, is answered without copying trees. A ".wh.NAME"
// entry deletes NAME and everything below it, and an opaque marker
// ".wh..wh..opq" hides everything a lower layer put in its directory; both
// only affect lower layers, as the OCI image spec says. A whiteout, an
// opaque marker or a stack step costs time proportional to the entries it
// touches.
//
// A [Builder] stacks parsed layers in order; a [View] is the filesystem at
// one layer compared with the layer below ([CompareLayer]) or with the
// base ([CompareAggregated]). The package also maps the image's history to
// its layers and formats modes as ls does.
package tree
