// Package diffview is the terminal UI of `strata diff`: both images
// analyzed in the background, then their layers aligned A | B, the two
// histories aligned with the first divergence marked, a summary of the
// download and the metrics side by side, and a tree of the differences
// between the final filesystems with the file tree's keys, filter, hiding
// and sort. Enter on a file shows both versions: their attributes and, for
// text, a unified diff of the contents, read from the layer of each image
// that wrote them.
package diffview
