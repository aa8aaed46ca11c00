// Package details holds the two detail panes: LayerModel, the selected
// layer's full command, digests, sizes and change counts, and ImageModel,
// the image's efficiency figures and its table of inefficient files.
//
// LayerModel takes the layer as the image declares it (image.Layer) and,
// once analyzed, as the analysis stacked it (*tree.Layer); ImageModel a
// plain Image the parent fills from the analysis. Both scroll with the
// keys of one KeyMap while focused. Values not known until a layer is
// analyzed show as "…", and as "not analyzed" when the analysis stopped
// before it.
//
// Mouse messages carry coordinates relative to the pane's top-left corner
// (the border included): the parent translates them before calling Update.
// In ImageModel a left click selects the clicked row of the table; in
// LayerModel the wheel scrolls the text and in ImageModel it moves the
// table's cursor one row. Keys are handled only while a pane is focused,
// mouse messages always.
package details
