package details

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

func newLayerPane(d Layer, w, h int) LayerModel {
	m := NewLayer(common.DefaultStyles())
	m.SetSize(w, h)
	m.SetLayer(d)
	m.Focus()
	return m
}

func TestLayerShowsEverything(t *testing.T) {
	m := newLayerPane(demoLayer(), 60, 30)
	got := panetest.Inner(m.View())
	for _, want := range []string{
		"Layer        2",
		"Digest       sha256:ababababababababababababababababababab",
		"             ababababababababababababab",
		"DiffID       sha256:cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
		"Media type   application/vnd.oci.image.layer.v1.tar+gzip",
		"Compressed   1.2 MB (1,234,567 bytes)",
		"Uncompressed 3.5 MB (3,456,789 bytes)",
		"Created      2024-03-01 12:30:00 UTC",
		"Entries      412",
		"Added        300",
		"Modified     10",
		"Removed      2",
		"Unmodified   100",
	} {
		if !panetest.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	panetest.RequireSize(t, m.View(), 60, 30)
}

func TestLongCommandWrapsInFull(t *testing.T) {
	m := newLayerPane(demoLayer(), 40, 40)
	got := panetest.Inner(m.View())
	var cmd []string
	for i, l := range got {
		if l == "Command" {
			cmd = got[i+1:]
			break
		}
	}
	text := strings.Join(strings.Fields(strings.Join(cmd, " ")), " ")
	if want := "apt-get update && apt-get install -y --no-install-recommends build-essential curl ca-certificates git && rm -rf /var/lib/apt/lists/*"; text != want {
		t.Errorf("command reads %q, want %q", text, want)
	}
	if len(cmd) < 4 || panetest.Contains(cmd, "…") {
		t.Errorf("command not wrapped in full:\n%s", strings.Join(cmd, "\n"))
	}
	// The digest wraps too rather than losing its end.
	if !panetest.Contains(got, strings.Repeat("ab", 4)) || panetest.Contains(got[:4], "…") {
		t.Errorf("digest cut:\n%s", strings.Join(got[:5], "\n"))
	}
}

func TestLayerScrolls(t *testing.T) {
	m := newLayerPane(demoLayer(), 40, 8) // 6 lines of far more
	if got := panetest.Inner(m.View())[0]; got != "Layer        2" {
		t.Fatalf("first line %q", got)
	}
	m, _ = m.Update(panetest.Down)
	m, _ = m.Update(panetest.J)
	if m.Offset() != 2 || !strings.HasPrefix(panetest.Inner(m.View())[0], "             bab") {
		t.Errorf("after two lines down: offset %d, first line %q", m.Offset(), panetest.Inner(m.View())[0])
	}
	m, _ = m.Update(panetest.End)
	last := panetest.Inner(m.View())
	if !strings.HasSuffix(last[len(last)-1], "/var/lib/apt/lists/*") {
		t.Errorf("end does not show the end of the command:\n%s", strings.Join(last, "\n"))
	}
	m, _ = m.Update(panetest.Down)
	if got := panetest.Inner(m.View()); strings.Join(got, "\n") != strings.Join(last, "\n") {
		t.Error("scrolled past the end")
	}
	m, _ = m.Update(panetest.PgUp)
	m, _ = m.Update(panetest.Home)
	m, _ = m.Update(panetest.K)
	if m.Offset() != 0 {
		t.Errorf("home: offset %d", m.Offset())
	}
	m, _ = m.Update(panetest.PgDown)
	if m.Offset() != 6 {
		t.Errorf("page down: offset %d, want 6", m.Offset())
	}
	m, _ = m.Update(panetest.Up)
	m, _ = m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	m, _ = m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.Offset() != 7 {
		t.Errorf("wheel: offset %d, want 7", m.Offset())
	}
	// The same layer again, now with other figures, keeps the position;
	// another layer starts at the top.
	m.SetLayer(demoLayer())
	if m.Offset() != 7 {
		t.Errorf("updating the layer moved to %d", m.Offset())
	}
	other := demoLayer()
	other.Index = 3
	m.SetLayer(other)
	if m.Offset() != 0 {
		t.Errorf("another layer starts at %d", m.Offset())
	}
	panetest.RequireSize(t, m.View(), 40, 8)
}

func TestLayerNotAnalyzedYet(t *testing.T) {
	d := demoLayer()
	d.Analyzed = false
	m := newLayerPane(d, 60, 30)
	got := panetest.Inner(m.View())
	for _, want := range []string{"Compressed   1.2 MB", "Uncompressed …", "Entries      …", "Added        …", "Unmodified   …"} {
		if !panetest.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func TestLayerKeysOnlyWhenFocused(t *testing.T) {
	m := newLayerPane(demoLayer(), 40, 8)
	m.Blur()
	m, _ = m.Update(panetest.J)
	if m.Offset() != 0 {
		t.Errorf("a blurred pane scrolled to %d", m.Offset())
	}
}

func TestLayerSizes(t *testing.T) {
	for _, wh := range [][2]int{{60, 30}, {20, 5}, {14, 40}, {3, 3}, {1, 1}} {
		m := newLayerPane(demoLayer(), wh[0], wh[1])
		m, _ = m.Update(panetest.End)
		panetest.RequireSize(t, m.View(), wh[0], wh[1])
	}
	if v := NewLayer(common.DefaultStyles()).View(); v != "" {
		t.Errorf("a pane with no size drew %q", v)
	}
}

func TestLayerGolden(t *testing.T) {
	t.Run("analyzed", func(t *testing.T) {
		m := newLayerPane(demoLayer(), 50, 24)
		panetest.RequireGolden(t, m.View())
	})
	t.Run("loading", func(t *testing.T) {
		d := demoLayer()
		d.Analyzed = false
		d.CreatedBy = "COPY ./app /usr/local/bin/app # buildkit"
		m := newLayerPane(d, 50, 24)
		m.Blur()
		panetest.RequireGolden(t, m.View())
	})
	t.Run("empty", func(t *testing.T) {
		m := NewLayer(common.DefaultStyles())
		m.SetSize(30, 4)
		panetest.RequireGolden(t, m.View())
	})
	t.Run("no-color", func(t *testing.T) {
		m := NewLayer(panetest.NoColor(t))
		m.SetSize(50, 24)
		m.SetLayer(demoLayer())
		panetest.RequireGolden(t, m.View())
	})
}
