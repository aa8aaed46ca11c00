package app

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// codeImage builds an image from steps in code and opens it at w×h.
func codeImage(t *testing.T, steps []imagetest.Step, w, h int) Model {
	t.Helper()
	v1img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.FromV1(v1img)
	if err != nil {
		t.Fatal(err)
	}
	return load(t, newModel(t, img, "code", w, h))
}

// The value of a planted private key: it never reaches the screen.
const keyBody = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB"

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + keyBody + "\n-----END OPENSSH PRIVATE KEY-----\n"

// wastefulSteps leave 5000 bytes of apt lists and a private key under a
// whiteout: a deleted-later waste and a hidden secret.
func wastefulSteps() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
			imagetest.Reg("bin/sh", "sh"),
			imagetest.Reg("var/lib/apt/lists/main_Packages", strings.Repeat("p", 5000)),
			imagetest.Reg("root/.ssh/id_rsa", privateKey),
		}},
		{CreatedBy: "RUN rm -rf /var/lib/apt/lists/* /root/.ssh/id_rsa", Entries: []imagetest.Entry{
			imagetest.Whiteout("var/lib/apt/lists/main_Packages"),
			imagetest.Whiteout("root/.ssh/id_rsa"),
		}},
	}
}

// F opens the findings, largest first, with the selected one's fix and
// paths; enter on the waste shows the layer that deleted it with its
// first path selected in the tree, enter on the hidden secret the layer
// that holds it. The key's value is on no screen.
func TestFindingsOverlayJumpsToTheLayerAndPath(t *testing.T) {
	for _, size := range sizes {
		m := codeImage(t, wastefulSteps(), size[0], size[1])
		hasNot(t, m, "Findings ·")
		m = run(t, m, panetest.Key(keys.Findings.Open))
		want := map[int][]string{
			80: {
				"  Severity   Bytes  Finding            What",
				"> info      5.1 kB  deleted-later      files written in layer 0 and deleted i…",
				"  error      123 B  hidden-secret      private key in /root/.ssh/id_rsa, remo…",
				"  warning        -  runs-as-root       the image runs as root: it sets no USER",
				"  info           -  no-healthcheck     the image has no HEALTHCHECK",
			},
			200: {
				"  Severity   Bytes  Finding            What",
				"> info      5.1 kB  deleted-later      files written in layer 0 and deleted in layer 1",
				"  error      123 B  hidden-secret      private key in /root/.ssh/id_rsa, removed later but still in layer 0",
				"  warning        -  runs-as-root       the image runs as root: it sets no USER",
				"  info           -  no-healthcheck     the image has no HEALTHCHECK",
			},
		}[size[0]]
		if got := overlayRows(m)[:len(want)]; !slices.Equal(got, want) {
			t.Errorf("at %v the findings are\n%s\nwant\n%s", size, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		has(t, m, "Findings · 4 · largest first, uncompressed", "info · deleted-later · 5.1 kB uncompressed (5,123 bytes)",
			"Fix", "enter go to its layer and path")
		if size[1] >= 50 {
			has(t, m, "enter shows layer 1 and selects /var/lib/apt/lists/main_Packages", "   5.0 kB L0   /var/lib/apt/lists/main_Packages")
		}
		hasNot(t, m, keyBody)

		m = run(t, m, panetest.Key(keys.Findings.Jump))
		hasNot(t, m, "Findings ·")
		if got := selected(m, paneLayers); !strings.HasPrefix(got, "1 ") || !strings.Contains(got, "RUN rm -rf") {
			t.Errorf("at %v after the jump to the waste the layer row is %q", size, got)
		}
		if got := selected(m, paneFiles); !strings.HasSuffix(got, "main_Packages") {
			t.Errorf("at %v after the jump to the waste the tree's row is %q", size, got)
		}
		if m.panes.Focus != paneFiles {
			t.Errorf("at %v the focus is on pane %d", size, m.panes.Focus)
		}

		m = run(t, m, panetest.Key(keys.Findings.Open), panetest.Key(keys.Findings.Down), panetest.Key(keys.Findings.Jump))
		if got := selected(m, paneLayers); !strings.HasPrefix(got, "0 ") || !strings.Contains(got, "ADD rootfs") {
			t.Errorf("at %v after the jump to the secret the layer row is %q", size, got)
		}
		if got := selected(m, paneFiles); !strings.HasSuffix(got, "id_rsa") {
			t.Errorf("at %v after the jump to the secret the tree's row is %q", size, got)
		}
		hasNot(t, m, keyBody)
	}
}

// Before the last layer the overlay says the findings are to come; the
// overlay is modal: esc closes it, pane keys do nothing under it.
func TestFindingsOverlayCloses(t *testing.T) {
	v1img, err := imagetest.Image(wastefulSteps())
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.FromV1(v1img)
	if err != nil {
		t.Fatal(err)
	}
	early := run(t, newModel(t, img, "code", 80, 24), panetest.Key(keys.Findings.Open))
	has(t, early, "Findings · 0", "the findings come once every layer is analyzed")

	m := codeImage(t, wastefulSteps(), 80, 24)
	m = run(t, m, panetest.Key(keys.Findings.Open), panetest.Key(keys.Global.SwitchPane))
	if m.panes.Focus != paneLayers {
		t.Errorf("tab moved the focus under the overlay to %d", m.panes.Focus)
	}
	has(t, m, "Findings · 4")
	m = run(t, m, panetest.Key(keys.Findings.Close))
	hasNot(t, m, "Findings · 4")
	m = run(t, m, tea.WindowSizeMsg{Width: 200, Height: 50})
	has(t, m, "F findings", "P packages")
	m = run(t, m, panetest.Key(keys.Global.Help))
	has(t, m, "Findings (F; its keys come first: q closes it)", "Packages (P, in the file tree's place)")
}

// A click on a finding selects it; enter then goes to it.
func TestFindingsOverlayMouse(t *testing.T) {
	m := codeImage(t, wastefulSteps(), 80, 24)
	m = run(t, m, panetest.Key(keys.Findings.Open), tea.MouseClickMsg{X: 10, Y: 4, Button: tea.MouseLeft})
	if got := overlayRows(m)[2]; !strings.HasPrefix(got, "> error      123 B  hidden-secret") {
		t.Errorf("after the click the second row is %q", got)
	}
	m = run(t, m, panetest.Key(keys.Findings.Jump))
	if got := selected(m, paneFiles); !strings.HasSuffix(got, "id_rsa") {
		t.Errorf("the tree's row is %q", got)
	}
}

// overlayRows are the lines of the findings list inside its border,
// trimmed of spaces.
func overlayRows(m Model) []string {
	var out []string
	for _, l := range screen(m)[2:] {
		l = strings.TrimRight(ansi.Cut(l, 1, m.width-1), " ┃│")
		if strings.HasPrefix(l, "━") {
			break
		}
		out = append(out, l)
	}
	return out
}

// A filter that hides the finding's path is cleared by the jump, and the
// help bar says so.
func TestFindingsJumpClearsAHidingFilter(t *testing.T) {
	m := codeImage(t, wastefulSteps(), 200, 50)
	m = run(t, m, panetest.Key(keys.Global.Filter))
	m = run(t, m, panetest.Type("bin")...)
	m = run(t, m, panetest.Key(keys.Input.Apply))
	if got := names(m); !slices.Equal(got, []string{"bin", "sh"}) {
		t.Fatalf("the filter shows %q", got)
	}
	m = run(t, m, panetest.Key(keys.Findings.Open), panetest.Key(keys.Findings.Jump))
	if got := selected(m, paneFiles); !strings.HasSuffix(got, "main_Packages") {
		t.Errorf("the tree's row is %q", got)
	}
	has(t, m, "cleared the filter to show /var/lib/apt/lists/main_Packages")
	hasNot(t, m, "Filter: bin")
}
