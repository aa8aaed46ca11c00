// Package treeview is the tree pane both of strata's UIs show: inspect's
// file tree of a layer and diff's tree of the differences between two
// images. It walks any tree that implements the four methods of [Tree],
// and draws only the rows in its window: which nodes are rows is computed
// in one pass over the nodes when what is shown changes (a layer, the
// filter, the hidden change types), and moving the cursor walks from row
// to row. Nothing it does on a key or a frame grows with the depth of the
// tree beyond a walk up one path, so a path 400,000 directories deep costs
// no more than a few milliseconds.
//
// The pane has the file tree's keys (its [KeyMap]): collapse and expand,
// hide change types, sort by name or size, attribute columns (which drop,
// least useful first, when the name column would be narrower than 20
// cells), a filter by Go regular expression or text, typed live. It asks
// its parent to open or extract the selected node with a [Request], read
// right after Update. A scroll bar on the right says where the window is.
package treeview
