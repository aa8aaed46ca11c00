// Package packagesview is inspect's Packages view, shown in the file
// tree's place for the selected layer: the packages its step added,
// upgraded, downgraded and removed, then every package present after it,
// sortable by name or size; under them the selected package's versions
// and the layers that changed it. Enter asks the parent to show the
// package's files in the tree.
package packagesview
