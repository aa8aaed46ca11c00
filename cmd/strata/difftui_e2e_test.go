//go:build unix

package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-dev/strata/internal/difftest"
)

// TestDiffTUIInARealTerminal runs the built binary in tmux on a pair of
// images, at the default terminal's size and a large one. Right after the
// first frame, before either image is analyzed, it filters the tree on
// "config" from the layers pane; once the comparison arrives the tree
// shows the changed file, its name in view even at 80×24. It opens the
// file's unified diff, closes it with q and quits with q. Like
// TestTUIInARealTerminal it needs tmux, which STRATA_TEST_TMUX=1
// (.ci/run) makes a must.
func TestDiffTUIInARealTerminal(t *testing.T) {
	bin := needTmux(t)
	strata := buildStrata(t)
	dir := t.TempDir()
	p := difftest.Lookup(t, "changed-file")
	a := difftest.WriteArchive(t, dir, "base.tar", p.A)
	b := difftest.WriteArchive(t, dir, "changed-file.tar", p.B)
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			x := tmux{t: t, bin: bin, socket: filepath.Join(t.TempDir(), "tmux.sock"), session: "strata-diff"}
			exit := x.start(strata, size[0], size[1], "diff", a, b)

			seen := x.firstFrame("[1] Layers A | B")
			x.keys("1", "C-f")
			x.keys("-l", "config")
			x.keys("Enter")
			if took := time.Since(seen); took > 100*time.Millisecond {
				t.Logf("the keys took %s to send after the first frame", took)
			}
			s := x.waitFor("config.txt")
			s = x.waitFor("Filter: config")
			for _, want := range []string{"[4] Differences, A → B", "[1] Layers A | B · 4 shared"} {
				if !strings.Contains(s, want) {
					t.Errorf("the screen lacks %q:\n%s", want, s)
				}
			}
			if row := treeRow(s, 4, 1); !strings.Contains(row, "config.txt") {
				t.Errorf("the tree's second row is %q, want config.txt:\n%s", row, s)
			}
			x.keys("Down", "Enter")
			s = x.waitFor("@@ -1,5 +1,5 @@")
			if !strings.Contains(s, "+ version: 2") || !strings.Contains(s, "- version: 1") {
				t.Errorf("the viewer does not show the unified diff:\n%s", s)
			}
			x.keys("q") // closes the viewer
			x.waitFor("Filter: config")
			x.quit(exit, "Differences, A → B")
		})
	}
}
