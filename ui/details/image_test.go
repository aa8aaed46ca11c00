package details

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

func newImagePane(st common.Styles, d Image, w, h int) ImageModel {
	m := NewImage(st)
	m.SetSize(w, h)
	m.SetImage(d)
	m.Focus()
	return m
}

func selectedPath(t *testing.T, m ImageModel) string {
	t.Helper()
	f, ok := m.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return f.Path
}

func TestImageShowsTheFigures(t *testing.T) {
	m := newImagePane(common.DefaultStyles(), demoImage(), 70, 20)
	got := panetest.Inner(m.View())
	want := []string{
		"Efficiency   93.45 %",
		"Total size   80 MB",
		"Wasted       6.0 MB",
		"Reclaimable  5.5 MB",
		"User size    72 MB",
		"User wasted  8.33 %",
		"Reference    strata-demo:latest",
		"Source       docker-archive",
		"Platform     linux/amd64",
		"Count  Total Space  Path",
		"    2       4.0 MB  …n_dists_bookworm_main_binary-amd64_Packages.lz4",
		"    3       1.5 MB  /usr/local/bin/app",
		"    2       400 kB  /etc/ssl/certs/ca-certificates.crt",
		"    2       2.0 kB  /etc/passwd",
		"    2       1.0 kB  /etc/group",
	}
	if strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestImageTableScrolls(t *testing.T) {
	m := newImagePane(common.DefaultStyles(), demoImage(), 50, 15) // 3 table rows in view
	table := func() []string { return panetest.Inner(m.View())[10:] }
	if p := selectedPath(t, m); !strings.HasPrefix(p, "/var/lib/apt") {
		t.Fatalf("starts on %s", p)
	}
	for _, step := range []struct {
		key  tea.KeyPressMsg
		want string
	}{
		{panetest.Down, "/usr/local/bin/app"}, {panetest.J, "/etc/ssl/certs/ca-certificates.crt"}, {panetest.End, "/etc/group"},
		{panetest.K, "/etc/passwd"}, {panetest.PgUp, "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"},
		{panetest.Down, "/usr/local/bin/app"}, {panetest.Home, "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"},
		{panetest.PgDown, "/etc/passwd"}, {panetest.Up, "/etc/ssl/certs/ca-certificates.crt"},
	} {
		m, _ = m.Update(step.key)
		if got := selectedPath(t, m); got != step.want {
			t.Fatalf("after %s on %s, want %s", step.key, got, step.want)
		}
		if !panetest.Contains(table(), step.want[len(step.want)-9:]) {
			t.Fatalf("after %s the selected file is not in view:\n%s", step.key, strings.Join(table(), "\n"))
		}
	}
	// The figures stay at the top while the table scrolls.
	if got := panetest.Inner(m.View())[0]; got != "Efficiency   93.45 %" {
		t.Errorf("first line %q", got)
	}
	panetest.RequireSize(t, m.View(), 50, 15)
}

func TestImageMouse(t *testing.T) {
	m := newImagePane(common.DefaultStyles(), demoImage(), 50, 16) // rows 0..3 in view at y 11..14
	m, _ = m.Update(tea.MouseClickMsg{X: 10, Y: 13, Button: tea.MouseLeft})
	if got := selectedPath(t, m); got != "/etc/ssl/certs/ca-certificates.crt" {
		t.Errorf("click selected %s", got)
	}
	m, _ = m.Update(tea.MouseClickMsg{X: 10, Y: 3, Button: tea.MouseLeft}) // a figure
	if got := selectedPath(t, m); got != "/etc/ssl/certs/ca-certificates.crt" {
		t.Errorf("click on the figures selected %s", got)
	}
	m, _ = m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if got := selectedPath(t, m); got != "/etc/passwd" {
		t.Errorf("wheel selected %s", got)
	}
}

func TestImageWhileAnalyzing(t *testing.T) {
	d := demoImage()
	d.Analyzed = 2
	d.Metrics = metrics.Metrics{}
	m := newImagePane(common.DefaultStyles(), d, 50, 16)
	got := panetest.Inner(m.View())
	for _, want := range []string{"Reference    strata-demo:latest", "Efficiency   …", "Wasted       …", "analyzing… 2/4 layers"} {
		if !panetest.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if _, ok := m.Selected(); ok {
		t.Error("a file is selected while analyzing")
	}
	m, _ = m.Update(panetest.J) // nothing to move
	m.SetImage(demoImage())
	if panetest.Contains(panetest.Inner(m.View()), "analyzing") || !panetest.Contains(panetest.Inner(m.View()), "Efficiency   93.45 %") {
		t.Errorf("complete:\n%s", strings.Join(panetest.Inner(m.View()), "\n"))
	}
}

func TestImageNoColorKeepsTheCursor(t *testing.T) {
	m := newImagePane(panetest.NoColor(t), demoImage(), 50, 16)
	m, _ = m.Update(panetest.J)
	panetest.RequireMonochromeSelection(t, m.View())
	m.Blur()
	if strings.Contains(m.View(), "\x1b[7m") {
		t.Error("a blurred pane highlights its cursor row")
	}
}

func TestImageSizes(t *testing.T) {
	for _, wh := range [][2]int{{70, 20}, {30, 8}, {20, 3}, {3, 3}, {1, 1}} {
		m := newImagePane(common.DefaultStyles(), demoImage(), wh[0], wh[1])
		m, _ = m.Update(panetest.End)
		panetest.RequireSize(t, m.View(), wh[0], wh[1])
	}
}

func TestImageGolden(t *testing.T) {
	t.Run("complete", func(t *testing.T) {
		m := newImagePane(common.DefaultStyles(), demoImage(), 60, 16)
		m, _ = m.Update(panetest.J)
		panetest.RequireGolden(t, m.View())
	})
	t.Run("scrolled", func(t *testing.T) {
		m := newImagePane(common.DefaultStyles(), demoImage(), 50, 14)
		m, _ = m.Update(panetest.End)
		panetest.RequireGolden(t, m.View())
	})
	t.Run("analyzing", func(t *testing.T) {
		d := demoImage()
		d.Analyzed, d.Metrics = 1, metrics.Metrics{}
		m := newImagePane(common.DefaultStyles(), d, 50, 14)
		m.Blur()
		panetest.RequireGolden(t, m.View())
	})
	t.Run("loading", func(t *testing.T) {
		m := NewImage(panetest.NoColor(t))
		m.SetSize(30, 5)
		panetest.RequireGolden(t, m.View())
	})
}
