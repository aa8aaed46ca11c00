package history

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// demoHistory is a Dockerfile's history as docker and buildkit write it:
// a base image with its CMD, then the image's own steps.
func demoHistory() []tree.HistoryEntry {
	return []tree.HistoryEntry{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:4a1c0bd5d1a9 in / ", Layer: 0},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`, EmptyLayer: true, Layer: 0},
		{CreatedBy: "ENV APP_HOME=/app", EmptyLayer: true, Layer: 0},
		{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit", Layer: 1},
		{CreatedBy: "WORKDIR /app", Layer: 2},
		{CreatedBy: "COPY ./app /app/bin/app # buildkit", Layer: 3},
		{CreatedBy: "EXPOSE map[8080/tcp:{}]", EmptyLayer: true, Layer: 3},
		{CreatedBy: `CMD ["/app/bin/app"]`, EmptyLayer: true, Layer: 3},
	}
}

func newPane(h []tree.HistoryEntry, w, ht int) Model {
	m := New(common.DefaultStyles())
	m.SetSize(w, ht)
	m.SetHistory(h)
	m.Focus()
	return m
}

func selected(t *testing.T, m Model) string {
	t.Helper()
	e, ok := m.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return tree.ShortCommand(e.CreatedBy)
}

func TestReadsLikeADockerfile(t *testing.T) {
	m := newPane(demoHistory(), 56, 10)
	want := []string{
		"  L0  ADD file:4a1c0bd5d1a9 in /",
		"   ·  CMD [\"bash\"]",
		"   ·  ENV APP_HOME=/app",
		"  L1  RUN apt-get update && apt-get install -y curl",
		"  L2  WORKDIR /app",
		"  L3  COPY ./app /app/bin/app",
		"   ·  EXPOSE map[8080/tcp:{}]",
		"   ·  CMD [\"/app/bin/app\"]",
	}
	if got := panetest.Inner(m.View()); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMovingTheCursor(t *testing.T) {
	m := newPane(demoHistory(), 60, 6) // 4 steps in view
	for _, step := range []struct {
		key  tea.Msg
		want string
	}{
		{panetest.Down, `CMD ["bash"]`}, {panetest.J, "ENV APP_HOME=/app"}, {panetest.Up, `CMD ["bash"]`},
		{panetest.End, `CMD ["/app/bin/app"]`}, {panetest.Home, "ADD file:4a1c0bd5d1a9 in /"},
		{panetest.PgDown, "WORKDIR /app"}, {panetest.PgDown, `CMD ["/app/bin/app"]`},
		{panetest.PgUp, "RUN apt-get update && apt-get install -y curl"},
		{tea.MouseClickMsg{X: 10, Y: 3, Button: tea.MouseLeft}, "COPY ./app /app/bin/app"},
		{tea.MouseClickMsg{X: 10, Y: 0, Button: tea.MouseLeft}, "COPY ./app /app/bin/app"}, // the border
		{tea.MouseWheelMsg{Button: tea.MouseWheelUp}, "WORKDIR /app"},
	} {
		m = panetest.Send(m, step.key)
		if got := selected(t, m); got != step.want {
			t.Fatalf("after %v on %q, want %q", step.key, got, step.want)
		}
		if !strings.Contains(strings.Join(panetest.Inner(m.View()), "\n"), step.want) {
			t.Fatalf("after %v the selected step is not in view:\n%s", step.key, strings.Join(panetest.Inner(m.View()), "\n"))
		}
	}
}

func TestFollowsTheSelectedLayer(t *testing.T) {
	m := newPane(demoHistory(), 50, 5) // 3 steps in view
	m.Blur()
	m.SetSelectedLayer(3)
	if got := selected(t, m); got != "COPY ./app /app/bin/app" {
		t.Errorf("cursor on %q, want the step that made layer 3", got)
	}
	want := []string{
		"▸ L3  COPY ./app /app/bin/app",
		"▸  ·  EXPOSE map[8080/tcp:{}]",
		"▸  ·  CMD [\"/app/bin/app\"]",
	}
	if got := panetest.Inner(m.View()); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("layer 3's steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m.SetSelectedLayer(0)
	if got := panetest.Inner(m.View()); !strings.HasPrefix(got[0], "▸ L0") || !strings.HasPrefix(got[2], "▸  ·  ENV") {
		t.Errorf("layer 0's steps:\n%s", strings.Join(got, "\n"))
	}
	// Focused, the pane marks the layer but leaves the cursor to the user.
	m.Focus()
	m = panetest.Send(m, panetest.J)
	m.SetSelectedLayer(2)
	if got := selected(t, m); got != `CMD ["bash"]` {
		t.Errorf("a focused pane moved its cursor to %q", got)
	}
	if got := panetest.Inner(m.View()); strings.Contains(strings.Join(got, "\n"), "▸") {
		t.Errorf("layer 2 is out of view but marked rows show:\n%s", strings.Join(got, "\n"))
	}
}

func TestKeysOnlyWhenFocused(t *testing.T) {
	m := newPane(demoHistory(), 50, 6)
	m.Blur()
	m = panetest.Send(m, panetest.J, panetest.End)
	if got := selected(t, m); got != "ADD file:4a1c0bd5d1a9 in /" {
		t.Errorf("a blurred pane moved to %q", got)
	}
}

func TestEmptyAndLongHistory(t *testing.T) {
	m := newPane(nil, 30, 4)
	if _, ok := m.Selected(); ok {
		t.Error("an empty history has a selection")
	}
	if got := panetest.Inner(m.View())[0]; got != "no history" {
		t.Errorf("empty: %q", got)
	}
	var long []tree.HistoryEntry
	for i := range 150 {
		long = append(long, tree.HistoryEntry{CreatedBy: fmt.Sprintf("RUN step %d", i), Layer: i})
	}
	m = newPane(long, 30, 6)
	m = panetest.Send(m, panetest.End)
	if got := panetest.Inner(m.View())[3]; got != "  L149  RUN step 149" {
		t.Errorf("last row %q", got)
	}
}

func TestSizes(t *testing.T) {
	for _, wh := range [][2]int{{50, 10}, {12, 3}, {3, 3}, {1, 1}} {
		m := newPane(demoHistory(), wh[0], wh[1])
		m = panetest.Send(m, panetest.End)
		panetest.RequireSize(t, m.View(), wh[0], wh[1])
	}
}

func TestNoColorKeepsTheSelection(t *testing.T) {
	m := New(panetest.NoColor(t))
	m.SetSize(50, 10)
	m.SetHistory(demoHistory())
	m.Focus()
	m = panetest.Send(m, panetest.J)
	panetest.RequireMonochromeSelection(t, m.View())
}

func TestGolden(t *testing.T) {
	t.Run("focused", func(t *testing.T) {
		m := newPane(demoHistory(), 50, 10)
		m.SetSelectedLayer(1)
		m = panetest.Send(m, panetest.J, panetest.J, panetest.J)
		panetest.RequireGolden(t, m.View())
	})
	t.Run("following", func(t *testing.T) {
		m := New(common.DefaultStyles())
		m.SetSize(40, 6)
		m.SetHistory(demoHistory())
		m.SetSelectedLayer(3)
		panetest.RequireGolden(t, m.View())
	})
}

// Moving in the pane selects the step's layer; an empty step's is the
// layer below it.
func TestTheStepSelectsItsLayer(t *testing.T) {
	m := newPane(demoHistory(), 56, 10)
	k := m.KeyMap()
	for _, step := range []struct {
		key   tea.KeyPressMsg
		layer int
	}{{panetest.Key(k.Down), 0}, {panetest.Key(k.Down), 0}, {panetest.Key(k.Down), 1}, {panetest.Key(k.Bottom), 3}, {panetest.Key(k.Top), 0}} {
		m = panetest.Send(m, step.key)
		if got := m.Layer(); got != step.layer {
			t.Errorf("after %s the layer is %d, want %d", step.key, got, step.layer)
		}
	}
}
