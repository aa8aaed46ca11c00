// Package ui is strata's terminal interface, built with Bubble Tea v2.
//
// Each pane lives in its own package as a value Model with
// Update(msg) (Model, tea.Cmd), View() string, SetSize and a KeyMap of
// key.Bindings that also feeds the help bar. The root model in ui/app
// composes them, fans out typed messages and owns the analysis as it
// arrives. The UI never parses a tar itself: layers are read by
// analyze.ParseLayer and file contents by layerfile.Read, both run in
// commands off the update loop, and extraction is a function the caller
// provides.
package ui
