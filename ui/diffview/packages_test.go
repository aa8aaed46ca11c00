package diffview

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/difftest"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
	"github.com/strata-dev/strata/ui/keymap"
)

// dpkgStatus is a dpkg status file that lists packages installed, as
// name and version pairs.
func dpkgStatus(pkgs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pkgs); i += 2 {
		b.WriteString("Package: " + pkgs[i] + "\nStatus: install ok installed\nVersion: " + pkgs[i+1] + "\nArchitecture: amd64\n\n")
	}
	return b.String()
}

// debianA has libssl3 and tzdata; debianB, its rebuild, a newer libssl3,
// curl and a package whose name holds a terminal escape, and no tzdata.
func debianA() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
			imagetest.Reg("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
			imagetest.Reg("usr/lib/libssl.so.3", strings.Repeat("s", 5000)),
			imagetest.Reg("usr/share/zoneinfo/UTC", strings.Repeat("z", 2500)),
			imagetest.Reg("var/lib/dpkg/status", dpkgStatus("libssl3", "3.0.11-1", "tzdata", "2024a-0")),
			imagetest.Reg("var/lib/dpkg/info/libssl3.list", "/usr/lib/libssl.so.3\n"),
			imagetest.Reg("var/lib/dpkg/info/tzdata.list", "/usr/share/zoneinfo/UTC\n"),
		}},
		{CreatedBy: "COPY app/ /app/", Entries: []imagetest.Entry{imagetest.Reg("app/run.sh", "#!/bin/sh\n")}},
	}
}

func debianB() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
			imagetest.Reg("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
			imagetest.Reg("usr/lib/libssl.so.3", strings.Repeat("S", 5200)),
			imagetest.Reg("var/lib/dpkg/status", dpkgStatus("libssl3", "3.0.13-1")),
			imagetest.Reg("var/lib/dpkg/info/libssl3.list", "/usr/lib/libssl.so.3\n"),
		}},
		{CreatedBy: "RUN apt-get install -y curl", Entries: []imagetest.Entry{
			imagetest.Reg("usr/bin/curl", strings.Repeat("c", 3000)),
			imagetest.Reg("var/lib/dpkg/info/curl.list", "/usr/bin/curl\n"),
			imagetest.Reg("var/lib/dpkg/status", dpkgStatus("libssl3", "3.0.13-1", "curl", "7.88.1-10", "evil\x1b[2J", "1")),
		}},
		{CreatedBy: "COPY app/ /app/", Entries: []imagetest.Entry{imagetest.Reg("app/run.sh", "#!/bin/sh\n")}},
	}
}

// openSteps makes the root model for two images built from steps, drawn
// with the selection marker of TERM=dumb, without running anything.
func openSteps(t *testing.T, a, b []imagetest.Step, w, h int) Model {
	t.Helper()
	m := New(context.Background(), Options{
		A:      Side{Reference: "debian-a.tar", Source: "docker-archive", Platform: "linux/amd64"},
		B:      Side{Reference: "debian-b.tar", Source: "docker-archive", Platform: "linux/amd64"},
		ImageA: difftest.Image(t, a), ImageB: difftest.Image(t, b),
		Styles: panetest.Styles(t, common.Plain), Keys: keymap.Default(), Hidden: tree.ChangeSet(0).With(tree.Unmodified, true),
	})
	t.Cleanup(m.Close)
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return next.(Model)
}

// paneRows are the lines inside a pane's frame, right-trimmed.
func paneRows(m Model, p int) []string {
	r := m.rects()[p]
	var out []string
	for _, l := range screen(m)[r.Y+1 : r.Y+r.H-1] {
		out = append(out, strings.TrimRight(ansi.Cut(l, r.X+1, r.X+r.W-1), " │┃"))
	}
	return out
}

// selectedRow is the row of a pane the cursor is on, without its
// marker; "" when none is.
func selectedRow(m Model, p int) string {
	for _, r := range paneRows(m, p) {
		if s, ok := strings.CutPrefix(r, "> "); ok {
			return s
		}
	}
	return ""
}

