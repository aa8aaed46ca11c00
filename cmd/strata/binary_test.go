//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBinary builds strata and runs it as a shell would, to check the real
// exit codes and streams.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildStrata(t) // skips without a go command
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	img := demoImage(t)
	workDir := t.TempDir() // holds no rules file

	// env is the real environment with CI set to ci.
	env := func(ci string) []string {
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "CI=") {
				env = append(env, kv)
			}
		}
		return append(env, "CI="+ci)
	}
	runBin := func(t *testing.T, ci string, args ...string) result {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env(ci)
		cmd.Dir = workDir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) {
			t.Fatalf("running %s: %v", bin, err)
		}
		return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	}

	t.Run("demo", func(t *testing.T) {
		r := runBin(t, "", img)
		wantExit(t, r, exitOK)
		if !strings.Contains(r.stdout, "Efficiency:") || r.stderr != "" {
			t.Errorf("unexpected output\n%s", r)
		}
	})
	t.Run("demo fails the default rules in CI", func(t *testing.T) {
		r := runBin(t, "true", img)
		wantExit(t, r, exitRuleFailed)
		if !hasLine(r.stdout, "Result: FAIL [total:4] [passed:1] [failed:2] [skipped:1]") {
			t.Errorf("stdout lacks the result\n%s", r)
		}
	})
	t.Run("json to stdout", func(t *testing.T) {
		r := runBin(t, "", "inspect", "--json", "-", img)
		wantExit(t, r, exitOK)
		if !json.Valid([]byte(r.stdout)) || r.stderr != "" {
			t.Errorf("stdout is not one JSON document, or stderr is not empty\n%.300s", r)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		missing := filepath.Join(workDir, "missing.tar")
		wantOneError(t, runBin(t, "", missing), missing)
	})
	// With --json naming a FIFO nobody reads, strata waits in open(2) for a
	// reader that never comes (a wait no context can stop), and must still
	// answer ctrl+c and SIGTERM.
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGINT, exitInterrupted},
		{syscall.SIGTERM, exitTerminated},
	} {
		t.Run("stopped by "+tt.sig.String(), func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "report.json")
			if err := syscall.Mkfifo(report, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			// A signal sent before strata listens for it kills strata the
			// default way; then try again, waiting longer.
			for wait := 100 * time.Millisecond; ; wait *= 2 {
				cmd := exec.Command(bin, "inspect", "--json", report, img)
				cmd.Env = env("")
				cmd.Dir = workDir
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(wait)
				if err := cmd.Process.Signal(tt.sig); err != nil {
					t.Fatal(err)
				}
				exited := make(chan struct{})
				go func() { cmd.Wait(); close(exited) }()
				select {
				case <-exited:
				case <-time.After(5*stopGrace + 10*time.Second):
					cmd.Process.Kill()
					<-exited
					t.Fatalf("strata did not stop on %v", tt.sig)
				}
				ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
				if ws.Signaled() && wait < 5*time.Second {
					continue
				}
				if code := cmd.ProcessState.ExitCode(); code != tt.code {
					t.Fatalf("exit code %d (%v), want %d\nstderr: %s", code, cmd.ProcessState, tt.code, stderr.String())
				}
				if stderr.String() != "strata: interrupted\n" {
					t.Errorf("stderr = %q, want \"strata: interrupted\\n\"", stderr.String())
				}
				return
			}
		})
	}
	t.Run("version", func(t *testing.T) {
		r := runBin(t, "", "version")
		wantExit(t, r, exitOK)
		if got := lines(r.stdout); len(got) != 1 || !strings.HasPrefix(got[0], "strata ") {
			t.Errorf("version printed %q", r.stdout)
		}
	})
	// A release build's version comes from -ldflags, as .goreleaser.yaml
	// sets it; a build that records no commit says so.
	type versionBuild struct {
		name  string
		flags []string
		want  string // what the version line holds
	}
	tests := []versionBuild{
		// .goreleaser.yaml adds -trimpath, which would rebuild every package.
		{"release ldflags", []string{"-ldflags", "-s -w -X main.version=9.9.9"}, "strata 9.9.9 (commit "},
		{"no vcs", []string{"-buildvcs=false"}, "strata version unknown (commit unknown, date unknown)\n"},
	}
	// Built in a git checkout, the binary knows its commit. go build
	// records it only where .git is a directory (not in a git worktree,
	// whose .git is a file), and go run never does.
	if top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output(); err != nil {
		t.Logf("not in a git checkout (%v): the commit is not checked", err)
	} else if st, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !st.IsDir() {
		t.Logf("in a git worktree, where go build records no commit: the commit is not checked")
	} else if head, err := exec.Command("git", "rev-parse", "HEAD").Output(); err != nil {
		t.Fatal(err)
	} else {
		tests = append(tests, versionBuild{"vcs", []string{"-buildvcs=true"}, "(commit " + string(head[:12])})
	}
	for _, tt := range tests {
		t.Run("version with "+tt.name, func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "strata")
			build := exec.Command(goTool, append(append([]string{"build", "-o", bin}, tt.flags...), ".")...)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, "version").Output()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("version printed %q, want it to hold %q", out, tt.want)
			}
		})
	}
}
