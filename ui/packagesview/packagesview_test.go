package packagesview_test

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
	"github.com/strata-dev/strata/ui/packagesview"
)

func lines(m packagesview.Model) []string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		out = append(out, strings.TrimRight(strings.Trim(l, "┃│"), " "))
	}
	return out
}

// The changes come first, then the present packages, each part by name
// or, after the sort key, by size; names from the image are made safe;
// enter asks for the files of a package that has some, esc to close.
func TestPackagesViewSortsAndActs(t *testing.T) {
	k := packagesview.DefaultKeyMap()
	m := packagesview.New(panetest.Styles(t, common.Plain))
	m.SetSize(60, 12)
	m.Focus()
	m.SetPackages(3, []packagesview.Package{
		{Change: packages.Removed, Ecosystem: packages.Deb, Name: "b\x1b[2Jad", Version: "1", Size: 10, Files: 1},
		{Change: packages.Added, Ecosystem: packages.Deb, Name: "curl", Version: "8.5", Size: 900, Files: 3, Nodes: []tree.NodeID{4, 5, 6}},
	}, []packagesview.Package{
		{Ecosystem: packages.Deb, Name: "bash", Version: "5.2", Size: 100, Files: 1, Nodes: []tree.NodeID{2}},
		{Ecosystem: packages.Deb, Name: "curl", Version: "8.5", Size: 900, Files: 3, Nodes: []tree.NodeID{4, 5, 6}},
	})
	got := lines(m)
	want := []string{
		"  Change        Size  Files  Package",
		"> removed       10 B      1  b\\x1b[2Jad 1",
		"  added        900 B      3  curl 8.5",
		"  ·            100 B      1  bash 5.2",
		"  ·            900 B      3  curl 8.5",
	}
	if strings.Join(got[1:6], "\n") != strings.Join(want, "\n") {
		t.Errorf("by name:\n%s\nwant\n%s", strings.Join(got[1:6], "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(got[0], "Packages · layer 3 · by name") || !strings.Contains(got[len(got)-2], "2 changed, 2 present · deb: removed here, no files") {
		t.Errorf("title or footer:\n%s", strings.Join(got, "\n"))
	}
	if act := asked(m, panetest.Key(k.Files)); act != packagesview.Stay {
		t.Errorf("enter on a removed package asks %v", act)
	}
	m, _ = m.Update(panetest.Key(k.Sort))
	got = lines(m)
	want = []string{
		"> added        900 B      3  curl 8.5",
		"  removed       10 B      1  b\\x1b[2Jad 1",
		"  ·            900 B      3  curl 8.5",
		"  ·            100 B      1  bash 5.2",
	}
	if strings.Join(got[2:6], "\n") != strings.Join(want, "\n") {
		t.Errorf("by size:\n%s\nwant\n%s", strings.Join(got[2:6], "\n"), strings.Join(want, "\n"))
	}
	if act := asked(m, panetest.Key(k.Files)); act != packagesview.Files {
		t.Errorf("enter on curl asks %v", act)
	}
	if p, _ := m.Selected(); p.Name != "curl" || len(p.Nodes) != 3 {
		t.Errorf("the selected package is %+v", p)
	}
	if act := asked(m, panetest.Key(k.Close)); act != packagesview.Close {
		t.Errorf("esc asks %v", act)
	}
	if strings.Contains(m.View(), "\x1b[2J") {
		t.Error("a name's escape reached the screen")
	}
}

// asked is what a key asks of the view's parent.
func asked(m packagesview.Model, msg tea.Msg) packagesview.Action {
	next, _ := m.Update(msg)
	return next.Asked()
}