// P lists the packages that differ, by name, with their versions A → B
// and size changes; the sort key orders them by size change and keeps
// the cursor on its package; enter narrows the tree to the package's
// files; esc shows the tree again. Names from the image are made safe.
func TestPackageChanges(t *testing.T) {
	m := openSteps(t, debianA(), debianB(), 160, 40)
	m = run(t, m, tea.BatchMsg{m.Init()})
	k := m.keys
	has(t, m, "Packages  2 added, 1 removed, 1 upgraded, +700 B") // the summary
	m = run(t, m, panetest.Key(k.Packages.Open))
	if !m.packagesOpen || m.panes.Focus != paneFiles {
		t.Fatalf("P: open %v, focus %d", m.packagesOpen, m.panes.Focus)
	}
	rows := paneRows(m, paneFiles)
	panetest.RequireLines(t, rows[:6],
		"  Change        Δ Size  Package: A → B",
		"> added        +3.0 kB  deb curl: - → 7.88.1-10",
		"  added            0 B  deb evil\\x1b[2J: - → 1",
		"  upgraded      +200 B  deb libssl3: 3.0.11-1 → 3.0.13-1",
		"  removed      -2.5 kB  deb tzdata: 2024a-0 → -",
		"")
	panetest.RequireLines(t, rows[len(rows)-2:],
		"2 added, 1 removed, 1 upgraded, +700 B · 0 the same",
		"enter shows its 1 path · in B's /var/lib/dpkg/status")
	has(t, m, "[4] Packages, A → B · by name", "↑↓ package • enter its files • ctrl+o sort name/size • esc back to files")
	if strings.Contains(m.Render(), "\x1b[2J") {
		t.Error("a package name's escape reached the screen")
	}

	m = run(t, m, panetest.Key(k.Packages.Sort))
	panetest.RequireLines(t, paneRows(m, paneFiles)[1:5],
		"> added        +3.0 kB  deb curl: - → 7.88.1-10",
		"  removed      -2.5 kB  deb tzdata: 2024a-0 → -",
		"  upgraded      +200 B  deb libssl3: 3.0.11-1 → 3.0.13-1",
		"  added            0 B  deb evil\\x1b[2J: - → 1")
	has(t, m, "[4] Packages, A → B · largest change first")

	m = run(t, m, panetest.Key(k.Packages.Down), panetest.Key(k.Packages.Sort))
	has(t, m, "[4] Packages, A → B · by name", "enter shows its 1 path · in A's /var/lib/dpkg/status")
	if got := selectedRow(m, paneFiles); got != "removed      -2.5 kB  deb tzdata: 2024a-0 → -" {
		t.Errorf("back by name, the selected row is %q, want tzdata's", got)
	}
	m = run(t, m, panetest.Key(k.Global.Copy))
	has(t, m, "copied the package tzdata 2024a-0")

	// Enter: the tree again, narrowed to tzdata's file, which B lacks.
	m = run(t, m, panetest.Key(k.Packages.Files))
	if m.packagesOpen || m.panes.Focus != paneFiles {
		t.Errorf("after enter: open %v, focus %d", m.packagesOpen, m.panes.Focus)
	}
	rows = paneRows(m, paneFiles)
	panetest.RequireLines(t, rows[1:5],
		"  drwxr-xr-x         0:0   7.5 kB   8.2 kB    +700 B  └── ~ usr",
		"  drwxr-xr-x         0:0   2.5 kB        -   -2.5 kB      └── - share",
		"  drwxr-xr-x         0:0   2.5 kB        -   -2.5 kB          └── - zoneinfo",
		"> -rw-r--r--         0:0   2.5 kB        -   -2.5 kB              └── - UTC")
	has(t, m, "[4] Differences, A → B", "Filter: package tzdata 2024a-0")
	hasNot(t, m, "Packages, A → B")

	// An upgraded package's files are B's and A's.
	m = run(t, m, panetest.Key(k.Packages.Open), panetest.Key(k.Packages.Up), panetest.Key(k.Packages.Files))
	has(t, m, "Filter: package libssl3 3.0.13-1")
	if got := selectedRow(m, paneFiles); !strings.HasSuffix(got, "+200 B          └── ~ libssl.so.3  [content]") {
		t.Errorf("narrowed to libssl3, the tree's selected row is %q", got)
	}

	// A package with no files listed: enter stays; esc closes.
	m = run(t, m, panetest.Key(k.Packages.Open), panetest.Key(k.Packages.Top), panetest.Key(k.Packages.Down))
	has(t, m, "no files listed · in B's /var/lib/dpkg/status")
	m = run(t, m, panetest.Key(k.Packages.Files))
	if !m.packagesOpen {
		t.Error("enter on a package without files closed the view")
	}
	m = run(t, m, panetest.Key(k.Packages.Close))
	has(t, m, "[4] Differences, A → B")
	hasNot(t, m, "Packages, A → B")
}

