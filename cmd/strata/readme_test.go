//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/livetest"
)

// readmeBlock is a fenced block of README.md.
type readmeBlock struct {
	line  int    // of the opening fence
	info  string // what follows the fence: "sh", "console", "text FILE"
	lines []string
}

// readmeBlocks reads the fenced blocks of a markdown file.
func readmeBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []readmeBlock
	var cur *readmeBlock
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &readmeBlock{line: n, info: strings.TrimSpace(strings.TrimPrefix(l, "```"))}
		case cur != nil && l == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
	}
	if cur != nil {
		t.Fatalf("%s: the block at line %d is not closed", path, cur.line)
	}
	return blocks
}

// readmeCommand is a command README.md shows, with the output it shows
// after it, if any.
type readmeCommand struct {
	line   int
	cmd    string
	output []string // nil: not shown
}

// readmeCommands lists the commands of sh blocks (one a line, a comment
// after two spaces and # dropped) and console blocks ("$ " lines, each
// followed by its output).
func readmeCommands(blocks []readmeBlock) []readmeCommand {
	var cmds []readmeCommand
	for _, b := range blocks {
		switch strings.Fields(b.info + " x")[0] {
		case "sh":
			for i, l := range b.lines {
				if c, _, ok := strings.Cut(l, "  #"); ok {
					l = c
				}
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
					cmds = append(cmds, readmeCommand{line: b.line + 1 + i, cmd: l})
				}
			}
		case "console":
			for i, l := range b.lines {
				if c, ok := strings.CutPrefix(l, "$ "); ok {
					cmds = append(cmds, readmeCommand{line: b.line + 1 + i, cmd: c, output: []string{}})
				} else if len(cmds) > 0 {
					last := &cmds[len(cmds)-1]
					last.output = append(last.output, l)
				}
			}
		}
	}
	return cmds
}

// matchLines says whether got matches want, where a line "…" in want
// stands for any number of lines.
func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "…" {
		for i := 0; i <= len(got); i++ {
			if matchLines(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && got[0] == want[0] && matchLines(want[1:], got[1:])
}

// liveReference matches what in a README command needs a Docker daemon or
// a registry: the references it names and the docker CLI.
var liveReference = regexp.MustCompile(`docker://|podman://|registry://|alpine:3\.20|myapp:dev|\bdocker save\b`)

// TestREADMECommands runs every command README.md shows, as a newcomer
// would type them: in a directory where testdata/ is the repository's,
// with the strata the quick start builds on $PATH and as ./strata. Each
// must exit 0, or 1 for a CI command whose rules fail (never 2); the
// output a console block shows must be what the command prints; a text
// block naming a file must be an excerpt of it. Commands that need a
// Docker daemon or a registry run only with .ci/run's live components,
// with the fixture image standing in for the README's example references;
// go test ./... (this suite) and go install …@latest (the published
// module) are not run.
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(t, filepath.Join(root, "README.md"))

	for _, b := range blocks {
		f := strings.Fields(b.info)
		if len(f) != 2 || f[0] != "text" {
			continue
		}
		t.Run("excerpt of "+f[1], func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, f[1]))
			if err != nil {
				t.Fatalf("README.md:%d names %s: %v", b.line, f[1], err)
			}
			want := append(append([]string{"…"}, b.lines...), "…")
			if !matchLines(want, lines(string(data))) {
				t.Errorf("README.md:%d is not an excerpt of %s", b.line, f[1])
			}
		})
	}

	work := t.TempDir()
	build := "go build -o strata ./cmd/strata"
	// The quick start's build, run where it is meant to be, into the
	// scratch directory.
	goBuild := exec.Command("go", "build", "-o", filepath.Join(work, "strata"), "./cmd/strata")
	goBuild.Dir = root
	if out, err := goBuild.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, out)
	}
	if err := os.Symlink(filepath.Join(root, "testdata"), filepath.Join(work, "testdata")); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(work, ".home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "CI", "HOME", "PATH", "DOCKER_HOST", "STRATA_CONFIG", "XDG_CONFIG_HOME":
		default:
			env = append(env, kv)
		}
	}
	env = append(env, "HOME="+home, "PATH="+work+string(os.PathListSeparator)+os.Getenv("PATH"))

	cmds := readmeCommands(blocks)
	if len(cmds) < 8 {
		t.Fatalf("found %d commands in README.md; is the parser broken?", len(cmds))
	}
	for _, c := range cmds {
		t.Run(c.cmd, func(t *testing.T) {
			cmd := c.cmd
			cmdEnv := env
			switch {
			case cmd == "go test ./...":
				t.Skip("the test suite this test is part of")
			case strings.HasPrefix(cmd, "go install ") && strings.HasSuffix(cmd, "@latest"):
				t.Skip("installs the published module from the module proxy")
			case strings.HasPrefix(cmd, build+" && "):
				cmd = strings.TrimPrefix(cmd, build+" && ") // built above
			case strings.HasPrefix(cmd, "go "):
				t.Fatalf("README.md:%d: a go command this test does not know how to run", c.line)
			}
			if liveReference.MatchString(cmd) {
				cmd, cmdEnv = liveCommand(t, cmd, cmdEnv)
			}
			sh := exec.Command("sh", "-c", cmd)
			sh.Dir, sh.Env = work, cmdEnv
			var stdout, stderr bytes.Buffer
			sh.Stdout, sh.Stderr = &stdout, &stderr
			err := sh.Run()
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Fatal(err)
			}
			r := result{code: sh.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
			switch {
			case r.code == exitOK:
			case r.code == exitRuleFailed && strings.Contains(r.stdout, "\nResult: FAIL "):
			default:
				t.Fatalf("README.md:%d: %s\n%s", c.line, c.cmd, r)
			}
			if c.output != nil && !matchLines(c.output, lines(r.stdout)) {
				t.Errorf("README.md:%d shows an output the command does not print:\n%s\n--- README.md shows:\n%s",
					c.line, r, strings.Join(c.output, "\n"))
			}
		})
	}
}

// liveCommand makes a README command that needs a daemon or a registry
// run against .ci/run's: its fixture image stands in for the README's
// example references. Without the live components, it skips the test
// (and fails it under CI=true).
func liveCommand(t *testing.T, cmd string, env []string) (string, []string) {
	t.Helper()
	host := livetest.DockerHost(t)
	registry := livetest.Registry(t)
	fixture := livetest.FixtureImage(t)
	repo, tag, _ := strings.Cut(fixture, ":")
	for _, r := range []struct{ old, new string }{
		{"registry://ghcr.io/org/app:1.5", "registry://" + registry + "/" + repo + ":" + tag},
		{"alpine:3.20", fixture},
		{"myapp:dev", fixture},
	} {
		cmd = strings.ReplaceAll(cmd, r.old, r.new)
	}
	return cmd, append(env, "DOCKER_HOST="+host)
}
