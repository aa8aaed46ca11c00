package common

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/image"
)

func plain(t *testing.T) Styles {
	t.Helper()
	th, err := LookupTheme("dark")
	if err != nil {
		t.Fatal(err)
	}
	return NewStyles(th, NoColour)
}

func TestFrameSize(t *testing.T) {
	for _, focused := range []bool{false, true} {
		out := Frame(DefaultStyles(), "Layers", focused, 20, 3, []string{"one", "a very long line that must be cut to fit", "three"})
		lines := strings.Split(ansi.Strip(out), "\n")
		if len(lines) != 5 {
			t.Fatalf("frame has %d lines, want 5:\n%s", len(lines), ansi.Strip(out))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != 22 {
				t.Errorf("line %d is %d cells wide, want 22: %q", i, w, l)
			}
		}
		if !strings.Contains(lines[0], " Layers ") || !strings.Contains(lines[2], "a very long line th…") {
			t.Errorf("frame:\n%s", ansi.Strip(out))
		}
	}
}

func TestScrollBar(t *testing.T) {
	for _, tc := range []struct {
		offset, height, total int
		want                  string
	}{
		{0, 4, 4, "    "},
		{0, 4, 8, "┃┃││"},
		{4, 4, 8, "││┃┃"},
		{1, 4, 8, "│┃┃│"}, // not at the top: the thumb leaves the first row
		{0, 4, 400, "┃│││"},
		{396, 4, 400, "│││┃"},
		{200, 4, 400, "│┃││"},
	} {
		if got := strings.Join(ScrollBar(tc.offset, tc.height, tc.total), ""); got != tc.want {
			t.Errorf("ScrollBar(%d, %d, %d) = %q, want %q", tc.offset, tc.height, tc.total, got, tc.want)
		}
	}
}

func TestTooSmallIsCentered(t *testing.T) {
	lines := strings.Split(TooSmall(60, 15, 60, 17), "\n")
	if len(lines) != 15 {
		t.Fatalf("%d lines", len(lines))
	}
	want := "terminal too small: need 60×17, have 60×15"
	if got := strings.TrimSpace(lines[7]); got != want {
		t.Errorf("line 7 is %q, want %q", got, want)
	}
	if pad := len(lines[7]) - len(strings.TrimLeft(lines[7], " ")); pad != (60-ansi.StringWidth(want))/2 {
		t.Errorf("not centered: %q", lines[7])
	}
}

func TestSplitGivesTheFirstPanesWhatTheyNeed(t *testing.T) {
	wants := []Want{{6, 12}, {3, 20}, {3, 15}, {3, 10}}
	for _, tc := range []struct {
		total int
		first []int
		want  []int
	}{
		{22, []int{0}, []int{12, 4, 3, 3}},    // the layers first, then a share each
		{22, []int{2, 0}, []int{6, 3, 10, 3}}, // a focused pane comes before the layers
		{15, []int{0}, []int{6, 3, 3, 3}},     // the minimum
		{80, []int{0}, []int{12, 20, 15, 33}}, // all they want, the rest to the last
		{40, []int{0}, []int{12, 13, 9, 6}},   // shared in proportion to what they want
	} {
		if got := Split(tc.total, wants, tc.first...); !slices.Equal(got, tc.want) {
			t.Errorf("Split(%d, first %v) = %v, want %v", tc.total, tc.first, got, tc.want)
		}
	}
}

func TestHelpBarShowsTheFocusedKeysEachOnce(t *testing.T) {
	st := plain(t)
	g := DefaultGlobalKeys()
	nav := DefaultNavKeys()
	pane := []key.Binding{UpDown(nav.Up, nav.Down, "move"), Bind("compare", "ctrl+l"), g.Help}
	bar := ansi.Strip(HelpBar(st, 200, pane, []key.Binding{g.Help, g.SwitchPane, g.Filter, g.Quit}, ""))
	if got, want := strings.TrimRight(bar, " "), "↑↓ move • ctrl+l compare • ? keys • tab layers ↔ files • ctrl+f, / filter • q/ctrl+c quit"; got != want {
		t.Errorf("help bar:\n%q\nwant\n%q", got, want)
	}
	// Narrow: the global keys give way, but the full help's and quit.
	bar = ansi.Strip(HelpBar(st, 50, pane[:2], []key.Binding{g.Help, g.SwitchPane, g.Filter, g.Quit}, ""))
	if got, want := strings.TrimRight(bar, " "), "↑↓ move • ctrl+l compare • ? keys • q/ctrl+c quit"; got != want {
		t.Errorf("narrow help bar:\n%q\nwant\n%q", got, want)
	}
	// A message takes the right.
	bar = ansi.Strip(HelpBar(st, 60, pane[:1], []key.Binding{g.Quit}, "copied the path /etc"))
	if !strings.HasPrefix(bar, "↑↓ move • q/ctrl+c quit") || !strings.HasSuffix(bar, "copied the path /etc") || ansi.StringWidth(bar) != 60 {
		t.Errorf("help bar with a message: %q", bar)
	}
}

func TestFullHelpListsEveryBindingOnce(t *testing.T) {
	g := DefaultGlobalKeys()
	lines := FullHelp(plain(t), 100, []HelpSection{{Title: "Everywhere", Bindings: []key.Binding{g.Help, g.Quit, g.Quit, g.Suspend}}})
	text := ansi.Strip(strings.Join(lines, "\n"))
	if strings.Count(text, "quit") != 1 || !strings.Contains(text, "q/ctrl+c") || !strings.Contains(text, "ctrl+z") {
		t.Errorf("full help:\n%s", text)
	}
}