// The view follows the focus like the tree: left goes to the layers with
// the view still in the tree's place, the pane's number comes back to it;
// a click selects a row; the filter key shows the tree again.
func TestPackageChangesFocusAndMouse(t *testing.T) {
	m := openSteps(t, debianA(), debianB(), 160, 40)
	m = run(t, m, tea.BatchMsg{m.Init()})
	k := m.keys
	m = run(t, m, panetest.Key(k.Packages.Open), panetest.Key(k.Files.Collapse))
	if m.panes.Focus != paneLayers || !m.packagesOpen {
		t.Fatalf("left: focus %d, open %v", m.panes.Focus, m.packagesOpen)
	}
	m = run(t, m, panetest.Key(k.Global.Pane4))
	if m.panes.Focus != paneFiles || !m.pkgs.list.Focused() {
		t.Fatalf("4: focus %d, the view focused %v", m.panes.Focus, m.pkgs.list.Focused())
	}
	r := m.rects()[paneFiles]
	m = run(t, m, tea.MouseClickMsg{X: r.X + 10, Y: r.Y + 2 + 3, Button: tea.MouseLeft})
	if got := selectedRow(m, paneFiles); !strings.Contains(got, "deb tzdata") {
		t.Errorf("after a click on the fourth row the selected row is %q", got)
	}
	m = run(t, m, panetest.Key(k.Global.Filter))
	if m.packagesOpen || !m.tree.Filtering() {
		t.Errorf("the filter key: open %v, filtering %v", m.packagesOpen, m.tree.Filtering())
	}
}

// Before the comparison the view says it waits; without a package
// database in either image, or after the analysis stopped, it says so.
func TestPackageChangesMessages(t *testing.T) {
	m := openSteps(t, debianA(), debianB(), 120, 30)
	m = run(t, m, panetest.Key(m.keys.Packages.Open))
	panetest.RequireLines(t, paneRows(m, paneFiles)[:2],
		"  Change        Δ Size  Package: A → B",
		"waiting for both images to be analyzed…")

	m = load(t, "chmod")
	m = run(t, m, panetest.Key(m.keys.Packages.Open))
	has(t, m, "no package database in either image")
	hasNot(t, m, "Packages  ")

	p := difftest.Lookup(t, "chmod")
	m = New(context.Background(), Options{
		A: Side{Reference: "a"}, B: Side{Reference: "b"},
		ImageA: difftest.Image(t, p.A), ImageB: brokenImage{difftest.Image(t, p.B)},
		Styles: panetest.NoColor(t), Keys: keymap.Default(),
	})
	t.Cleanup(m.Close)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m = run(t, next.(Model), tea.BatchMsg{next.(Model).Init()}, panetest.Key(m.keys.Packages.Open))
	has(t, m, "the analysis stopped: no packages to compare")
}

// The packages analyzers watch the one pass over each layer: no layer is
// opened twice.
func TestPackagesReadEachLayerOnce(t *testing.T) {
	opened := map[string]int{}
	var mu sync.Mutex
	count := func(steps []imagetest.Step, side string) image.Image {
		return countingImage{difftest.Image(t, steps), func(i int) {
			mu.Lock()
			defer mu.Unlock()
			opened[fmt.Sprintf("%s %d", side, i)]++
		}}
	}
	m := New(context.Background(), Options{
		A: Side{Reference: "a"}, B: Side{Reference: "b"}, ImageA: count(debianA(), "A"), ImageB: count(debianB(), "B"),
		Styles: panetest.NoColor(t), Keys: keymap.Default(),
	})
	t.Cleanup(m.Close)
	m = run(t, m, tea.BatchMsg{m.Init()})
	if m.Diff() == nil || m.Diff().Packages == nil || len(m.Diff().Packages.Changes) != 4 {
		t.Fatalf("no package changes: %+v", m.Diff())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(opened) != 5 {
		t.Errorf("layers opened: %v, want the 5 layers", opened)
	}
	for l, n := range opened {
		if n != 1 {
			t.Errorf("layer %s opened %d times", l, n)
		}
	}
}

// countingImage tells opened each time a layer is opened.
type countingImage struct {
	image.Image
	opened func(i int)
}

func (c countingImage) Layers() ([]image.Layer, error) {
	ls, err := c.Image.Layers()
	ls = slices.Clone(ls)
	for i := range ls {
		open := ls[i].Open
		ls[i].Open = func() (io.ReadCloser, error) {
			c.opened(i)
			return open()
		}
	}
	return ls, err
}
