//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// What `--json PATH` does with what is at PATH: a new path or a regular
// file is written through a temporary file and a rename; a symlink is
// written through to where it leads and stays a symlink; a pipe, a
// character device and /dev/fd/N are written straight into and stay what
// they are; a directory is refused. A failed run leaves no report and no
// temporary file, and removes only a regular file.

// outputCase is one kind of thing at the report's path.
type outputCase struct {
	name string
	// setup makes what is at the path in dir and returns the path to give
	// --json, and a function that returns what was written there, read by
	// whoever reads it (nil: read the file at the path).
	setup func(t *testing.T, dir string) (path string, written func() []byte)
	// after checks what is at the path after a run.
	after func(t *testing.T, dir, path string, ok bool)
	// fails says the run fails even on a good image, with these words.
	fails []string
	// noFailRun skips the run on a bad image.
	noFailRun bool
}

// fifoReader makes a named pipe at path and reads it, from the moment
// strata opens it, until strata closes it.
func fifoReader(t *testing.T, path string) func() []byte {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(path) // blocks until strata opens it to write
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	return func() []byte { return <-got }
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Type() != want {
		t.Errorf("%s is now %v, want %v", path, st.Mode().Type(), want)
	}
}

func outputCases() []outputCase {
	return []outputCase{
		{name: "a new path",
			setup: func(t *testing.T, dir string) (string, func() []byte) { return filepath.Join(dir, "report.json"), nil },
			after: func(t *testing.T, dir, path string, ok bool) {
				if _, err := os.Lstat(path); ok != (err == nil) {
					t.Errorf("report there: %v, want %v", err == nil, ok)
				}
			}},
		{name: "a regular file",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				return writeFile(t, dir, "report.json", `{"stale":true}`), nil
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				if _, err := os.Lstat(path); ok != (err == nil) {
					t.Errorf("report there: %v, want %v (a failed run removes a stale one)", err == nil, ok)
				}
			}},
		{name: "a regular file with a second name",
			// The old report is let go of early (releaseTarget): unlinked,
			// never emptied, so its other name keeps its bytes.
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				p := writeFile(t, dir, "report.json", `{"stale":true}`)
				if err := os.Link(p, filepath.Join(dir, "kept.json")); err != nil {
					t.Fatal(err)
				}
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				if _, err := os.Lstat(path); ok != (err == nil) {
					t.Errorf("report there: %v, want %v (a failed run removes a stale one)", err == nil, ok)
				}
				if kept, err := os.ReadFile(filepath.Join(dir, "kept.json")); err != nil || string(kept) != `{"stale":true}` {
					t.Errorf("the old report's other name holds %q (%v), want its old bytes", kept, err)
				}
			}},
		{name: "a symlink to a regular file",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				os.Mkdir(filepath.Join(dir, "real"), 0o755)
				writeFile(t, filepath.Join(dir, "real"), "target.json", `{"stale":true}`)
				p := filepath.Join(dir, "report.json")
				if err := os.Symlink("real/target.json", p); err != nil {
					t.Fatal(err)
				}
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				wantMode(t, path, fs.ModeSymlink)
				target := filepath.Join(dir, "real", "target.json")
				if _, err := os.Lstat(target); ok != (err == nil) {
					t.Errorf("report at the target: %v, want %v", err == nil, ok)
				}
				if ok {
					wantMode(t, target, 0)
				}
				if names := dirNames(t, filepath.Join(dir, "real")); len(names) > 1 {
					t.Errorf("beside the target: %v", names)
				}
			}},
		{name: "a dangling symlink, through a chain",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				p := filepath.Join(dir, "report.json")
				if err := os.Symlink("second", p); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.Join(dir, "final.json"), filepath.Join(dir, "second")); err != nil {
					t.Fatal(err)
				}
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				wantMode(t, path, fs.ModeSymlink)
				wantMode(t, filepath.Join(dir, "second"), fs.ModeSymlink)
				if _, err := os.Lstat(filepath.Join(dir, "final.json")); ok != (err == nil) {
					t.Errorf("report at the end of the chain: %v, want %v", err == nil, ok)
				}
			}},
		{name: "a symlink to .. in a symlinked directory",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				if err := os.MkdirAll(filepath.Join(dir, "real", "sub"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink("real/sub", filepath.Join(dir, "alias")); err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(dir, "alias", "report.json")
				if err := os.Symlink("../target.json", p); err != nil {
					t.Fatal(err)
				}
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				wantMode(t, path, fs.ModeSymlink)
				if _, err := os.Lstat(filepath.Join(dir, "real", "target.json")); ok != (err == nil) {
					t.Errorf("report where the kernel resolves the link: %v, want %v", err == nil, ok)
				}
				if _, err := os.Lstat(filepath.Join(dir, "target.json")); err == nil {
					t.Error("the report went where a lexical .. leads")
				}
			}},
		{name: "a named pipe",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				p := filepath.Join(dir, "report.json")
				return p, fifoReader(t, p)
			},
			after: func(t *testing.T, dir, path string, ok bool) { wantMode(t, path, fs.ModeNamedPipe) }},
		{name: "a symlink to a named pipe",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				fifo := filepath.Join(dir, "pipe")
				read := fifoReader(t, fifo)
				p := filepath.Join(dir, "report.json")
				if err := os.Symlink("pipe", p); err != nil {
					t.Fatal(err)
				}
				return p, read
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				wantMode(t, path, fs.ModeSymlink)
				wantMode(t, filepath.Join(dir, "pipe"), fs.ModeNamedPipe)
			}},
		{name: "/dev/null",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				return os.DevNull, func() []byte { return nil }
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				wantMode(t, path, fs.ModeDevice|fs.ModeCharDevice)
			}},
		{name: "a full device", fails: []string{"no space left on device"}, noFailRun: true,
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				if os.Geteuid() != 0 {
					return "/dev/full", nil // which strata could not replace anyway
				}
				// As root strata could replace /dev/full itself; test on a
				// node of its own (1, 7 is /dev/full).
				p := filepath.Join(dir, "full")
				if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, 1<<8|7); err != nil {
					t.Skipf("mknod: %v", err)
				}
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				wantMode(t, path, fs.ModeDevice|fs.ModeCharDevice)
			}},
		{name: "/dev/fd/N of a pipe",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				r, w, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				got := make(chan []byte, 1)
				go func() { b, _ := io.ReadAll(r); r.Close(); got <- b }()
				t.Cleanup(func() { w.Close() })
				return fmt.Sprintf("/dev/fd/%d", w.Fd()), func() []byte { w.Close(); return <-got }
			},
			after: func(t *testing.T, dir, path string, ok bool) {}},
		{name: "/dev/fd/N of a regular file",
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				f, err := os.Create(filepath.Join(dir, "fd.json"))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { f.Close() })
				return fmt.Sprintf("/dev/fd/%d", f.Fd()), func() []byte {
					b, _ := os.ReadFile(f.Name())
					return b
				}
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				st, err := os.Stat(filepath.Join(dir, "fd.json"))
				if err != nil {
					t.Fatal(err)
				}
				if !ok && st.Size() != 0 {
					t.Errorf("a failed run left %d bytes in the file", st.Size())
				}
			}},
		{name: "a directory", fails: []string{"is a directory"},
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				p := filepath.Join(dir, "report.json")
				if err := os.Mkdir(p, 0o755); err != nil {
					t.Fatal(err)
				}
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) {
				wantMode(t, path, fs.ModeDir)
				if names := dirNames(t, path); len(names) > 0 {
					t.Errorf("the directory now holds %v", names)
				}
			}},
		{name: "a symlink to a directory", fails: []string{"is a directory"},
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				os.Mkdir(filepath.Join(dir, "d"), 0o755)
				p := filepath.Join(dir, "report.json")
				if err := os.Symlink("d", p); err != nil {
					t.Fatal(err)
				}
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) { wantMode(t, path, fs.ModeSymlink) }},
		{name: "a socket", fails: []string{"is a socket"},
			setup: func(t *testing.T, dir string) (string, func() []byte) {
				sock, err := os.MkdirTemp("", "strata-sock-") // a socket path is short
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.RemoveAll(sock) })
				p := filepath.Join(sock, "s")
				ln, err := net.Listen("unix", p)
				if err != nil {
					t.Skipf("no unix socket: %v", err)
				}
				t.Cleanup(func() { ln.Close() })
				return p, nil
			},
			after: func(t *testing.T, dir, path string, ok bool) { wantMode(t, path, fs.ModeSocket) }},
	}
}

