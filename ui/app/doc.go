// Package app is the root model of strata inspect's terminal UI. It lays
// the panes out (the layers, history and the two detail panes down the
// left, the file tree on the right, a one-line summary of the image's
// figures above them and the keys of what has the focus below), moves the
// focus between them, routes keys and the mouse, and drives the
// analysis: the window shows at once with the layers and history from the
// image's config, each layer's tree arrives as the analysis stacks it,
// and a failed layer stops the loading with the error shown in full.
//
// The analysis schedules its own reading (analyze.Analysis): the model
// only waits for the next layer in a command (Analysis.Next) and stacks
// it in Update (Analysis.Stack), on the goroutine that owns the tree.
package app
