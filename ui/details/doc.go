// Package details holds the two detail panes: LayerModel, the selected
// layer's digests, sizes, change counts and full command, and ImageModel,
// the image's efficiency figures and its table of inefficient files.
//
// Both take their data through a setter (SetLayer, SetImage) with a plain
// struct the parent fills from the analysis, and both scroll with the keys
// of one KeyMap while focused. Values not known until a layer is analyzed
// show as "…".
//
// Mouse messages carry coordinates relative to the pane's top-left corner
// (the border included): the parent translates them before calling Update.
// In ImageModel a left click selects the clicked row of the table; in
// LayerModel the wheel scrolls the text one line per notch and in
// ImageModel it moves the table's cursor one row. Keys are handled only
// while a pane is focused, mouse messages always.
package details
