package difftest

import (
	"archive/tar"
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/aymanbagabas/go-udiff"
	_ "github.com/charmbracelet/x/exp/golden" // registers -update

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// Pair is a base image A and a rebuild B, as build steps.
type Pair struct {
	Name string
	A, B []imagetest.Step
}

// The app's configuration, before and after the rebuild that changes it.
const (
	ConfigV1 = "# app configuration\nversion: 1\nlevel: info\nlisten: :8080\nworkers: 4\n"
	ConfigV2 = "# app configuration\nversion: 2\nlevel: debug\nlisten: :8080\nworkers: 4\n"
)

const runScript = "#!/bin/sh\nexec /app/server --config /app/config.txt\n"

func rootfs() imagetest.Step {
	return imagetest.Step{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
		imagetest.Dir("bin/"),
		{Path: "bin/sh", Size: 2000, Mode: 0o755},
		imagetest.Symlink("bin/ash", "sh"),
		imagetest.Dir("etc/"),
		imagetest.Reg("etc/os-release", "NAME=strata-test\nVERSION_ID=1\n"),
		imagetest.Reg("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
		{Path: "tmp/", Type: tar.TypeDir, Mode: 0o1777},
		imagetest.Dir("usr/"),
		imagetest.Dir("usr/lib/"),
	}}
}

func app(config string) imagetest.Step {
	return imagetest.Step{CreatedBy: "COPY app/ /app/", Entries: []imagetest.Entry{
		imagetest.Dir("app/"),
		imagetest.Reg("app/config.txt", config),
		imagetest.Reg("app/run.sh", runScript),
	}}
}

func data() imagetest.Step {
	return imagetest.Step{CreatedBy: "RUN mkdir /data && echo scratch > /data/remove-me.txt && echo kept > /data/keep.txt", Entries: []imagetest.Entry{
		imagetest.Dir("data/"),
		imagetest.Reg("data/keep.txt", "kept\n"),
		imagetest.Reg("data/remove-me.txt", "scratch data that a later build deletes\n"),
	}}
}

var (
	env   = imagetest.Step{CreatedBy: "ENV APP_HOME=/app", Empty: true}
	cmd   = imagetest.Step{CreatedBy: `CMD ["/app/run.sh"]`, Empty: true}
	motd  = imagetest.Step{CreatedBy: "RUN echo welcome > /etc/motd", Entries: []imagetest.Entry{imagetest.Dir("etc/"), imagetest.Reg("etc/motd", "welcome\n")}}
	issue = imagetest.Step{CreatedBy: "RUN echo strata test > /etc/issue", Entries: []imagetest.Entry{imagetest.Dir("etc/"), imagetest.Reg("etc/issue", "strata test\n")}}
)

// Package is the step that adds a package-like directory, /usr/lib/tool.
func Package() imagetest.Step {
	return imagetest.Step{CreatedBy: "RUN apk add --no-cache tool", Entries: []imagetest.Entry{
		imagetest.Dir("usr/"),
		imagetest.Dir("usr/lib/"),
		imagetest.Dir("usr/lib/tool/"),
		imagetest.Dir("usr/lib/tool/bin/"),
		{Path: "usr/lib/tool/bin/tool", Size: 4096, Mode: 0o755},
		imagetest.Symlink("usr/lib/tool/bin/tool-latest", "tool"),
		imagetest.Dir("usr/lib/tool/lib/"),
		{Path: "usr/lib/tool/lib/libtool.so.1", Size: 12000, Mode: 0o755},
		imagetest.Dir("usr/lib/tool/share/"),
		imagetest.Reg("usr/lib/tool/share/README", "tool: does things\n"),
	}}
}

// Chmod makes /app/run.sh executable.
func Chmod() imagetest.Step {
	return imagetest.Step{CreatedBy: "RUN chmod +x /app/run.sh", Entries: []imagetest.Entry{
		imagetest.Dir("app/"),
		imagetest.Reg("app/run.sh", runScript).WithMode(0o755),
	}}
}

// Remove deletes /data/remove-me.txt.
func Remove() imagetest.Step {
	return imagetest.Step{CreatedBy: "RUN rm /data/remove-me.txt", Entries: []imagetest.Entry{
		imagetest.Dir("data/"),
		imagetest.Whiteout("data/remove-me.txt"),
	}}
}

// Attributes changes an owner, a link target and a type.
func Attributes() imagetest.Step {
	return imagetest.Step{CreatedBy: "RUN chown 1000:1000 /data/keep.txt && ln -sf busybox /bin/ash && mv /etc/os-release /usr/lib/ && ln -s ../usr/lib/os-release /etc/os-release", Entries: []imagetest.Entry{
		imagetest.Dir("bin/"),
		imagetest.Symlink("bin/ash", "busybox"),
		imagetest.Dir("data/"),
		imagetest.Reg("data/keep.txt", "kept\n").WithOwner(1000, 1000),
		imagetest.Dir("etc/"),
		imagetest.Symlink("etc/os-release", "../usr/lib/os-release"),
		imagetest.Dir("usr/"),
		imagetest.Dir("usr/lib/"),
		imagetest.Reg("usr/lib/os-release", "NAME=strata-test\nVERSION_ID=1\n"),
	}}
}

// Base is image A of every pair.
func Base() []imagetest.Step {
	return []imagetest.Step{rootfs(), app(ConfigV1), data(), env, motd, issue, cmd}
}

// Pairs are the pairs the tests compare, each named for its change.
func Pairs() []Pair {
	base := Base()
	with := func(f func(s []imagetest.Step) []imagetest.Step) []imagetest.Step {
		return f(slices.Clone(base))
	}
	changed := func(s []imagetest.Step) []imagetest.Step { s[1] = app(ConfigV2); return s }
	pkg := func(s []imagetest.Step) []imagetest.Step { return slices.Insert(s, 3, Package()) }
	chmod := func(s []imagetest.Step) []imagetest.Step { return slices.Insert(s, len(s)-1, Chmod()) }
	remove := func(s []imagetest.Step) []imagetest.Step { return slices.Insert(s, len(s)-1, Remove()) }
	reorder := func(s []imagetest.Step) []imagetest.Step { s[4], s[5] = s[5], s[4]; return s }
	attrs := func(s []imagetest.Step) []imagetest.Step { return slices.Insert(s, len(s)-1, Attributes()) }
	return []Pair{
		{Name: "identical", A: base, B: base},
		{Name: "changed-file", A: base, B: with(changed)},
		{Name: "added-package", A: base, B: with(pkg)},
		{Name: "chmod", A: base, B: with(chmod)},
		{Name: "deleted-file", A: base, B: with(remove)},
		{Name: "reordered-step", A: base, B: with(reorder)},
		{Name: "attributes", A: base, B: with(attrs)},
		{Name: "all", A: base, B: with(func(s []imagetest.Step) []imagetest.Step {
			return chmod(remove(pkg(reorder(changed(s)))))
		})},
	}
}

// Lookup returns the pair called name.
func Lookup(t testing.TB, name string) Pair {
	t.Helper()
	for _, p := range Pairs() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no pair %q", name)
	return Pair{}
}

// Image builds an image from steps and adapts it for the analysis.
func Image(t testing.TB, steps []imagetest.Step) image.Image {
	t.Helper()
	img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	a, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Analyze builds an image from steps and analyzes it.
func Analyze(t testing.TB, steps []imagetest.Step) *analyze.Result {
	t.Helper()
	res, err := analyze.Analyze(context.Background(), Image(t, steps))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// WriteArchive writes the image of steps to dir/name as a `docker save`
// tarball and returns its path.
func WriteArchive(t testing.TB, dir, name string, steps []imagetest.Step) string {
	t.Helper()
	img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := imagetest.WriteDockerArchive(path, img, "strata-test/"+trimExt(name)+":latest"); err != nil {
		t.Fatal(err)
	}
	return path
}

func trimExt(name string) string {
	return name[:len(name)-len(filepath.Ext(name))]
}

// GoldenDir is the directory of the diff tests' golden files,
// testdata/diff at the top of the repository, found from this file.
func GoldenDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "diff")
}

// RequireGolden fails the test unless got is the golden file
// testdata/diff/name; with -update (the flag of the golden package) it
// writes got there first.
func RequireGolden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join(GoldenDir(), name)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if d := udiff.Unified("golden", "got", string(want), got); d != "" {
		t.Fatalf("%s differs from its golden file (-update rewrites it):\n%s", name, d)
	}
}