func TestKeysOfModalPlaces(t *testing.T) {
	g := DefaultGlobalKeys()
	quit := Without(g.Quit, Bind("close", "esc", "q"))
	if h := quit.Help(); h.Key != "ctrl+c" || !quit.Enabled() {
		t.Errorf("quit where q closes: %+v", h)
	}
	if Without(Bind("x", "q"), Bind("close", "q")).Enabled() {
		t.Error("a binding with every key taken is still enabled")
	}
	typing := NotText(g.SwitchPane, g.Help, g.Quit)
	if len(typing) != 2 || typing[0].Help().Key != "tab" || typing[1].Help().Key != "ctrl+c" {
		t.Errorf("keys left while typing: %v", typing)
	}
	if l := KeyLabel([]string{"up", "k", "pgdown"}); l != "↑/k/pgdn" {
		t.Errorf("KeyLabel = %q", l)
	}
}

func TestPanesKeys(t *testing.T) {
	g := DefaultGlobalKeys()
	p := Panes{Focus: 0, Count: 5, Home: 0, Tree: 4}
	press := func(k string) tea.KeyPressMsg {
		switch k {
		case "tab":
			return tea.KeyPressMsg{Code: tea.KeyTab}
		case "shift+tab":
			return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
		}
		return tea.KeyPressMsg{Code: rune(k[0]), Text: k}
	}
	for _, step := range []struct {
		key  string
		want int
	}{{"tab", 4}, {"tab", 0}, {"shift+tab", 1}, {"3", 2}, {"tab", 4}, {"shift+tab", 0}, {"5", 4}} {
		if !p.Key(press(step.key), g) || p.Focus != step.want {
			t.Fatalf("after %s the focus is on %d, want %d", step.key, p.Focus, step.want)
		}
	}
	if p.Key(press("x"), g) {
		t.Error("x moved the focus")
	}
	two := Panes{Count: 4, Tree: 3}
	if two.Key(press("5"), g) {
		t.Error("5 moved the focus among 4 panes")
	}
}

func TestProgressCountsOneThing(t *testing.T) {
	layers := []image.Layer{{Size: 100}, {Size: 300}, {Size: 600}}
	for _, tc := range []struct {
		stacked int
		read    int64
		want    float64
	}{
		{0, 0, 0},
		{0, 50, 0.05},
		{0, 1000, 0.1}, // read ahead: capped at the first layer
		{1, 1000, 0.4}, // the second one read, not stacked
		{2, 700, 0.7},  // the last layer being read
		{2, 1000, 1},   // all read
		{3, 1000, 1},
	} {
		if got := Progress(layers, tc.stacked, tc.read); got != tc.want {
			t.Errorf("Progress(stacked %d, read %d) = %v, want %v", tc.stacked, tc.read, got, tc.want)
		}
	}
	unknown := []image.Layer{{Size: -1}, {Size: 10}}
	if got := Progress(unknown, 1, 5); got != 0.5 {
		t.Errorf("Progress without sizes = %v, want the layers stacked", got)
	}
}

func TestListPaneKeepsTheCursorInView(t *testing.T) {
	p := ListPane{Styles: plain(t), Keys: DefaultNavKeys(), Header: true}
	p.SetSize(20, 7, 0, 40) // 4 rows under the header
	p.Focus()
	for _, step := range []struct {
		msg            tea.KeyPressMsg
		cursor, offset int
	}{
		{tea.KeyPressMsg{Code: tea.KeyDown}, 1, 0},
		{tea.KeyPressMsg{Code: tea.KeyPgDown}, 5, 2},
		{tea.KeyPressMsg{Code: tea.KeyEnd}, 39, 36},
		{tea.KeyPressMsg{Code: tea.KeyHome}, 0, 0},
	} {
		p.Update(step.msg, 40)
		if p.List.Cursor != step.cursor || p.List.Offset != step.offset {
			t.Fatalf("after %s: %+v", step.msg, p.List)
		}
	}
	view := p.View("T", "head", "none", 40, func(i, w int) (string, lipgloss.Style) { return strconv.Itoa(i), lipgloss.NewStyle() }, nil)
	lines := strings.Split(ansi.Strip(view), "\n")
	if len(lines) != 7 || !strings.HasSuffix(lines[2], "┃┃") || !strings.HasPrefix(lines[2], "┃0") || !strings.HasSuffix(lines[3], "│┃") {
		t.Errorf("list:\n%s", strings.Join(lines, "\n"))
	}
}

// A root's view is its screen on the alternate screen with the mouse on;
// a panic while drawing becomes one line saying how to quit.
func TestScreenView(t *testing.T) {
	v := ScreenView("strata demo.tar", func() string { return "the screen" })
	if v.Content != "the screen" || !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion || v.WindowTitle != "strata demo.tar" {
		t.Errorf("view %+v", v)
	}
	v = ScreenView("strata demo.tar", func() string { panic("boom") })
	if want := "internal error while drawing: boom (press ctrl+c to quit)"; v.Content != want {
		t.Errorf("a panic while drawing shows %q, want %q", v.Content, want)
	}
}
