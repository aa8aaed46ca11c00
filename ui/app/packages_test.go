package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// apkEntry is a package of an apk installed database, with its files.
func apkEntry(name, version string, files ...string) string {
	s := "C:Q1abc=\nP:" + name + "\nV:" + version + "\nA:x86_64\nS:1000\nI:2000\nT:test\no:" + name + "\n"
	dir := ""
	for _, f := range files {
		i := strings.LastIndex(f, "/")
		if d := f[:i]; d != dir {
			s += "F:" + d + "\n"
			dir = d
		}
		s += "R:" + f[i+1:] + "\na:0:0:755\nZ:Q1xyz=\n"
	}
	return s + "\n"
}

// apkSteps install musl and busybox, then upgrade musl, remove busybox
// and add zlib.
func apkSteps() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
			imagetest.Reg("lib/ld-musl-x86_64.so.1", strings.Repeat("m", 600)),
			imagetest.Reg("bin/busybox", strings.Repeat("b", 800)),
			imagetest.Reg("etc/motd", "unowned\n"),
			imagetest.Reg("lib/apk/db/installed", apkEntry("musl", "1.2.5-r0", "lib/ld-musl-x86_64.so.1")+
				apkEntry("busybox", "1.36.1-r29", "bin/busybox")),
		}},
		{CreatedBy: "RUN apk upgrade musl && apk del busybox && apk add zlib", Entries: []imagetest.Entry{
			imagetest.Reg("lib/ld-musl-x86_64.so.1", strings.Repeat("M", 610)),
			imagetest.Whiteout("bin/busybox"),
			imagetest.Reg("usr/lib/libz.so.1.3.1", strings.Repeat("z", 1000)),
			imagetest.Symlink("usr/lib/libz.so.1", "libz.so.1.3.1"),
			imagetest.Reg("lib/apk/db/installed", apkEntry("musl", "1.2.5-r1", "lib/ld-musl-x86_64.so.1")+
				apkEntry("zlib", "1.3.1-r1", "usr/lib/libz.so.1", "usr/lib/libz.so.1.3.1")),
		}},
	}
}

// P shows, for the selected layer, what its step did to packages and
// what is present after it; ctrl+o sorts by size; enter filters the tree
// to the package's files.
func TestPackagesView(t *testing.T) {
	m := codeImage(t, apkSteps(), 200, 50)
	m = run(t, m, panetest.Key(keys.Layers.Down), panetest.Key(keys.Packages.Open))
	same(t, "by name", paneRows(m, 7), []string{
		"  Change        Size  Files  Package",
		"> removed      800 B      1  busybox 1.36.1-r29",
		"  upgraded     610 B      1  musl 1.2.5-r0 → 1.2.5-r1",
		"  added       1.0 kB      2  zlib 1.3.1-r1",
		"  ·            610 B      1  musl 1.2.5-r1",
		"  ·           1.0 kB      2  zlib 1.3.1-r1",
		"",
	})
	has(t, m, "[5] Packages · layer 1 · by name", "3 changed, 2 present · apk: removed here, no files",
		"↑↓ package • enter its files • ctrl+o sort name/size")

	m = run(t, m, panetest.Key(keys.Packages.Sort))
	same(t, "by size", paneRows(m, 6), []string{
		"  Change        Size  Files  Package",
		"> added       1.0 kB      2  zlib 1.3.1-r1",
		"  removed      800 B      1  busybox 1.36.1-r29",
		"  upgraded     610 B      1  musl 1.2.5-r0 → 1.2.5-r1",
		"  ·           1.0 kB      2  zlib 1.3.1-r1",
		"  ·            610 B      1  musl 1.2.5-r1",
	})
	has(t, m, "[5] Packages · layer 1 · largest first", "enter shows its 2 paths")
	m = run(t, m, panetest.Key(keys.Global.Copy))
	has(t, m, "copied the package zlib 1.3.1-r1")

	m = run(t, m, panetest.Key(keys.Packages.Bottom), panetest.Key(keys.Packages.Files))
	hasNot(t, m, "[5] Packages")
	if got := names(m); !slices.Equal(got, []string{"lib", "ld-musl-x86_64.so.1"}) {
		t.Errorf("the tree filtered to musl shows %q", got)
	}
	if got := selected(m, paneFiles); !strings.HasSuffix(got, "~ ld-musl-x86_64.so.1") {
		t.Errorf("the tree's selected row is %q", got)
	}
	has(t, m, "Filter: package musl 1.2.5-r1")

	m = run(t, m, panetest.Key(keys.Files.ClearFilter))
	hasNot(t, m, "Filter: package musl")
	if got := len(names(m)); got < 6 {
		t.Errorf("the cleared filter leaves %d rows", got)
	}

	// On the first layer, everything was added; esc goes back to the tree.
	m = run(t, m, panetest.Key(keys.Packages.Open), panetest.Key(keys.Global.SwitchPane),
		panetest.Key(keys.Layers.Up), panetest.Key(keys.Global.SwitchPane))
	same(t, "layer 0", paneRows(m, 5), []string{
		"  Change        Size  Files  Package",
		"> added        800 B      1  busybox 1.36.1-r29",
		"  added        600 B      1  musl 1.2.5-r0",
		"  ·            800 B      1  busybox 1.36.1-r29",
		"  ·            600 B      1  musl 1.2.5-r0",
	})
	m = run(t, m, panetest.Key(keys.Packages.Close))
	has(t, m, "[5] Layer 0 contents")
}