// TestJSONOutputKinds runs inspect --json PATH on a good image and on a
// missing one for every kind of thing at PATH.
func TestJSONOutputKinds(t *testing.T) {
	good := demoImage(t)
	t.Setenv("TMPDIR", t.TempDir())
	for _, tc := range outputCases() {
		for _, run := range []struct {
			name  string
			image string
			ok    bool
		}{{"good image", good, true}, {"missing image", filepath.Join(t.TempDir(), "missing.tar"), false}} {
			if !run.ok && tc.noFailRun {
				continue
			}
			t.Run(tc.name+", "+run.name, func(t *testing.T) {
				dir := t.TempDir()
				path, written := tc.setup(t, dir)
				r := strata(t, noEnv, "inspect", "--json", path, run.image)
				var got []byte
				if written != nil {
					got = written()
				} else if run.ok && tc.fails == nil {
					got, _ = os.ReadFile(path)
				}
				t.Logf("exit %d, %s", r.code, strings.TrimSpace(r.stderr))
				switch {
				case tc.fails != nil:
					wantOneError(t, r, append([]string{path}, tc.fails...)...)
				case !run.ok:
					wantOneError(t, r, run.image)
				default:
					wantExit(t, r, exitOK)
					if got != nil && !json.Valid(got) {
						t.Errorf("what was written is not JSON: %.200q", got)
					}
				}
				if !run.ok && len(got) > 0 {
					t.Errorf("a failed run wrote %.200q", got)
				}
				tc.after(t, dir, path, run.ok && tc.fails == nil)
				for _, d := range []string{dir, os.Getenv("TMPDIR")} {
					for _, n := range dirNames(t, d) {
						if strings.HasSuffix(n, ".tmp") {
							t.Errorf("temporary file %s left in %s", n, d)
						}
					}
				}
			})
		}
	}
}
