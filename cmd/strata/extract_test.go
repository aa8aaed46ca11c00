package main

import (
	"archive/tar"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// readOut reads a file strata extracted.
func readOut(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestExtractApp(t *testing.T) {
	img := demoImage(t)
	out := t.TempDir()
	r := strata(t, noEnv, "extract", img, "/app", "-o", out)
	wantExit(t, r, exitOK)
	want := "extracted /app at layer 8 to " + filepath.Join(out, "app") + ": 8 files (108 kB), 4 directories, 0 symlinks\n"
	if r.stdout != want || r.stderr != "" {
		t.Errorf("got\n%s\nwant stdout %q and nothing on stderr", r, want)
	}
	if got := dirNames(t, filepath.Join(out, "app")); strings.Join(got, " ") != "README.md VERSION bin config.yaml run.sh static" {
		t.Errorf("app holds %v", got)
	}
	if cfg := readOut(t, filepath.Join(out, "app", "config.yaml")); !strings.Contains(cfg, "level: warn") {
		t.Errorf("config.yaml at the last layer:\n%s", cfg)
	}
	if fi, err := os.Stat(filepath.Join(out, "app", "run.sh")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("run.sh is not executable at the last layer: %v %v", fi.Mode(), err)
	}
	// Layer 8's opaque marker hid layer 4's assets: only the new ones.
	if got := dirNames(t, filepath.Join(out, "app", "static")); strings.Join(got, " ") != "assets index.html" {
		t.Errorf("static holds %v", got)
	}
}

func TestExtractLayers(t *testing.T) {
	img := demoImage(t)
	for layer, want := range map[string]string{"4": "level: info", "6": "level: debug", "8": "level: warn"} {
		out := t.TempDir()
		r := strata(t, noEnv, "extract", "--layer", layer, "-o", out, img, "/app/config.yaml")
		wantExit(t, r, exitOK)
		if cfg := readOut(t, filepath.Join(out, "config.yaml")); !strings.Contains(cfg, want) {
			t.Errorf("config.yaml at layer %s lacks %q:\n%s", layer, want, cfg)
		}
	}

	first, last := t.TempDir(), t.TempDir()
	wantExit(t, strata(t, noEnv, "extract", "--layer", "0", img, "/etc/passwd", "-o", first), exitOK)
	wantExit(t, strata(t, noEnv, "extract", img, "/etc/passwd", "-o", last), exitOK)
	before, after := readOut(t, filepath.Join(first, "passwd")), readOut(t, filepath.Join(last, "passwd"))
	if before == after || strings.Contains(before, "app:x:1000") || !strings.Contains(after, "app:x:1000") {
		t.Errorf("/etc/passwd at layer 0:\n%s\nat the last layer:\n%s", before, after)
	}
}

func TestExtractDefaultsToTheCurrentDirectory(t *testing.T) {
	img := demoImage(t)
	dir := t.TempDir()
	t.Chdir(dir)
	r := strata(t, noEnv, "extract", img, "/etc/group")
	wantExit(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "extracted /etc/group at layer 8 to group: 1 file (") {
		t.Errorf("stdout:\n%s", r)
	}
	if got := readOut(t, filepath.Join(dir, "group")); !strings.Contains(got, "app:x:1000") {
		t.Errorf("group at the last layer:\n%s", got)
	}
}

func TestExtractErrors(t *testing.T) {
	img := demoImage(t)
	out := t.TempDir()
	for _, tt := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"not at the layer", []string{"extract", "--layer", "0", img, "/app", "-o", out}, []string{"/app: not present at layer 0"}},
		{"nowhere", []string{"extract", img, "/no/such/file", "-o", out}, []string{"/no/such/file: not present at layer 8"}},
		{"layer too high", []string{"extract", "--layer", "9", img, "/app", "-o", out}, []string{"layer 9 is out of range", "0 to 8"}},
		{"negative layer", []string{"extract", "--layer", "-1", img, "/app", "-o", out}, []string{"layer -1 is out of range"}},
		{"one argument", []string{"extract", img}, []string{"extract takes IMAGE and PATH"}},
		{"three arguments", []string{"extract", img, "/a", "/b"}, []string{"extract takes IMAGE and PATH"}},
		{"empty path", []string{"extract", img, "", "-o", out}, []string{"PATH is empty"}},
		{"bad layer flag", []string{"extract", "--layer", "top", img, "/app"}, []string{"--layer"}},
		{"missing image", []string{"extract", filepath.Join(out, "none.tar"), "/app"}, []string{"none.tar"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantOneError(t, strata(t, noEnv, tt.args...), tt.mentions...)
		})
	}
	if names := dirNames(t, out); len(names) != 0 {
		t.Errorf("failed runs wrote %v", names)
	}
}

