// Package layers is the Layers pane: one row per layer of the image with
// its index, its size and the command that made it, and the compare mode
// in the title.
//
// The pane owns only its cursor. The parent feeds it rows with SetLayers
// (again each time a layer is analyzed; the cursor stays), reads the
// chosen layer with Selected after each Update, and sets the compare mode
// with SetCompareMode. The KeyMap's CompareLayer and CompareAggregated
// bindings are there for the help bar only: the pane ignores them and the
// parent switches the mode.
//
// Mouse messages carry coordinates relative to the pane's top-left corner
// (the border included): the parent translates them before calling Update.
// A left click selects the clicked row; the wheel moves the cursor one row
// per notch, as in dive. Keys are handled only while the pane is focused,
// mouse messages always.
package layers
