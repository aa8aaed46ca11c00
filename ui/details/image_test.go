package details

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/ui/common"
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
	got := inner(m.View())
	want := []string{
		"Reference    strata-demo:latest",
		"Source       docker-archive",
		"Platform     linux/amd64",
		"Total size   80 MB",
		"User size    72 MB",
		"Efficiency   93.45 %",
		"Wasted       6.0 MB",
		"User wasted  8.33 %",
		"Reclaimable  5.5 MB",
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
	m := newImagePane(common.DefaultStyles(), demoImage(), 50, 14) // 2 table rows in view
	table := func() []string { return inner(m.View())[10:] }
	if p := selectedPath(t, m); !strings.HasPrefix(p, "/var/lib/apt") {
		t.Fatalf("starts on %s", p)
	}
	for _, step := range []struct {
		key  tea.KeyPressMsg
		want string
	}{
		{down, "/usr/local/bin/app"}, {j, "/etc/ssl/certs/ca-certificates.crt"}, {end, "/etc/group"},
		{k, "/etc/passwd"}, {pgUp, "/usr/local/bin/app"}, {home, "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"},
		{pgDn, "/etc/ssl/certs/ca-certificates.crt"}, {up, "/usr/local/bin/app"},
	} {
		m, _ = m.Update(step.key)
		if got := selectedPath(t, m); got != step.want {
			t.Fatalf("after %s on %s, want %s", step.key, got, step.want)
		}
		if !contains(table(), step.want[len(step.want)-10:]) {
			t.Fatalf("after %s the selected file is not in view:\n%s", step.key, strings.Join(table(), "\n"))
		}
	}
	// The figures stay at the top while the table scrolls.
	if got := inner(m.View())[0]; got != "Reference    strata-demo:latest" {
		t.Errorf("first line %q", got)
	}
	requireSize(t, m.View(), 50, 14)
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
	d.Metrics = analyze.Metrics{}
	m := newImagePane(common.DefaultStyles(), d, 50, 16)
	got := inner(m.View())
	for _, want := range []string{"Reference    strata-demo:latest", "Efficiency   …", "Wasted       …", "analyzing… 2/4 layers"} {
		if !contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if _, ok := m.Selected(); ok {
		t.Error("a file is selected while analyzing")
	}
	m, _ = m.Update(j) // nothing to move
	m.SetImage(demoImage())
	if contains(inner(m.View()), "analyzing") || !contains(inner(m.View()), "Efficiency   93.45 %") {
		t.Errorf("complete:\n%s", strings.Join(inner(m.View()), "\n"))
	}
}

func TestImageNoColorKeepsTheCursor(t *testing.T) {
	m := newImagePane(noColor(t), demoImage(), 50, 16)
	m, _ = m.Update(j)
	v := m.View()
	if !strings.Contains(v, "\x1b[7m") {
		t.Errorf("no reverse video on the cursor row without colour:\n%q", v)
	}
	if strings.Contains(v, "\x1b[38") {
		t.Errorf("a foreground colour without colour:\n%q", v)
	}
	m.Blur()
	if strings.Contains(m.View(), "\x1b[7m") {
		t.Error("a blurred pane highlights its cursor row")
	}
}

func TestImageSizes(t *testing.T) {
	for _, wh := range [][2]int{{70, 20}, {30, 8}, {20, 3}, {3, 3}, {1, 1}} {
		m := newImagePane(common.DefaultStyles(), demoImage(), wh[0], wh[1])
		m, _ = m.Update(end)
		requireSize(t, m.View(), wh[0], wh[1])
	}
}

func TestImageGolden(t *testing.T) {
	t.Run("complete", func(t *testing.T) {
		m := newImagePane(common.DefaultStyles(), demoImage(), 60, 16)
		m, _ = m.Update(j)
		golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
	})
	t.Run("scrolled", func(t *testing.T) {
		m := newImagePane(common.DefaultStyles(), demoImage(), 50, 14)
		m, _ = m.Update(end)
		golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
	})
	t.Run("analyzing", func(t *testing.T) {
		d := demoImage()
		d.Analyzed, d.Metrics = 1, analyze.Metrics{}
		m := newImagePane(common.DefaultStyles(), d, 50, 14)
		m.Blur()
		golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
	})
	t.Run("loading", func(t *testing.T) {
		m := NewImage(noColor(t))
		m.SetSize(30, 5)
		golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
	})
}
