// Package layers is the Layers pane: one row per layer of the image with
// its index, its size and the command that made it, the compare mode in
// the title, and under the rows the selected layer's full command.
//
// The pane owns only its cursor. The parent feeds it the layers as the
// image declares them and as the analysis stacked them so far with
// SetLayers (again each time a layer is stacked; the cursor stays), marks
// with SetStopped the layers the analysis will not reach, reads the
// chosen layer with Selected after each Update, and sets the compare mode
// with SetCompareMode. The KeyMap's CompareLayer, CompareAggregated and
// ToFiles bindings are there for the help bar only: the parent acts on
// them.
//
// Mouse messages carry coordinates relative to the pane's top-left corner
// (the border included): the parent translates them before calling Update.
// A left click selects the clicked row; the wheel moves the cursor one row
// per notch, as in dive. Keys are handled only while the pane is focused,
// mouse messages always.
package layers
