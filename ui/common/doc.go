// Package common is the kit every strata UI is built from: the theme and
// styles, text made safe to draw, the frame of a pane and its scroll bar,
// the keys every pane shares (navigation, the global keys, a text input's),
// the focus among a root's panes, the help bar, the layout helpers, the
// panic guard of background commands, and the two scrolling parts: List,
// a cursor over rows drawn by ListPane, and Scroller, a bubbles viewport
// for text. Inspect's root (ui/app) and diff's (ui/diffview) share all of
// it, and the tree pane of ui/treeview.
package common
