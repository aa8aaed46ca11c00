//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptedLoads builds strata and stops it with SIGINT and SIGTERM
// while it loads an image from a registry that trickles its layers and
// from a Docker daemon that trickles its save (spooled to a temporary
// file). (A FIFO index.json no longer blocks: it is refused before it is
// opened; TestBinary stops strata blocked opening a --json FIFO.) Each time strata must exit 130 or 143 within a second
// of the signal, say "strata: interrupted" and nothing else, and leave no
// temporary file and no --json report, not even the one an earlier run
// left at that path.
func TestInterruptedLoads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildStrata(t)
	img := slowImage(t)
	sources := []struct {
		name string
		// open returns the IMAGE argument, the environment it needs, and a
		// channel closed once the load is under way.
		open func(t *testing.T) (string, []string, chan struct{})
	}{
		{"registry", func(t *testing.T) (string, []string, chan struct{}) {
			started := make(chan struct{})
			return "registry://" + testRegistry(t, img, trickleBlobs(img, started), nil), nil, started
		}},
		{"docker daemon", func(t *testing.T) (string, []string, chan struct{}) {
			host, started := fakeDaemon(t, false)
			return "docker://slow:latest", []string{"DOCKER_HOST=" + host}, started
		}},
	}
	for _, src := range sources {
		for _, sig := range []struct {
			s    syscall.Signal
			code int
		}{{syscall.SIGINT, exitInterrupted}, {syscall.SIGTERM, exitTerminated}} {
			t.Run(src.name+" "+sig.s.String(), func(t *testing.T) {
				ref, env, started := src.open(t)
				tmp, out := t.TempDir(), t.TempDir()
				report := filepath.Join(out, "report.json")
				writeFile(t, out, "report.json", `{"stale": "from an earlier run"}`)
				cmd := exec.Command(bin, "inspect", "--json", report, ref)
				cmd.Env = append(os.Environ(), append(env, "TMPDIR="+tmp, "CI=")...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				exited := make(chan struct{})
				go func() { cmd.Wait(); close(exited) }()
				t.Cleanup(func() { cmd.Process.Kill(); <-exited })
				select {
				case <-started:
				case <-exited:
					t.Fatalf("strata ended before the load started: %s", stderr.String())
				case <-time.After(20 * time.Second):
					t.Fatal("the load never started")
				}
				if src.name == "docker daemon" {
					waitForFile(t, tmp) // the save is being spooled
				}
				sent := time.Now()
				if err := cmd.Process.Signal(sig.s); err != nil {
					t.Fatal(err)
				}
				select {
				case <-exited:
				case <-time.After(10 * time.Second):
					t.Fatalf("strata did not stop within 10s of %v", sig.s)
				}
				took := time.Since(sent)
				t.Logf("%v: exit %d after %s, stderr %q", sig.s, cmd.ProcessState.ExitCode(), took.Round(time.Millisecond), stderr.String())
				if code := cmd.ProcessState.ExitCode(); code != sig.code {
					t.Errorf("exit code %d (%v), want %d", code, cmd.ProcessState, sig.code)
				}
				if took > stopDeadline {
					t.Errorf("strata took %s to stop after %v, want well under %s", took, sig.s, stopDeadline)
				}
				if stderr.String() != "strata: interrupted\n" || stdout.Len() > 0 {
					t.Errorf("stdout %q, stderr %q; want only \"strata: interrupted\"", stdout.String(), stderr.String())
				}
				if names := dirNames(t, tmp); len(names) > 0 {
					t.Errorf("temporary files left: %v", names)
				}
				if names := dirNames(t, out); len(names) > 0 {
					t.Errorf("left beside the report's path: %v", names)
				}
			})
		}
	}
}

// buildStrata returns the strata binary the tests run, built once for the
// whole test binary (see builtStrata in main_test.go).
func buildStrata(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go command: %v", err)
	}
	bin, err := builtStrata()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// waitForFile waits until dir holds something.
func waitForFile(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if names := dirNames(t, dir); len(names) > 0 {
			t.Logf("in $TMPDIR: %s", strings.Join(names, " "))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing appeared in %s", dir)
		}
	}
}

// stopDeadline is how long the tests let strata take to stop after a
// signal or ctrl+c. strata answers within stopGrace (500 ms) by design and
// in a few milliseconds in practice (the tests log the time); the slack is
// for a CI machine loaded by the race detector and parallel packages.
const stopDeadline = 3 * time.Second
