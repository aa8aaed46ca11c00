// Package history is the History pane: the image's whole build history,
// empty layers (ENV, CMD, LABEL…) included, read as a reconstructed
// Dockerfile. Each step shows the layer it belongs to: "L3" on the step
// that made layer 3, "·" on an empty-layer step, which belongs to the
// layer below it (tree.HistoryEntry.Layer).
//
// The parent calls SetSelectedLayer whenever the Layers pane's selection
// changes: the steps of that layer are marked with "▸" in bold, and while
// the pane is not focused the cursor follows to the layer's step and the
// layer's steps are scrolled into view. The other way round, moving in
// the pane selects the step's layer: the parent reads Layer after each
// Update.
//
// Mouse messages carry coordinates relative to the pane's top-left corner
// (the border included): the parent translates them before calling Update.
// A left click selects the clicked step; the wheel moves the cursor one
// step per notch. Keys are handled only while the pane is focused, mouse
// messages always.
package history
