//go:build unix

// This file is over 400 lines: it is one table of extractions from hostile
// and ordinary layers (links, sparse files, modes, refusals), with the
// helpers that build and check them, and reads best in one place.

package extract_test

import (
	"archive/tar"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/extract"
	"github.com/strata-dev/strata/internal/imagetest"
)

// app is a three-layer image: a base, an app, and a change to the app.
func app(t *testing.T) *builtImage {
	return build(t,
		imagetest.Step{CreatedBy: "base", Entries: []imagetest.Entry{
			imagetest.Dir("etc/"), imagetest.Reg("etc/passwd", "root:x:0:0\n"),
			imagetest.Reg("etc/hostname", "base\n"),
		}},
		imagetest.Step{CreatedBy: "app", Entries: []imagetest.Entry{
			imagetest.Dir("app/"), imagetest.Dir("app/bin/"),
			imagetest.Reg("app/bin/run", "#!/bin/sh\n").WithMode(0o755),
			imagetest.Reg("app/conf", "v1"),
			imagetest.Reg("app/old", "to be deleted"),
			imagetest.Symlink("app/run", "bin/run"),
			imagetest.Hardlink("app/run.hard", "app/bin/run"),
			{Path: "app/tty", Type: tar.TypeChar},
			{Path: "app/pipe", Type: tar.TypeFifo},
			imagetest.Reg("app/dup", "first"),
			imagetest.Reg("app/dup", "second"),
		}},
		imagetest.Step{CreatedBy: "change", Entries: []imagetest.Entry{
			imagetest.Reg("app/conf", "v2"),
			imagetest.Whiteout("app/old"),
			imagetest.Reg("app/new/file", "new"),
			imagetest.Reg("etc/passwd", "root:x:0:0\napp:x:1000:1000\n"),
		}},
	)
}

