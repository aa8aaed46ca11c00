//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-dev/strata/internal/difftest"
)

// TestDiffTUIInARealTerminal runs the built binary in tmux on a pair of
// images: it waits for the tree of the differences, opens the changed
// file's unified diff, closes it, quits with q, and checks the exit code
// and that the screen was restored. Like TestTUIInARealTerminal it needs
// tmux, which STRATA_TEST_TMUX=1 (.ci/run) makes a must.
func TestDiffTUIInARealTerminal(t *testing.T) {
	bin, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("STRATA_TEST_TMUX") != "" {
			t.Fatalf("STRATA_TEST_TMUX is set but tmux is not installed: %v", err)
		}
		t.Skip("tmux is not installed (apt-get install tmux; .ci/run does)")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	dir := t.TempDir()
	strata := filepath.Join(dir, "strata")
	if out, err := exec.Command(goTool, "build", "-o", strata, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	p := difftest.Lookup(t, "changed-file")
	a := difftest.WriteArchive(t, dir, "base.tar", p.A)
	b := difftest.WriteArchive(t, dir, "changed-file.tar", p.B)
	exitFile := filepath.Join(dir, "exit")
	x := tmux{t: t, bin: bin, socket: filepath.Join(dir, "tmux.sock"), session: "strata-diff"}
	script := "echo BEFORE-STRATA; CI= TERM=xterm-256color " + strata + " diff " + a + " " + b +
		"; echo $? > " + exitFile + "; echo AFTER-STRATA; sleep 60"
	x.run("new-session", "-d", "-s", x.session, "-x", "160", "-y", "40", "sh", "-c", script)
	t.Cleanup(func() { exec.Command(bin, "-S", x.socket, "kill-server").Run() })

	s := x.waitFor("config.txt  [content]")
	for _, want := range []string{"Layers A | B · 4 shared, 1 new, 1 gone", "Download  1 layer"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	x.keys("Down", "Enter")
	s = x.waitFor("@@ -1,5 +1,5 @@")
	if !strings.Contains(s, "+ version: 2") || !strings.Contains(s, "- version: 1") {
		t.Errorf("the viewer does not show the unified diff:\n%s", s)
	}
	x.keys("Escape")
	x.waitFor("Differences, A → B")
	time.Sleep(300 * time.Millisecond) // a lone ESC is told from alt+key by a pause
	x.keys("q")
	s = x.waitFor("AFTER-STRATA")
	if strings.Contains(s, "Differences, A → B") || !strings.Contains(s, "BEFORE-STRATA") {
		t.Errorf("the screen was not restored after quitting:\n%s", s)
	}
	code, err := os.ReadFile(exitFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(code)) != "0" {
		t.Errorf("strata diff exited %s after q, want 0", code)
	}
}
