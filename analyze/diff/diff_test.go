package diff_test

import (
	"archive/tar"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/difftest"
	"github.com/strata-dev/strata/internal/imagetest"
)

// meta names the images as the command-line tests name their archives,
// so that the golden files serve both.
func meta(name string) report.Meta {
	return report.Meta{Reference: name + ".tar", Source: "docker-archive", Platform: "linux/amd64"}
}

func compare(t *testing.T, p difftest.Pair) *diff.Diff {
	t.Helper()
	a, fa := analyzeWithFindings(t, p.A)
	b, fb := analyzeWithFindings(t, p.B)
	d := diff.Compare(a, b)
	d.Findings = diff.CompareFindings(fa, fb)
	return d
}

// analyzeWithFindings analyzes the image of steps and looks for its
// findings in the same pass, as strata diff does.
func analyzeWithFindings(t *testing.T, steps []imagetest.Step) (*analyze.Result, []findings.Finding) {
	t.Helper()
	fa := findings.New()
	res, err := analyze.Analyze(context.Background(), difftest.Image(t, steps), analyze.WithObserver(fa))
	if err != nil {
		t.Fatal(err)
	}
	return res, fa.Findings(res)
}

// summary is a pair's diff in short lines: the layer rows, the first
// divergence, the download, and every changed path in path order.
func summary(d *diff.Diff) []string {
	var rows []string
	for _, r := range d.Layers {
		rows = append(rows, fmt.Sprintf("%d:%d %s", r.A, r.B, r.Status))
	}
	out := []string{"layers " + strings.Join(rows, ", ")}
	out = append(out, fmt.Sprintf("shared %d new %d gone %d, download %d layers", d.Shared, d.New, d.Gone, d.Download.Layers))
	if d.Divergence >= 0 {
		r := d.History[d.Divergence]
		out = append(out, fmt.Sprintf("history diverges at row %d: A %d, B %d, %s", d.Divergence, r.A, r.B, r.Status))
	}
	t := d.Files
	t.Walk(func(n diff.NodeID) bool {
		nd := t.Node(n)
		if nd.Change != tree.Unmodified {
			line := fmt.Sprintf("%s %s %+d", nd.Change, t.Path(n), nd.Delta())
			if w := nd.What.Words(); len(w) > 0 {
				line += " (" + strings.Join(w, ", ") + ")"
			}
			out = append(out, line)
		}
		return true
	})
	return out
}

