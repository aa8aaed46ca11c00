package findingsview_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/findingsview"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// Target goes to the last step's layer for waste (the step that ended
// the files), to the first step's for the rest, to the layer below an
// empty step, to the first path's layer without steps, and nowhere for a
// finding about the configuration.
func TestTarget(t *testing.T) {
	history := []tree.HistoryEntry{{Layer: 0}, {Layer: 0, EmptyLayer: true}, {Layer: 1}}
	paths := []findings.Path{{Path: "/a", Layer: 2}, {Path: "/b", Layer: 0}}
	for _, c := range []struct {
		f     findings.Finding
		layer int
		path  string
		ok    bool
	}{
		{findings.Finding{ID: findings.DeletedLater, Steps: []findings.Step{{Layer: 0}, {Layer: 1}}, Paths: paths}, 1, "/a", true},
		{findings.Finding{ID: findings.HiddenSecret, Steps: []findings.Step{{Layer: 0}, {Layer: 1}}, Paths: paths}, 0, "/a", true},
		{findings.Finding{ID: findings.SecretInConfig, Steps: []findings.Step{{Layer: -1, History: 1}}}, 0, "", true},
		{findings.Finding{ID: findings.SetuidAdded, Paths: paths}, 2, "/a", true},
		{findings.Finding{ID: findings.RunsAsRoot}, -1, "", false},
	} {
		layer, path, ok := findingsview.Target(c.f, history)
		if layer != c.layer || path != c.path || ok != c.ok {
			t.Errorf("Target(%s) = %d, %q, %v; want %d, %q, %v", c.f.ID, layer, path, ok, c.layer, c.path, c.ok)
		}
	}
}

// The overlay lists the findings with titles made safe, moves with its
// keys, and asks for the jump on enter and to close on esc.
func TestOverlayKeysAndSafeText(t *testing.T) {
	k := findingsview.DefaultKeyMap()
	m := findingsview.New(panetest.Styles(t, common.Plain))
	m.SetSize(100, 24)
	if s := ansi.Strip(m.View()); !strings.Contains(s, "the findings come once every layer is analyzed") {
		t.Errorf("before the findings the overlay shows:\n%s", s)
	}
	m.SetFindings([]findings.Finding{
		{ID: findings.DeletedLater, Severity: findings.Info, Title: "files deleted \x1b[31mlater", Bytes: 2048,
			Steps: []findings.Step{{Layer: 0}, {Layer: 1}}, Paths: []findings.Path{{Path: "/x", Layer: 0, Size: 2048}}, PathCount: 1,
			Fix: "Remove them in the same step."},
		{ID: findings.RunsAsRoot, Severity: findings.Warning, Title: "the image runs as root"},
	}, nil)
	s := ansi.Strip(m.View())
	for _, want := range []string{
		"> info      2.0 kB  deleted-later      files deleted \\x1b[31mlater",
		"  warning        -  runs-as-root       the image runs as root",
		"Remove them in the same step.", "enter shows layer 1 and selects /x",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the overlay lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(m.View(), "\x1b[31mlater") {
		t.Error("a title's escape reached the screen")
	}
	m, _ = m.Update(panetest.Key(k.Down))
	act := m.Asked()
	if f, _ := m.Selected(); f.ID != findings.RunsAsRoot || act != findingsview.Stay {
		t.Errorf("down selects %s, %v", f.ID, act)
	}
	if s := ansi.Strip(m.View()); !strings.Contains(s, "about the image's configuration: no layer to show") {
		t.Errorf("runs-as-root's details:\n%s", s)
	}
	if next, _ := m.Update(panetest.Key(k.Jump)); next.Asked() != findingsview.Jump {
		t.Errorf("enter asks %v", next.Asked())
	}
	if next, _ := m.Update(panetest.Key(k.Close)); next.Asked() != findingsview.Close {
		t.Errorf("esc asks %v", next.Asked())
	}
}
