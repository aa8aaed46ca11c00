package details

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

func newLayerPane(d layer, w, h int) LayerModel {
	m := NewLayer(common.DefaultStyles())
	m.SetSize(w, h)
	d.show(&m)
	m.Focus()
	return m
}

func TestLayerShowsEverything(t *testing.T) {
	m := newLayerPane(demoLayer(), 60, 30)
	got := panetest.Inner(m.View())
	panetest.RequireLines(t, got[:3],
		"Layer 2 · 3.5 MB · 412 entries · +300 ~10 -2",
		"apt-get update && apt-get install -y",
		"--no-install-recommends build-essential curl")
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

func TestLayerScrolls(t *testing.T) {
	m := newLayerPane(demoLayer(), 40, 8) // 6 lines of far more
	k := m.KeyMap()
	if got := panetest.Inner(m.View())[0]; !strings.HasPrefix(got, "Layer 2 · 3.5 MB") {
		t.Fatalf("first line %q", got)
	}
	m = panetest.Send(m, panetest.Keys(k.Down, k.Down)...)
	if m.Offset() != 2 {
		t.Errorf("after two lines down: offset %d", m.Offset())
	}
	m = panetest.Send(m, panetest.Key(k.Bottom))
	last := panetest.Inner(m.View())
	if got := last[len(last)-1]; !strings.HasPrefix(got, "Unmodified   100") {
		t.Errorf("end does not show the last line:\n%s", strings.Join(last, "\n"))
	}
	m = panetest.Send(m, panetest.Key(k.Down))
	if got := panetest.Inner(m.View()); strings.Join(got, "\n") != strings.Join(last, "\n") {
		t.Error("scrolled past the end")
	}
	m = panetest.Send(m, panetest.Keys(k.PageUp, k.Top, k.Up)...)
	if m.Offset() != 0 {
		t.Errorf("home: offset %d", m.Offset())
	}
	m = panetest.Send(m, panetest.Key(k.PageDown))
	if m.Offset() != 6 {
		t.Errorf("page down: offset %d, want 6", m.Offset())
	}
	m = panetest.Send(m, panetest.Key(k.Up), tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.Offset() != 8 {
		t.Errorf("wheel: offset %d, want 8", m.Offset())
	}
	// The same layer again keeps the position; another starts at the top.
	demoLayer().show(&m)
	if m.Offset() != 8 {
		t.Errorf("updating the layer moved to %d", m.Offset())
	}
	other := demoLayer()
	other.index = 3
	other.show(&m)
	if m.Offset() != 0 {
		t.Errorf("another layer starts at %d", m.Offset())
	}
	panetest.RequireSize(t, m.View(), 40, 8)
}

func TestLayerNotAnalyzedYetOrNever(t *testing.T) {
	m := newLayerPane(demoLayer().notAnalyzed(), 60, 30)
	got := panetest.Inner(m.View())
	for _, want := range []string{"Layer 2 · analyzing…", "Digest       …", "Media type   …", "Compressed   1.2 MB", "Uncompressed …", "Entries      …", "Added        …"} {
		if !panetest.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	m.SetStopped("the analysis stopped at layer 1: disk on fire")
	got = panetest.Inner(m.View())
	for _, want := range []string{"Layer 2 · not analyzed", "not analyzed: the analysis stopped at layer 1: disk on", "Digest       not analyzed", "Media type   not analyzed", "Entries      not analyzed"} {
		if !panetest.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func TestLayerKeysOnlyWhenFocused(t *testing.T) {
	m := newLayerPane(demoLayer(), 40, 8)
	m.Blur()
	m = panetest.Send(m, panetest.Key(m.KeyMap().Down))
	if m.Offset() != 0 {
		t.Errorf("a blurred pane scrolled to %d", m.Offset())
	}
}

func TestLayerSizes(t *testing.T) {
	for _, wh := range [][2]int{{60, 30}, {20, 5}, {14, 40}, {3, 3}, {1, 1}} {
		m := newLayerPane(demoLayer(), wh[0], wh[1])
		m = panetest.Send(m, panetest.End)
		panetest.RequireSize(t, m.View(), wh[0], wh[1])
	}
	if v := NewLayer(common.DefaultStyles()).View(); v != "" {
		t.Errorf("a pane with no size drew %q", v)
	}
}

func TestLayerGolden(t *testing.T) {
	t.Run("analyzed", func(t *testing.T) {
		panetest.RequireGolden(t, newLayerPane(demoLayer(), 50, 24).View())
	})
	t.Run("loading", func(t *testing.T) {
		d := demoLayer().notAnalyzed()
		d.step.CreatedBy = "COPY ./app /usr/local/bin/app # buildkit"
		m := newLayerPane(d, 50, 24)
		m.Blur()
		panetest.RequireGolden(t, m.View())
	})
	t.Run("empty", func(t *testing.T) {
		m := NewLayer(common.DefaultStyles())
		m.SetSize(30, 4)
		panetest.RequireGolden(t, m.View())
	})
}