func TestPairs(t *testing.T) {
	want := map[string][]string{
		"identical": {
			"layers 0:0 shared, 1:1 shared, 2:2 shared, 3:3 shared, 4:4 shared",
			"shared 5 new 0 gone 0, download 0 layers",
		},
		"changed-file": {
			"layers 0:0 shared, 1:-1 gone, -1:1 new, 2:2 shared, 3:3 shared, 4:4 shared",
			"shared 4 new 1 gone 1, download 1 layers",
			"history diverges at row 1: A 1, B 1, rebuilt",
			"modified /app/config.txt +1 (content)",
		},
		"added-package": {
			"layers 0:0 shared, 1:1 shared, 2:2 shared, -1:3 new, 3:4 shared, 4:5 shared",
			"shared 5 new 1 gone 0, download 1 layers",
			"history diverges at row 3: A -1, B 3, new",
			"added /usr/lib/tool +16114",
			"added /usr/lib/tool/bin +4096",
			"added /usr/lib/tool/bin/tool +4096",
			"added /usr/lib/tool/bin/tool-latest +0",
			"added /usr/lib/tool/lib +12000",
			"added /usr/lib/tool/lib/libtool.so.1 +12000",
			"added /usr/lib/tool/share +18",
			"added /usr/lib/tool/share/README +18",
		},
		"chmod": {
			"layers 0:0 shared, 1:1 shared, 2:2 shared, 3:3 shared, 4:4 shared, -1:5 new",
			"shared 5 new 1 gone 0, download 1 layers",
			"history diverges at row 6: A -1, B 6, new",
			"modified /app/run.sh +0 (mode)",
		},
		"deleted-file": {
			"layers 0:0 shared, 1:1 shared, 2:2 shared, 3:3 shared, 4:4 shared, -1:5 new",
			"shared 5 new 1 gone 0, download 1 layers",
			"history diverges at row 6: A -1, B 6, new",
			"removed /data/remove-me.txt -40",
		},
		"reordered-step": {
			"layers 0:0 shared, 1:1 shared, 2:2 shared, 3:-1 moved, 4:3 shared, -1:4 moved",
			"shared 5 new 0 gone 0, download 0 layers",
			"history diverges at row 4: A 4, B -1, moved",
		},
		"attributes": {
			"layers 0:0 shared, 1:1 shared, 2:2 shared, 3:3 shared, 4:4 shared, -1:5 new",
			"shared 5 new 1 gone 0, download 1 layers",
			"history diverges at row 6: A -1, B 6, new",
			"modified /bin/ash +0 (link)",
			"modified /data/keep.txt +0 (owner)",
			"modified /etc/os-release -30 (type)",
			"added /usr/lib/os-release +30",
		},
		"all": {
			"layers 0:0 shared, 1:-1 gone, -1:1 new, 2:2 shared, 3:-1 moved, -1:3 new, 4:4 shared, -1:5 moved, -1:6 new, -1:7 new",
			"shared 4 new 4 gone 1, download 4 layers",
			"history diverges at row 1: A 1, B 1, rebuilt",
			"modified /app/config.txt +1 (content)",
			"modified /app/run.sh +0 (mode)",
			"removed /data/remove-me.txt -40",
			"added /usr/lib/tool +16114",
			"added /usr/lib/tool/bin +4096",
			"added /usr/lib/tool/bin/tool +4096",
			"added /usr/lib/tool/bin/tool-latest +0",
			"added /usr/lib/tool/lib +12000",
			"added /usr/lib/tool/lib/libtool.so.1 +12000",
			"added /usr/lib/tool/share +18",
			"added /usr/lib/tool/share/README +18",
		},
	}
	for _, p := range difftest.Pairs() {
		t.Run(p.Name, func(t *testing.T) {
			d := compare(t, p)
			got := summary(d)
			if !slices.Equal(got, want[p.Name]) {
				t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want[p.Name], "\n  "))
			}
			if d.Identical() != (p.Name == "identical") {
				t.Errorf("Identical() = %v", d.Identical())
			}
		})
	}
}

// The plain text of every pair, as `strata diff base.tar PAIR.tar | cat`
// prints it: testdata/diff/PAIR.txt.
func TestText(t *testing.T) {
	for _, p := range difftest.Pairs() {
		t.Run(p.Name, func(t *testing.T) {
			var b strings.Builder
			if err := compare(t, p).WriteText(&b, meta("base"), meta(p.Name)); err != nil {
				t.Fatal(err)
			}
			difftest.RequireGolden(t, p.Name+".txt", b.String())
		})
	}
}

// The JSON of every pair: testdata/diff/PAIR.json.
func TestReport(t *testing.T) {
	for _, p := range difftest.Pairs() {
		t.Run(p.Name, func(t *testing.T) {
			var b strings.Builder
			if err := diff.NewReport(compare(t, p), meta("base"), meta(p.Name)).Write(&b); err != nil {
				t.Fatal(err)
			}
			difftest.RequireGolden(t, p.Name+".json", b.String())
		})
	}
}

// An analysis compared with itself: nothing differs, every layer shared.
func TestSameResult(t *testing.T) {
	res := difftest.Analyze(t, difftest.Lookup(t, "all").B)
	d := diff.Compare(res, res)
	if !d.Identical() || d.Shared != len(res.Layers) || d.New != 0 || d.Gone != 0 || d.Download != (diff.Download{}) {
		t.Errorf("a result against itself: %+v", d)
	}
	for _, r := range d.Layers {
		if r.Status != diff.Shared || r.A != r.B {
			t.Errorf("row %+v", r)
		}
	}
	if d.Files.Counts[tree.Unmodified] != d.Files.Len()-1 {
		t.Errorf("counts %v of %d nodes", d.Files.Counts, d.Files.Len())
	}
}

