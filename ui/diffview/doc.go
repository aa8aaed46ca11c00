// Package diffview is the terminal UI of `strata diff`, built from the
// same kit as inspect's (ui/common, the tree pane of ui/treeview, the
// viewer of ui/viewer, the keys of ui/keymap): both images analyzed
// layer by layer as inspect's is (analyze.Analysis driven from Update),
// then their layers aligned A | B, the two histories aligned with the
// first divergence marked, a summary of the download and the metrics side
// by side, and a tree of the differences between the final filesystems
// with the file tree's keys, filter, hiding and sort. Enter on a file
// shows both versions: their attributes and, for text, a unified diff of
// the contents, read from the layer of each image that wrote them. P
// shows, in the tree's place, the packages B added, removed, upgraded and
// downgraded, as the text report compares them (the packages analyzers
// watch the same single pass over each image's layers), with inspect's
// packages view's keys; enter narrows the tree to a package's files.
package diffview
