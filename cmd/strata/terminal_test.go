//go:build linux

package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal and returns its terminal end, which
// isatty reports as a terminal, as a user's shell would have it.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	ptm, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { ptm.Close() })
	go io.Copy(io.Discard, ptm) // what is written to the terminal, unread
	if err := unix.IoctlSetPointerInt(int(ptm.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptm.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("naming the pseudo-terminal: %v", err)
	}
	pts, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { pts.Close() })
	return pts
}

// TestWantTUI checks when strata opens the terminal UI: only with stdin,
// stdout and stderr all terminals, and neither --no-tui, CI nor --json.
func TestWantTUI(t *testing.T) {
	tty := openPTY(t)
	file, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()

	for _, tt := range []struct {
		name                  string
		stdin, stdout, stderr any
		noTUI, ci             bool
		json                  string
		want                  bool
	}{
		{name: "all three terminals", stdin: tty, stdout: tty, stderr: tty, want: true},
		{name: "strata IMAGE | cat", stdin: tty, stdout: w, stderr: tty},
		{name: "strata IMAGE > out.txt", stdin: tty, stdout: file, stderr: tty},
		{name: "stderr redirected", stdin: tty, stdout: tty, stderr: file},
		{name: "stdin from a pipe", stdin: r, stdout: tty, stderr: tty},
		{name: "--no-tui", stdin: tty, stdout: tty, stderr: tty, noTUI: true},
		{name: "CI", stdin: tty, stdout: tty, stderr: tty, ci: true},
		{name: "--json", stdin: tty, stdout: tty, stderr: tty, json: "report.json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := &environment{stdin: tt.stdin.(*os.File), stdout: tt.stdout.(*os.File), stderr: tt.stderr.(*os.File)}
			if got := wantTUI(env, tt.noTUI, tt.ci, tt.json); got != tt.want {
				t.Errorf("wantTUI = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestOutputRedirectedOnATerminal runs `strata IMAGE > out.txt` and
// `strata --no-tui IMAGE` from a terminal: the summary goes to stdout, the
// terminal UI does not open.
func TestOutputRedirectedOnATerminal(t *testing.T) {
	tty := openPTY(t)
	img := demoImage(t)
	for _, tt := range []struct {
		name string
		args []string
		tty  bool // stdout is the terminal too
	}{
		{"strata IMAGE > out.txt", []string{img}, false},
		{"strata inspect IMAGE > out.txt", []string{"inspect", img}, false},
		{"strata --no-tui IMAGE", []string{"--no-tui", img}, true},
		{"strata diff IMAGE IMAGE > out.txt", []string{"diff", img, img}, false},
		{"strata diff --no-tui IMAGE IMAGE", []string{"diff", "--no-tui", img, img}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			stdout := out
			if tt.tty {
				// What strata writes to the terminal is not read back here:
				// the point is that the summary is written and strata exits,
				// where the terminal UI would wait for a key.
				stdout = tty
			}
			var stderr strings.Builder
			code := run(tt.args, tty, stdout, &stderr, func(string) string { return "" })
			if code != exitOK {
				t.Fatalf("exit code %d, want 0; stderr: %s", code, stderr.String())
			}
			if tt.tty {
				return
			}
			data, err := os.ReadFile(out.Name())
			if err != nil {
				t.Fatal(err)
			}
			if s := string(data); !strings.HasPrefix(s, "Image: ") && !strings.HasPrefix(s, "A: ") {
				t.Errorf("out.txt holds %.200q, want the text summary", s)
			}
		})
	}
}