// The owner column names each file's package: shown when it fits (at 200
// columns), not at 80 until o asks for it (the other columns then make
// room); o hides it again.
func TestOwnerColumn(t *testing.T) {
	m := codeImage(t, apkSteps(), 200, 50)
	busybox := func(m Model) string {
		for _, r := range rows(m, paneFiles) {
			if strings.HasSuffix(r, "+ busybox") {
				return strings.TrimPrefix(r, "  ")
			}
		}
		return ""
	}
	if got, want := busybox(m), "-rw-r--r--         0:0    800 B busybox           │   └── + busybox"; got != want {
		t.Errorf("at 200 columns busybox's row is %q, want %q", got, want)
	}
	m = run(t, m, panetest.Key(keys.Global.SwitchPane), panetest.Key(keys.Files.Owners))
	if got, want := busybox(m), "-rw-r--r--         0:0    800 B  │   └── + busybox"; got != want {
		t.Errorf("with the column off busybox's row is %q, want %q", got, want)
	}

	m = codeImage(t, apkSteps(), 80, 24)
	if got, want := busybox(m), "-rw-r--r--    800 B  │   └── + busybox"; got != want {
		t.Errorf("at 80 columns busybox's row is %q, want %q", got, want)
	}
	m = run(t, m, panetest.Key(keys.Global.SwitchPane), panetest.Key(keys.Files.Owners))
	if got, want := busybox(m), "busybox           │   └── + busybox"; got != want {
		t.Errorf("at 80 columns with o busybox's row is %q, want %q", got, want)
	}
}

// Packages whose database lists no files (a dpkg status without its
// info/*.list files) own nothing: the tree shows no empty owner column.
func TestNoOwnerColumnWithoutFileLists(t *testing.T) {
	m := codeImage(t, []imagetest.Step{{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
		imagetest.Reg("bin/sh", strings.Repeat("s", 700)),
		imagetest.Reg("var/lib/dpkg/status", "Package: dash\nStatus: install ok installed\nVersion: 0.5.12-2\nArchitecture: amd64\n\n"),
	}}}, 200, 50)
	var sh string
	for _, r := range rows(m, paneFiles) {
		if strings.HasSuffix(r, "sh") && strings.Contains(r, "700 B") {
			sh = strings.TrimPrefix(r, "  ")
		}
	}
	if want := "-rw-r--r--         0:0    700 B  │   └── + sh"; sh != want {
		t.Errorf("/bin/sh's row is %q, want %q (no Package column)", sh, want)
	}
}

// paneRows are the first n rows of the file tree's place.
func paneRows(m Model, n int) []string { return rows(m, paneFiles)[:n] }

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: the rows are\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
