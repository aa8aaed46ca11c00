package filetree

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// The owner column shows a package's name (made safe) beside its files
// when it fits, goes on ToggleOwners and comes back; a node filter shows
// the nodes given with their parents; SelectPath selects a path that is
// shown and says false for one the filter hides.
func TestOwnersAndNodeFilter(t *testing.T) {
	res := links(t)
	v := tree.NewView(res.Tree, res.Layers, 0, tree.CompareLayer)
	busybox, _ := res.Tree.Lookup("/bin/busybox")
	usr, _ := res.Tree.Lookup("/usr/sh")
	m := New(panetest.Styles(t, common.Plain))
	m.SetSize(120, 20)
	m.SetView(v)
	m.SetOwners(func(n tree.NodeID) string {
		if n == busybox {
			return "busy\x1bbox"
		}
		return ""
	})
	row := func(name string) string {
		for _, l := range panetest.Inner(m.View()) {
			if strings.HasSuffix(strings.TrimRight(l, " │"), " "+name) {
				return strings.TrimRight(l, " │")
			}
		}
		return ""
	}
	if got := row("busybox"); !strings.Contains(got, `busy\x1bbox`) || !m.OwnersShown() {
		t.Errorf("busybox's row is %q", got)
	}
	m.ToggleOwners()
	if got := row("busybox"); strings.Contains(got, `busy\x1bbox`) || m.OwnersShown() {
		t.Errorf("with the column off busybox's row is %q", got)
	}
	m.ToggleOwners()
	if !m.OwnersShown() {
		t.Error("the column did not come back")
	}

	m.FilterNodes("package busybox", []tree.NodeID{busybox})
	lines := panetest.Inner(m.View())
	var names []string
	for _, l := range lines[1:] {
		if f := strings.Fields(strings.TrimLeft(l, "> ")); len(f) > 0 && !strings.HasPrefix(l, "Filter:") {
			names = append(names, f[len(f)-1])
		}
	}
	if strings.Join(names, " ") != "bin busybox" || m.Cursor() != busybox {
		t.Errorf("the node filter shows %q, the cursor on %d", names, m.Cursor())
	}
	if !strings.Contains(strings.Join(lines, "\n"), "Filter: package busybox") {
		t.Errorf("the filter line does not name the package:\n%s", strings.Join(lines, "\n"))
	}
	if m.SelectPath("/usr/sh") {
		t.Error("SelectPath selected a path the filter hides")
	}
	if shown, present := m.Shows("/usr/sh"); shown || !present {
		t.Errorf("Shows(/usr/sh) = %v, %v", shown, present)
	}
	_ = m.SetFilter("")
	if !m.SelectPath("/usr/sh") || m.Cursor() != usr {
		t.Errorf("SelectPath(/usr/sh) left the cursor on %d", m.Cursor())
	}
}
