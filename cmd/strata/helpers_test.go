package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/livetest"
)

// result is what one run of strata returned and printed.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// strata runs strata with args, as a user would type them, in an
// environment that holds env and nothing else: the real environment (CI=true
// on the CI server) never leaks in.
func strata(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(key string) string { return env[key] }
	code := run(args, strings.NewReader(""), &stdout, &stderr, getenv)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// noEnv is an environment without CI.
var noEnv map[string]string

// diveFixture returns the absolute path of one of dive's test files, or
// skips the test when the folder of them is not there. Call it before
// t.Chdir: the default folder is relative to the package.
func diveFixture(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(livetest.DiveFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("dive's fixture %s is missing: %v", name, err)
	}
	return path
}

// diveImage is dive's 14-layer docker save test image.
func diveImage(t *testing.T) string { return diveFixture(t, "test-docker-image.tar") }

// demoImage returns the absolute path of testdata/demo.tar.
func demoImage(t *testing.T) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo.tar"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the demo image is missing: %v", err)
	}
	return path
}

// lines splits output into lines, without the final newline.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// hasLine reports whether output holds exactly this line.
func hasLine(output, line string) bool {
	for _, l := range lines(output) {
		if l == line {
			return true
		}
	}
	return false
}

// wantExit checks the exit code.
func wantExit(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\n%s", r.code, code, r)
	}
}

// wantOneError checks that strata could not run: exit 2, nothing on
// stdout, and one line on stderr starting with "strata: " that holds every
// one of mentions.
func wantOneError(t *testing.T, r result, mentions ...string) {
	t.Helper()
	wantExit(t, r, exitError)
	if r.stdout != "" {
		t.Errorf("stdout is not empty:\n%s", r)
	}
	got := lines(r.stderr)
	if len(got) != 1 || !strings.HasPrefix(got[0], "strata: ") || !strings.HasSuffix(r.stderr, "\n") {
		t.Fatalf("stderr is not one line starting with \"strata: \":\n%s", r)
	}
	for _, m := range mentions {
		if !strings.Contains(got[0], m) {
			t.Errorf("error %q does not mention %q", got[0], m)
		}
	}
	for _, bad := range []string{"Usage:", "goroutine ", "panic"} {
		if strings.Contains(r.stderr, bad) {
			t.Errorf("stderr holds %q:\n%s", bad, r)
		}
	}
}

// copyFile copies src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// wantWroteJSON checks that the last line on stderr says the JSON report
// was written to path, and returns the result without it.
func wantWroteJSON(t *testing.T, r result, path string) result {
	t.Helper()
	got := lines(r.stderr)
	if len(got) == 0 {
		t.Fatalf("stderr does not say the report was written to %s\n%s", path, r)
	}
	last := got[len(got)-1]
	if !strings.HasPrefix(last, "strata: wrote the ") || !strings.HasSuffix(last, " as JSON to "+path) {
		t.Fatalf("the last line on stderr does not say the report was written to %s\n%s", path, r)
	}
	r.stderr = strings.TrimSuffix(r.stderr, last+"\n")
	return r
}
