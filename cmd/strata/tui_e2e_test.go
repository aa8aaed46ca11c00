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

// needTmux returns tmux's path, or skips the test when there is none;
// STRATA_TEST_TMUX=1 (.ci/run sets it) makes a missing tmux a failure.
func needTmux(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("STRATA_TEST_TMUX") != "" {
			t.Fatalf("STRATA_TEST_TMUX is set but tmux is not installed: %v", err)
		}
		t.Skip("tmux is not installed (apt-get install tmux; .ci/run does)")
	}
	return bin
}

// start runs strata with args in a tmux session of w×h, after a marker the
// shell prints, and returns the file its exit code goes to.
func (x tmux) start(strata string, w, h int, args ...string) string {
	x.t.Helper()
	exit := filepath.Join(filepath.Dir(x.socket), "exit")
	script := "echo BEFORE-STRATA; CI= TERM=xterm-256color " + strata + " " + strings.Join(args, " ") +
		"; echo $? > " + exit + "; echo AFTER-STRATA; sleep 60"
	x.run("new-session", "-d", "-s", x.session, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "sh", "-c", script)
	x.t.Cleanup(func() { exec.Command(x.bin, "-S", x.socket, "kill-server").Run() })
	return exit
}

// firstFrame polls the screen as fast as tmux answers until it shows
// want, and returns when it saw it: the keys pressed then reach strata
// within a few milliseconds of its first frame.
func (x tmux) firstFrame(want string) time.Time {
	x.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(x.screen(), want) {
		if time.Now().After(deadline) {
			x.t.Fatalf("the first frame never showed %q; the screen shows:\n%s", want, x.screen())
		}
	}
	return time.Now()
}

// quit presses q, and checks that strata exited 0 and the screen from
// before it is back.
func (x tmux) quit(exitFile, gone string) {
	x.t.Helper()
	time.Sleep(300 * time.Millisecond) // a lone ESC before is told from alt+key by a pause
	x.keys("q")
	s := x.waitFor("AFTER-STRATA")
	if strings.Contains(s, gone) || !strings.Contains(s, "BEFORE-STRATA") {
		x.t.Errorf("the screen was not restored after quitting:\n%s", s)
	}
	code, err := os.ReadFile(exitFile)
	if err != nil {
		x.t.Fatal(err)
	}
	if strings.TrimSpace(string(code)) != "0" {
		x.t.Errorf("strata exited %s after q, want 0", code)
	}
}

// TestTUIInARealTerminal runs the built binary in tmux on the demo image,
// at the default terminal's size and a large one. Within 100 ms of the
// first frame, before the layers are analyzed, it goes to the last layer
// and from the layers pane filters the tree (ctrl+f) on "conf": the keys
// are not lost, and once the layer arrives /app is the first row. Then it
// opens /etc/passwd as layer 3 wrote it, closes the viewer with q, and
// quits with q.
func TestTUIInARealTerminal(t *testing.T) {
	bin := needTmux(t)
	strata := buildStrata(t)
	demo, err := filepath.Abs("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			dir := t.TempDir()
			x := tmux{t: t, bin: bin, socket: filepath.Join(dir, "tmux.sock"), session: "strata"}
			exit := x.start(strata, size[0], size[1], demo)

			seen := x.firstFrame("[1] Layers")
			x.keys("End", "C-f")
			x.keys("-l", "conf")
			x.keys("Enter")
			if took := time.Since(seen); took > 100*time.Millisecond {
				t.Logf("the keys took %s to send after the first frame", took)
			}
			x.waitFor("Filter: conf")
			s := x.waitFor("efficiency 81.16 %") // every layer analyzed
			for _, want := range []string{"[5] Layer 8 contents", "Filter: conf", "config.yaml"} {
				if !strings.Contains(s, want) {
					t.Errorf("the screen lacks %q:\n%s", want, s)
				}
			}
			first := treeRow(s, 5, 0)
			if !strings.HasSuffix(first, "├── app") && !strings.HasSuffix(first, "└── app") {
				t.Errorf("the first row of the tree is %q, want /app:\n%s", first, s)
			}

			// Clear the filter; /app is still the first row.
			x.keys("Escape")
			s = x.waitFor("── bin")
			if first := treeRow(s, 5, 0); !strings.HasSuffix(first, "├── app") {
				t.Errorf("unfiltered, the first row is %q:\n%s", first, s)
			}

			// Layer 3's /etc/passwd, found with / from the layers.
			x.keys("Tab", "Home", "Down", "Down", "Down")
			x.waitFor("[5] Layer 3 contents")
			x.keys("/")
			x.keys("-l", "passwd")
			x.keys("Enter")
			s = x.waitFor("Filter: passwd")
			if !strings.Contains(s, "└── passwd") || strings.Contains(s, "shadow") {
				t.Errorf("the filter on passwd shows:\n%s", s)
			}
			x.keys("Down", "Enter")
			s = x.waitFor("/etc/passwd · layer 3")
			if !strings.Contains(s, "app:x:1000:1000") {
				t.Errorf("the viewer does not show layer 3's passwd:\n%s", s)
			}
			x.keys("q") // closes the viewer
			x.waitFor("Filter: passwd")
			x.quit(exit, "[1] Layers")
		})
	}
}

// treeRow is row i of the tree pane numbered pane on a screen, without
// the pane's borders: the pane is found by its title, "[5] …".
func treeRow(screen string, pane, i int) string {
	lines := strings.Split(screen, "\n")
	for y, l := range lines {
		cells := []rune(l)
		x := strings.Index(l, fmt.Sprintf("[%d] ", pane))
		if x < 0 || y+2+i >= len(lines) {
			continue
		}
		x = len([]rune(l[:x])) - 2 // the border, before " [5]"
		row := []rune(lines[y+2+i])
		if x < 0 || x+1 > len(row) || len(cells) == 0 {
			return ""
		}
		return strings.TrimSpace(strings.TrimRight(string(row[x+1:]), " │┃"))
	}
	return ""
}

// TestTUIStoppedWhileLoading opens, in tmux, an image whose layers a
// registry trickles, and stops strata while they load: with ctrl+c (the
// quit key, exit 0), with SIGINT (130) and with SIGTERM (143). Each time
// strata must end within a second, and the terminal must be as it was: the
// shell's screen back, no alternate screen, no mouse reporting, the cursor
// shown.
func TestTUIStoppedWhileLoading(t *testing.T) {
	bin := needTmux(t)
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
