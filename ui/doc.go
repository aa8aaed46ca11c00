// Package ui is strata's terminal interface, built with Bubble Tea v2: the
// root of `strata inspect` (ui/app) and of `strata diff` (ui/diffview),
// both built from one kit.
//
// ui/common holds what every part shares: styles, text made safe to draw,
// frames and scroll bars, the keys of navigation and the global keys, the
// focus among panes, the help bar and page, the layout helpers, the panic
// guard of commands and the two scrolling parts (List for rows under a
// cursor, Scroller for text). Each pane lives in a package of its own as a
// value Model with Update(msg) (Model, tea.Cmd), View() string, SetSize
// and a KeyMap of key.Bindings that also feeds the help: layers, history,
// details, the tree pane of treeview (over a small Tree interface, which
// filetree implements for a layer and diffview for the differences), and
// viewer. ui/keymap names every binding for the configuration file
// (ui/config). The roots own the analysis: they wait for each layer in a
// command (analyze.Analysis.Next) and stack it in Update; file contents
// are read by layerfile.Read in commands; extraction is a function the
// caller provides.
package ui
