// Command screenshot draws strata's terminal UI as a PNG for the README: it
// runs strata in a tmux session of a fixed size, sends it keys, captures
// the pane with its colours (tmux capture-pane -e -p) and paints the cells
// with the DejaVu Sans Mono font, drawing box-drawing characters as lines
// so that borders and tree guides join.
//
//	go run ./internal/cmd/screenshot -o docs/tui.png
//
// It needs tmux and the DejaVu fonts (Debian: tmux fonts-dejavu-core).
// -ansi FILE paints a capture made before instead of running strata.
package main