func TestDirectoryBecomesAFile(t *testing.T) {
	a := difftest.Analyze(t, []imagetest.Step{{CreatedBy: "RUN a", Entries: []imagetest.Entry{
		imagetest.Dir("x/"), imagetest.Reg("x/one", "1"), imagetest.Dir("x/sub/"), imagetest.Reg("x/sub/two", "22"),
		imagetest.Symlink("lib", "usr/lib"),
	}}})
	b := difftest.Analyze(t, []imagetest.Step{{CreatedBy: "RUN b", Entries: []imagetest.Entry{
		imagetest.Reg("x", "now a file"),
		imagetest.Dir("lib/"), imagetest.Reg("lib/libc.so", "c"),
	}}})
	d := diff.Compare(a, b)
	want := []string{
		"layers 0:-1 gone, -1:0 new",
		"shared 0 new 1 gone 1, download 1 layers",
		"history diverges at row 0: A 0, B -1, gone",
		"modified /lib +1 (type)",
		"added /lib/libc.so +1",
		"modified /x +7 (type)",
		"removed /x/one -1",
		"removed /x/sub -2",
		"removed /x/sub/two -2",
	}
	if got := summary(d); !slices.Equal(got, want) {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	x, ok := d.Files.Lookup("/x")
	if !ok {
		t.Fatal("no /x")
	}
	if got := diff.Describe(d.Files.Node(x)); !slices.Equal(got, []string{"type directory → regular file"}) {
		t.Errorf("Describe(/x) = %q", got)
	}
	l, _ := d.Files.Lookup("/lib/")
	if got := diff.Describe(d.Files.Node(l)); !slices.Equal(got, []string{"type symlink to usr/lib → directory"}) {
		t.Errorf("Describe(/lib) = %q", got)
	}
	if _, ok := d.Files.Lookup("/x/nope"); ok {
		t.Error("Lookup found a path no image has")
	}
}

// A directory no tar listed has a guessed mode and owner, which are not
// compared with a listed one's.
func TestImpliedDirectories(t *testing.T) {
	a := difftest.Analyze(t, []imagetest.Step{{CreatedBy: "RUN a", Entries: []imagetest.Entry{imagetest.Reg("etc/conf", "x")}}})
	b := difftest.Analyze(t, []imagetest.Step{{CreatedBy: "RUN a", Entries: []imagetest.Entry{
		{Path: "etc/", Type: tar.TypeDir, Mode: 0o700, UID: 5}, imagetest.Reg("etc/conf", "x"),
	}}})
	d := diff.Compare(a, b)
	if d.Files.Changed() {
		t.Errorf("an implied directory differs from a listed one: %q", summary(d))
	}
}

func TestDescribeAll(t *testing.T) {
	n := &diff.Node{
		A:    diff.Version{Present: true, Type: tar.TypeReg, Mode: 0o644, UID: 0, GID: 0},
		B:    diff.Version{Present: true, Type: tar.TypeReg, Mode: fs.ModeSetuid | 0o755, UID: 1, GID: 2},
		What: diff.Content | diff.Mode | diff.Owner,
	}
	want := []string{"content", "mode -rw-r--r-- → -rwsr-xr-x", "owner 0:0 → 1:2"}
	if got := diff.Describe(n); !slices.Equal(got, want) {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	for m, want := range map[fs.FileMode]string{
		fs.ModeDir | fs.ModeSticky | 0o777: "drwxrwxrwt", fs.ModeSetgid | 0o644: "-rw-r-Sr--", fs.ModeSymlink | 0o777: "lrwxrwxrwx",
	} {
		if got := tree.FormatMode(m); got != want {
			t.Errorf("FormatMode(%o) = %s, want %s", m, got, want)
		}
	}
	for d, want := range map[int64]string{0: "0 B", 5: "+5 B", -1500: "-1.5 kB"} {
		if got := diff.FormatDelta(d); got != want {
			t.Errorf("FormatDelta(%d) = %s, want %s", d, got, want)
		}
	}
	if got := diff.Printable("a\nb\x1b"); got != `a\nb\x1b` {
		t.Errorf("Printable = %q", got)
	}
}