func TestExtractDirectory(t *testing.T) {
	withUmask(t)
	im := app(t)
	im.resetOpens()
	dir := t.TempDir()
	sum, err := extract.Extract(context.Background(), im.res, im.layers, 2, "/app", dir)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "extracted /app at layer 2", listing(t, dir), []string{
		"app drwxr-xr-x",
		"app/bin drwxr-xr-x",
		"app/bin/run -rwxr-xr-x = #!/bin/sh\n",
		"app/conf -rw-r--r-- = v2",
		"app/dup -rw-r--r-- = second",
		"app/new drwxr-xr-x",
		"app/new/file -rw-r--r-- = new",
		"app/run Lrwxrwxrwx -> bin/run",
		"app/run.hard -rwxr-xr-x = #!/bin/sh\n",
	})
	// app/run.hard is a hard link to app/bin/run, as in the image: its
	// contents are written once.
	want := extract.Summary{Files: 5, Links: 1, Dirs: 3, Symlinks: 1, Bytes: 10 + 2 + 6 + 3, Skipped: 2,
		Warnings: []string{"skipped 2 device nodes and fifos"}}
	if !summaryEqual(sum, want) {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	// Layer 0 holds nothing of /app; layers 1 and 2 are read once each.
	if got := im.openCounts(); !slices.Equal(got, []int{0, 1, 1}) {
		t.Errorf("layers opened %v times, want [0 1 1]", got)
	}

	dir = t.TempDir()
	if _, err := extract.Extract(context.Background(), im.res, im.layers, 1, "app", dir); err != nil {
		t.Fatal(err)
	}
	got := listing(t, dir)
	for _, want := range []string{"app/conf -rw-r--r-- = v1", "app/old -rw-r--r-- = to be deleted"} {
		if !slices.Contains(got, want) {
			t.Errorf("at layer 1, %q missing:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func summaryEqual(a, b extract.Summary) bool {
	return a.Files == b.Files && a.Links == b.Links && a.Dirs == b.Dirs && a.Symlinks == b.Symlinks && a.Bytes == b.Bytes &&
		a.Skipped == b.Skipped && slices.Equal(a.Warnings, b.Warnings)
}

func TestExtractFileAtLayers(t *testing.T) {
	im := app(t)
	for k, want := range map[int]string{0: "root:x:0:0\n", 1: "root:x:0:0\n", 2: "root:x:0:0\napp:x:1000:1000\n"} {
		dir := t.TempDir()
		im.resetOpens()
		sum, err := extract.Extract(context.Background(), im.res, im.layers, k, "/etc/passwd", dir)
		if err != nil {
			t.Fatal(err)
		}
		diff(t, "passwd", listing(t, dir), []string{"passwd -rw-r--r-- = " + want})
		if sum.Files != 1 || sum.Bytes != int64(len(want)) || sum.Dirs != 0 {
			t.Errorf("layer %d: summary %+v", k, sum)
		}
		// Only the layer that wrote the visible version is read.
		opens := im.openCounts()
		if wrote := map[int]int{0: 0, 1: 0, 2: 2}[k]; opens[wrote] != 1 || slices.Max(opens) != 1 || sumInts(opens) != 1 {
			t.Errorf("layer %d: layers opened %v", k, opens)
		}
	}
}

func sumInts(s []int) (n int) {
	for _, v := range s {
		n += v
	}
	return n
}

func TestExtractRoot(t *testing.T) {
	im := app(t)
	dir := t.TempDir()
	if _, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/", dir); err != nil {
		t.Fatal(err)
	}
	diff(t, "extracted / at layer 0", listing(t, dir), []string{
		"etc drwxr-xr-x",
		"etc/hostname -rw-r--r-- = base\n",
		"etc/passwd -rw-r--r-- = root:x:0:0\n",
	})
}

func TestExtractErrors(t *testing.T) {
	im := app(t)
	ctx := context.Background()
	dir := t.TempDir()
	for _, tt := range []struct {
		k    int
		path string
		is   error
		msg  string
	}{
		{k: 2, path: "/app/old", is: extract.ErrNotPresent, msg: "/app/old: not present at layer 2"},
		{k: 0, path: "/app", is: extract.ErrNotPresent, msg: "/app: not present at layer 0"},
		{k: 2, path: "/nowhere", is: extract.ErrNotPresent},
		{k: 3, path: "/app", msg: "layer 3 is out of range: the image has layers 0 to 2"},
		{k: -1, path: "/app", msg: "layer -1 is out of range"},
	} {
		_, err := extract.Extract(ctx, im.res, im.layers, tt.k, tt.path, dir)
		if err == nil || tt.is != nil && !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Extract(%d, %s): error %v, want %v %q", tt.k, tt.path, err, tt.is, tt.msg)
		}
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("failed extractions wrote %v", names)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := extract.Extract(cancelled, im.res, im.layers, 2, "/app", t.TempDir()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range des {
		names = append(names, d.Name())
	}
	return names
}

// TestExtractChecksContents gives Extract the layers of another image
// than the one analyzed: the contents do not match and it says so.
func TestExtractChecksContents(t *testing.T) {
	im := app(t)
	other := build(t,
		imagetest.Step{CreatedBy: "base", Entries: []imagetest.Entry{imagetest.Reg("etc/passwd", "evil:x:0:0\n")}},
		imagetest.Step{CreatedBy: "app", Entries: []imagetest.Entry{imagetest.Reg("x", "")}},
		imagetest.Step{CreatedBy: "change", Entries: []imagetest.Entry{imagetest.Reg("x", "")}},
	)
	_, err := extract.Extract(context.Background(), im.res, other.layers, 0, "/etc/passwd", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "/etc/passwd in layer 0 does not match the analysis") {
		t.Errorf("error %v, want a mismatch", err)
	}
	_, err = extract.Extract(context.Background(), im.res, other.layers, 0, "/etc/hostname", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "/etc/hostname is not where the analysis found it") {
		t.Errorf("error %v, want a missing file", err)
	}
}

func TestExtractNeverRestoresSpecialBits(t *testing.T) {
	withUmask(t)
	im := build(t, imagetest.Step{CreatedBy: "bits", Entries: []imagetest.Entry{
		imagetest.Dir("d/").WithMode(0o1777),
		imagetest.Reg("d/suid", "x").WithMode(0o4755),
		imagetest.Reg("d/sgid", "x").WithMode(0o2755),
		imagetest.Dir("d/ro/").WithMode(0o555),
		imagetest.Reg("d/ro/file", "read only").WithMode(0o444),
	}})
	dir := t.TempDir()
	if _, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/d", dir); err != nil {
		t.Fatal(err)
	}
	diff(t, "modes", listing(t, dir), []string{
		"d drwxr-xr-x",
		"d/ro dr-xr-xr-x",
		"d/ro/file -r--r--r-- = read only",
		"d/sgid -rwxr-xr-x = x",
		"d/suid -rwxr-xr-x = x",
	})
	os.Chmod(filepath.Join(dir, "d", "ro"), 0o755) // so that TempDir can clean up
}

func TestExtractHardLinks(t *testing.T) {
	im := build(t,
		imagetest.Step{CreatedBy: "one", Entries: []imagetest.Entry{
			imagetest.Reg("lib/a", "aaa"), imagetest.Dir("lib/d/"),
		}},
		imagetest.Step{CreatedBy: "two", Entries: []imagetest.Entry{
			imagetest.Hardlink("lib/b", "lib/a"),      // target in a lower layer
			imagetest.Hardlink("lib/c", "lib/b"),      // a link to a link
			imagetest.Hardlink("lib/dir", "lib/d"),    // to a directory
			imagetest.Hardlink("lib/gone", "nowhere"), // to nothing
		}},
	)
	im.resetOpens()
	dir := t.TempDir()
	sum, err := extract.Extract(context.Background(), im.res, im.layers, 1, "/lib", dir)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "hard links", listing(t, dir), []string{
		"lib drwxr-xr-x",
		"lib/a -rw-r--r-- = aaa",
		"lib/b -rw-r--r-- = aaa",
		"lib/c -rw-r--r-- = aaa",
		"lib/d drwxr-xr-x",
	})
	diff(t, "warnings", sum.Warnings, []string{
		"skipped hard link /lib/dir: target /lib/d is a directory",
		"skipped hard link /lib/gone: target /nowhere is not in the image",
	})
	if sum.Files != 3 || sum.Links != 2 || sum.Skipped != 2 || sum.Bytes != 3 {
		t.Errorf("summary %+v, want 3 files of which 2 hard links, 3 bytes written, 2 skipped", sum)
	}
	if !sameFile(t, filepath.Join(dir, "lib/a"), filepath.Join(dir, "lib/b")) || !sameFile(t, filepath.Join(dir, "lib/a"), filepath.Join(dir, "lib/c")) {
		t.Error("the hard links were written as copies, not links to lib/a")
	}
	if got := im.openCounts(); !slices.Equal(got, []int{1, 0}) {
		t.Errorf("layers opened %v times, want [1 0]: the copies come from the target's layer", got)
	}
}

func TestExtractRefusesToOverwrite(t *testing.T) {
	im := app(t)
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(outside, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A hard link to a file outside, where the image has a file.
	if err := os.Link(outside, filepath.Join(dir, "app", "conf")); err != nil {
		t.Fatal(err)
	}
	_, err := extract.Extract(context.Background(), im.res, im.layers, 2, "/app", dir)
	if !errors.Is(err, fs.ErrExist) || err.Error() != "refusing to overwrite "+filepath.Join(dir, "app", "conf")+": file already exists" {
		t.Fatalf("error %v, want a refusal to overwrite app/conf", err)
	}
	diff(t, "nothing written", entries(t, filepath.Join(dir, "app")), []string{"conf"})

	sum, err := extract.Extract(context.Background(), im.res, im.layers, 2, "/app", dir, extract.WithForce(true))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 5 {
		t.Errorf("summary %+v", sum)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "app", "conf")); string(data) != "v2" {
		t.Errorf("app/conf holds %q, want v2", data)
	}
	if data, _ := os.ReadFile(outside); string(data) != "keep" {
		t.Errorf("the file outside was written through its hard link: %q", data)
	}

	// A second extraction without force meets the first one's files.
	if _, err := extract.Extract(context.Background(), im.res, im.layers, 2, "/app", dir); !errors.Is(err, fs.ErrExist) {
		t.Errorf("error %v, want a refusal", err)
	}

	// Never a directory replaced by a file, even with force.
	if err := os.MkdirAll(filepath.Join(dir, "passwd", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = extract.Extract(context.Background(), im.res, im.layers, 2, "/etc/passwd", dir, extract.WithForce(true))
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), "refusing to replace directory "+filepath.Join(dir, "passwd")) {
		t.Errorf("error %v, want a refusal to replace the directory", err)
	}
}

// TestExtractDoesNotFollowSymlinksInDir puts symlinks leading out of the
// output directory where the image has a directory, a file and a
// symlink: none of them is followed.
func TestExtractDoesNotFollowSymlinksInDir(t *testing.T) {
	im := app(t)
	for _, tt := range []struct {
		name, at string // the symlink's place below the output directory
		mkdirs   string
	}{
		{name: "top directory", at: "app"},
		{name: "directory below", at: "app/bin", mkdirs: "app"},
		{name: "file", at: "app/conf", mkdirs: "app"},
		{name: "file in a new directory", at: "app/new/file", mkdirs: "app/new"},
		{name: "symlink", at: "app/run", mkdirs: "app"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			outside := t.TempDir()
			if err := os.WriteFile(filepath.Join(outside, "file"), []byte("keep"), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.mkdirs != "" {
				if err := os.MkdirAll(filepath.Join(dir, tt.mkdirs), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			target := outside
			if strings.HasSuffix(tt.at, "file") || strings.HasSuffix(tt.at, "conf") || strings.HasSuffix(tt.at, "run") {
				target = filepath.Join(outside, "file")
			}
			link := filepath.Join(dir, tt.at)
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			_, err := extract.Extract(context.Background(), im.res, im.layers, 2, "/app", dir)
			if !errors.Is(err, fs.ErrExist) {
				t.Fatalf("without force: error %v, want a refusal", err)
			}
			if _, err := extract.Extract(context.Background(), im.res, im.layers, 2, "/app", dir, extract.WithForce(true)); err != nil {
				t.Fatalf("with force: %v", err)
			}
			fi, err := os.Lstat(link)
			if err != nil {
				t.Fatal(err)
			}
			if tt.at != "app/run" && fi.Mode()&fs.ModeSymlink != 0 {
				t.Errorf("%s is still a symlink", tt.at)
			}
			diff(t, "outside", listing(t, outside), []string{"file -rw-r--r-- = keep"})
		})
	}
}

func TestExtractSymlinkTargets(t *testing.T) {
	im := build(t, imagetest.Step{CreatedBy: "links", Entries: []imagetest.Entry{
		imagetest.Dir("app/"), imagetest.Dir("app/sub/"), imagetest.Reg("app/file", "f"),
		imagetest.Symlink("app/abs", "/etc/passwd"),
		imagetest.Symlink("app/up", "../../etc/passwd"),
		imagetest.Symlink("app/sub/up", "../../../x"),
		imagetest.Symlink("app/sibling", "../sibling"), // dir/sibling: inside
		imagetest.Symlink("app/rel", "sub/../file"),
		imagetest.Symlink("app/self", "."),
		imagetest.Symlink("app/trick", "self/self/../.."), // dir/.. through app/self
		imagetest.Symlink("app/viaabs", "abs/x"),          // through a skipped link
		imagetest.Symlink("app/viadisk", "../out/etc"),    // through dir/out, on disk
		imagetest.Symlink("app/loop", "loop"),
		imagetest.Symlink("app/empty", ""),
	}})
	dir := t.TempDir()
	if err := os.Symlink("/", filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	sum, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/app", dir)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "written", listing(t, dir), []string{
		"app drwxr-xr-x",
		"app/file -rw-r--r-- = f",
		"app/rel Lrwxrwxrwx -> sub/../file",
		"app/self Lrwxrwxrwx -> .",
		"app/sibling Lrwxrwxrwx -> ../sibling",
		"app/sub drwxr-xr-x",
		"out Lrwxrwxrwx -> /",
	})
	var skipped []string
	for _, w := range sum.Warnings {
		skipped = append(skipped, strings.TrimSuffix(w, ": the target leads out of the output directory"))
	}
	diff(t, "warnings", skipped, []string{
		"skipped symlink /app/abs -> /etc/passwd",
		"skipped symlink /app/empty -> ",
		"skipped symlink /app/loop -> loop",
		"skipped symlink /app/sub/up -> ../../../x",
		"skipped symlink /app/trick -> self/self/../..",
		"skipped symlink /app/up -> ../../etc/passwd",
		"skipped symlink /app/viaabs -> abs/x",
		"skipped symlink /app/viadisk -> ../out/etc",
	})
	if sum.Symlinks != 3 || sum.Skipped != 8 {
		t.Errorf("summary %+v", sum)
	}

	// From "/" into an empty directory, dir/out is not there to lead
	// app/viadisk out; the others still leave.
	dir = t.TempDir()
	sum, err = extract.Extract(context.Background(), im.res, im.layers, 0, "/", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "app", "viadisk")); err != nil || sum.Symlinks != 4 {
		t.Errorf("from /: %d symlinks written, want 4 with app/viadisk: %v", sum.Symlinks, sum.Warnings)
	}
}

func TestExtractSkipsDevices(t *testing.T) {
	im := build(t, imagetest.Step{CreatedBy: "dev", Entries: []imagetest.Entry{
		{Path: "dev/null", Type: tar.TypeChar}, {Path: "dev/sda", Type: tar.TypeBlock},
		{Path: "dev/fifo", Type: tar.TypeFifo}, imagetest.Reg("dev/.keep", ""),
	}})
	dir := t.TempDir()
	sum, err := extract.Extract(context.Background(), im.res, im.layers, 0, "/dev", dir)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "dev", entries(t, filepath.Join(dir, "dev")), []string{".keep"})
	if sum.Skipped != 3 || sum.Files != 1 || sum.Dirs != 1 {
		t.Errorf("summary %+v", sum)
	}
	// A device asked for by name is skipped too.
	sum, err = extract.Extract(context.Background(), im.res, im.layers, 0, "/dev/null", dir)
	if err != nil || sum.Skipped != 1 || sum.Files != 0 {
		t.Errorf("summary %+v, error %v", sum, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "null")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the device was written: %v", err)
	}
}

// sameFile says whether two paths are the same file (hard links of one
// another).
func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	fa, err := os.Stat(a)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := os.Stat(b)
	if err != nil {
		t.Fatal(err)
	}
	return os.SameFile(fa, fb)
}
