// Package packagesview is inspect's Packages view, shown in the file
// tree's place for the selected layer: the packages its step added,
// upgraded, downgraded and removed, then every package present after it,
// each part sortable by name or size, with their files' size and count
// at that layer; a footer says what the selected package's enter does.
// Enter asks the parent to show the package's files in the tree.
package packagesview