func TestExtractRefusesToOverwrite(t *testing.T) {
	img := demoImage(t)
	out := t.TempDir()
	wantExit(t, strata(t, noEnv, "extract", img, "/app", "-o", out), exitOK)
	cfg := filepath.Join(out, "app", "config.yaml")
	if err := os.WriteFile(cfg, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := strata(t, noEnv, "extract", img, "/app", "-o", out)
	wantOneError(t, r, "refusing to overwrite "+filepath.Join(out, "app"), "--force")
	if got := readOut(t, cfg); got != "mine" {
		t.Errorf("config.yaml was overwritten without --force: %q", got)
	}
	r = strata(t, noEnv, "extract", "--force", img, "/app", "-o", out)
	wantExit(t, r, exitOK)
	if got := readOut(t, cfg); !strings.Contains(got, "level: warn") {
		t.Errorf("--force did not restore config.yaml: %q", got)
	}
}

// unsafeImage writes a docker save archive whose /app holds symlinks that
// lead out of any output directory, next to ordinary ones.
func unsafeImage(t *testing.T) string {
	t.Helper()
	img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "RUN make links", Entries: []imagetest.Entry{
		imagetest.Dir("app/"),
		imagetest.Reg("app/config", "ok"),
		imagetest.Symlink("app/current", "config"),
		imagetest.Symlink("app/passwd", "/etc/passwd"),
		imagetest.Symlink("app/up", "../../../../etc/shadow"),
		imagetest.Symlink("app/self", "."),
		imagetest.Symlink("app/sneaky", "self/self/../../.."),
		imagetest.Reg("app/suid", "x").WithMode(0o4755),
		{Path: "app/null", Type: tar.TypeChar},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "unsafe.tar")
	if err := imagetest.WriteDockerArchive(path, img, "unsafe:latest"); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExtractSkipsSymlinksLeadingOut(t *testing.T) {
	img := unsafeImage(t)
	out := t.TempDir()
	r := strata(t, noEnv, "extract", img, "/app", "-o", out)
	wantExit(t, r, exitOK)
	want := "extracted /app at layer 0 to " + filepath.Join(out, "app") + ": 2 files (3 B), 1 directory, 2 symlinks, 4 skipped\n"
	if r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	for _, w := range []string{
		"strata: warning: skipped symlink /app/passwd -> /etc/passwd: the target leads out of the output directory",
		"strata: warning: skipped symlink /app/sneaky -> self/self/../../..: the target leads out of the output directory",
		"strata: warning: skipped symlink /app/up -> ../../../../etc/shadow: the target leads out of the output directory",
		"strata: warning: skipped 1 device node or fifo",
	} {
		if !hasLine(r.stderr, w) {
			t.Errorf("stderr lacks %q\n%s", w, r)
		}
	}
	if got := dirNames(t, filepath.Join(out, "app")); strings.Join(got, " ") != "config current self suid" {
		t.Errorf("app holds %v", got)
	}
	if fi, err := os.Stat(filepath.Join(out, "app", "suid")); err != nil || fi.Mode()&os.ModeSetuid != 0 {
		t.Errorf("suid: mode %v, %v; want no setuid bit", fi.Mode(), err)
	}
}

func TestExtractDoesNotFollowASymlinkInTheOutput(t *testing.T) {
	img := unsafeImage(t)
	out, outside := t.TempDir(), t.TempDir()
	// The output already holds app, a symlink to a directory elsewhere.
	if err := os.Symlink(outside, filepath.Join(out, "app")); err != nil {
		t.Fatal(err)
	}
	r := strata(t, noEnv, "extract", img, "/app", "-o", out)
	wantOneError(t, r, "refusing to overwrite "+filepath.Join(out, "app"))
	r = strata(t, noEnv, "extract", "--force", img, "/app", "-o", out)
	wantExit(t, r, exitOK)
	if names := dirNames(t, outside); len(names) != 0 {
		t.Errorf("wrote through the symlink: %v", names)
	}
	if fi, err := os.Lstat(filepath.Join(out, "app")); err != nil || !fi.IsDir() {
		t.Errorf("app is not a directory now: %v %v", fi.Mode(), err)
	}
}

func TestExtractHelp(t *testing.T) {
	r := strata(t, noEnv, "extract", "--help")
	wantExit(t, r, exitOK)
	for _, want := range []string{"strata extract [flags] IMAGE PATH", "--layer", "--output", "--force", "--source", "--platform"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("extract --help lacks %q\n%s", want, r)
		}
	}
	if r := strata(t, noEnv, "--help"); !strings.Contains(r.stdout, "extract") {
		t.Errorf("strata --help does not list extract\n%s", r)
	}
}

func TestExtractForUI(t *testing.T) {
	img, err := source.Open(demoImage(t))
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	line, err := extractForUI(context.Background(), res, layers, 0, "/bin", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, "extracted /bin at layer 0 to "+filepath.Join(out, "bin")+": ") {
		t.Errorf("line %q", line)
	}
	// The UI never replaces files.
	if _, err := extractForUI(context.Background(), res, layers, 0, "/bin", out); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second extraction: error %v, want a refusal", err)
	}
}
