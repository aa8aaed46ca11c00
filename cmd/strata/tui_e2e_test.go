//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tmux drives a session of the real terminal multiplexer.
type tmux struct {
	t       *testing.T
	bin     string
	socket  string
	session string
}

func (x tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command(x.bin, append([]string{"-S", x.socket}, args...)...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (x tmux) screen() string { return x.run("capture-pane", "-p", "-t", x.session) }

func (x tmux) keys(keys ...string) { x.run(append([]string{"send-keys", "-t", x.session}, keys...)...) }

// waitFor polls the screen until it shows want.
func (x tmux) waitFor(want string) string {
	x.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := x.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the screen never showed %q; it shows:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTUIInARealTerminal runs the built binary in tmux on the demo image:
// it waits for the layer list, moves to layer 3, filters, opens a file,
// quits with q, and checks the exit code and that the screen was restored.
// It needs tmux; .ci/run installs it and sets STRATA_TEST_TMUX=1, which
// turns a missing tmux into a failure.
func TestTUIInARealTerminal(t *testing.T) {
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
	demo, err := filepath.Abs("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	exitFile := filepath.Join(dir, "exit")
	x := tmux{t: t, bin: bin, socket: filepath.Join(dir, "tmux.sock"), session: "strata"}
	// The shell prints a marker first, so that we can tell the screen was
	// restored after the TUI's alternate screen.
	script := "echo BEFORE-STRATA; CI= TERM=xterm-256color " + strata + " " + demo + "; echo $? > " + exitFile + "; echo AFTER-STRATA; sleep 60"
	x.run("new-session", "-d", "-s", x.session, "-x", "160", "-y", "48", "sh", "-c", script)
	t.Cleanup(func() { exec.Command(bin, "-S", x.socket, "kill-server").Run() })

	x.waitFor("COPY --chown=1000:1000 app/ /app/")
	x.waitFor("Efficiency   81.16 %") // every layer analyzed

	x.keys("Down", "Down", "Down")
	x.waitFor("Layer 3 contents")

	x.keys("Tab", "Tab", "Tab", "Tab", "/")
	x.keys("-l", "passwd")
	x.keys("Enter")
	s := x.waitFor("Filter: passwd")
	if !strings.Contains(s, "└── passwd") || strings.Contains(s, "shadow") {
		t.Errorf("the filter on passwd shows:\n%s", s)
	}

	x.keys("Down", "Enter") // /etc/passwd, as layer 3 (useradd) wrote it
	s = x.waitFor("/etc/passwd · layer 3")
	if !strings.Contains(s, "app:x:1000:1000") {
		t.Errorf("the viewer does not show layer 3's passwd:\n%s", s)
	}
	x.keys("Escape")
	x.waitFor("Filter: passwd")
	// A lone ESC is told from alt+key by a pause after it.
	x.keys("Escape")
	time.Sleep(300 * time.Millisecond)
	x.keys("q")
	s = x.waitFor("AFTER-STRATA")
	if strings.Contains(s, "Layers · compare") {
		t.Errorf("the TUI is still on the screen after quitting:\n%s", s)
	}
	if !strings.Contains(s, "BEFORE-STRATA") {
		t.Errorf("the screen from before strata was not restored:\n%s", s)
	}
	code, err := os.ReadFile(exitFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(code)) != "0" {
		t.Errorf("strata exited %s after q, want 0", code)
	}
}

// TestTUIStoppedWhileLoading opens, in tmux, an image whose layers a
// registry trickles, and stops strata while they load: with ctrl+c (the
// quit key, exit 0), with SIGINT (130) and with SIGTERM (143). Each time
// strata must end within a second, and the terminal must be as it was: the
// shell's screen back, no alternate screen, no mouse reporting, the cursor
// shown.
func TestTUIStoppedWhileLoading(t *testing.T) {
	bin, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("STRATA_TEST_TMUX") != "" {
			t.Fatalf("STRATA_TEST_TMUX is set but tmux is not installed: %v", err)
		}
		t.Skip("tmux is not installed (apt-get install tmux; .ci/run does)")
	}
	strata := buildStrata(t)
	img := slowImage(t)
	for _, tt := range []struct {
		name string
		stop func(x tmux, pid int) error
		code string
	}{
		{"ctrl+c", func(x tmux, pid int) error { x.keys("C-c"); return nil }, "0"},
		{"SIGINT", func(x tmux, pid int) error { return syscall.Kill(pid, syscall.SIGINT) }, "130"},
		{"SIGTERM", func(x tmux, pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }, "143"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{})
			ref := "registry://" + testRegistry(t, img, trickleBlobs(img, started), nil)
			dir, tmp := t.TempDir(), t.TempDir()
			exitFile := filepath.Join(dir, "exit")
			x := tmux{t: t, bin: bin, socket: filepath.Join(dir, "tmux.sock"), session: "strata"}
			script := "echo BEFORE-STRATA; CI= TERM=xterm-256color TMPDIR=" + tmp + " " + strata + " " + ref +
				"; echo $? > " + exitFile + "; echo AFTER-STRATA; sleep 60"
			x.run("new-session", "-d", "-s", x.session, "-x", "160", "-y", "48", "sh", "-c", script)
			t.Cleanup(func() { exec.Command(bin, "-S", x.socket, "kill-server").Run() })

			x.waitFor("ADD big") // the window, with the layers from the config
			select {
			case <-started: // and a layer loading
			case <-time.After(15 * time.Second):
				t.Fatal("the layers never started loading")
			}
			x.waitFor("analyzing 1/2 layers")
			shell, err := strconv.Atoi(strings.TrimSpace(x.run("display-message", "-p", "-t", x.session, "#{pane_pid}")))
			if err != nil {
				t.Fatal(err)
			}
			pid := childOf(t, shell)
			sent := time.Now()
			if err := tt.stop(x, pid); err != nil {
				t.Fatal(err)
			}
			s := x.waitFor("AFTER-STRATA")
			took := time.Since(sent)
			code, err := os.ReadFile(exitFile)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: exit %s after %s", tt.name, strings.TrimSpace(string(code)), took.Round(time.Millisecond))
			if got := strings.TrimSpace(string(code)); got != tt.code {
				t.Errorf("exit code %s, want %s", got, tt.code)
			}
			if took > stopDeadline {
				t.Errorf("strata took %s to end, want well under %s", took, stopDeadline)
			}
			if strings.Contains(s, "Layers · compare") || !strings.Contains(s, "BEFORE-STRATA") {
				t.Errorf("the screen was not restored:\n%s", s)
			}
			modes := x.run("display-message", "-p", "-t", x.session, "alternate=#{alternate_on} mouse=#{mouse_any_flag} cursor=#{cursor_flag}")
			if strings.TrimSpace(modes) != "alternate=0 mouse=0 cursor=1" {
				t.Errorf("the terminal was left with %s", modes)
			}
			if names := dirNames(t, tmp); len(names) > 0 {
				t.Errorf("temporary files left: %v", names)
			}
		})
	}
}

// childOf returns the one child process of pid.
func childOf(t *testing.T, pid int) int {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if err != nil {
			t.Skipf("cannot list the children of the shell: %v", err)
		}
		if f := strings.Fields(string(b)); len(f) == 1 {
			c, err := strconv.Atoi(f[0])
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the shell %d has children %q, want one", pid, b)
		}
	}
}
