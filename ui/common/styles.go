package common

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/strata-dev/strata/analyze/tree"
)

// Theme names the colours of the interface.
type Theme struct {
	Added, Removed, Modified, Unmodified color.Color
	Border, FocusBorder, Title, Muted    color.Color
	Error, Accent                        color.Color
}

// themes are the colour sets a config file's theme key can name.
func themes() map[string]Theme {
	return map[string]Theme{
		"dark": {
			Added: lipgloss.Color("#5fd75f"), Removed: lipgloss.Color("#ff5f5f"),
			Modified: lipgloss.Color("#ffd75f"), Unmodified: lipgloss.Color("#d0d0d0"),
			Border: lipgloss.Color("#585858"), FocusBorder: lipgloss.Color("#87afff"),
			Title: lipgloss.Color("#87afff"), Muted: lipgloss.Color("#8a8a8a"),
			Error: lipgloss.Color("#ff5f5f"), Accent: lipgloss.Color("#af87ff"),
		},
		"light": {
			Added: lipgloss.Color("#008700"), Removed: lipgloss.Color("#d70000"),
			Modified: lipgloss.Color("#af8700"), Unmodified: lipgloss.Color("#303030"),
			Border: lipgloss.Color("#a8a8a8"), FocusBorder: lipgloss.Color("#005fd7"),
			Title: lipgloss.Color("#005fd7"), Muted: lipgloss.Color("#6c6c6c"),
			Error: lipgloss.Color("#d70000"), Accent: lipgloss.Color("#8700af"),
		},
		"dive": {
			Added: lipgloss.Color("2"), Removed: lipgloss.Color("1"),
			Modified: lipgloss.Color("3"), Unmodified: lipgloss.Color("7"),
			Border: lipgloss.Color("8"), FocusBorder: lipgloss.Color("6"),
			Title: lipgloss.Color("6"), Muted: lipgloss.Color("8"),
			Error: lipgloss.Color("1"), Accent: lipgloss.Color("5"),
		},
	}
}

// ThemeNames lists the themes there are.
func ThemeNames() []string {
	var names []string
	for n := range themes() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupTheme finds a theme by name.
func LookupTheme(name string) (Theme, error) {
	t, ok := themes()[name]
	if !ok {
		return Theme{}, fmt.Errorf("unknown theme %q; there are %s", name, strings.Join(ThemeNames(), ", "))
	}
	return t, nil
}

// Mode is how much of the terminal's styling the interface may use.
type Mode uint8

const (
	// Colour is the theme's colours with bold, underline and reverse video.
	Colour Mode = iota
	// NoColour (NO_COLOR) keeps bold, underline and reverse video, which
	// the terminal renderer still sends, but no colour.
	NoColour
	// Plain (TERM=dumb) is text alone: the renderer drops every style, so
	// the selection is marked with a ">" column and changes with +, ~, -.
	Plain
)

// DetectMode says what the environment allows: Plain when TERM is dumb,
// NoColour when NO_COLOR has any value, else Colour.
func DetectMode(getenv func(string) string) Mode {
	switch {
	case getenv("TERM") == "dumb":
		return Plain
	case getenv("NO_COLOR") != "":
		return NoColour
	}
	return Colour
}

// Styles are every style the panes draw with.
type Styles struct {
	Pane, FocusedPane lipgloss.Style
	Title             lipgloss.Style
	FocusedTitle      lipgloss.Style
	Selected          lipgloss.Style // the cursor row of a focused pane
	SelectedBlurred   lipgloss.Style // the cursor row of another pane
	Change            [4]lipgloss.Style
	Muted             lipgloss.Style
	Error             lipgloss.Style
	Key, Desc         lipgloss.Style
	Status            lipgloss.Style
	ProgressFull      lipgloss.Style
	ProgressEmpty     lipgloss.Style
	Label             lipgloss.Style
	Match             lipgloss.Style // a search match
	CurrentMatch      lipgloss.Style // the match the search is on
	// Color says that changes show by colour; without it the tree marks
	// them with +, ~ and -.
	Color bool
	// Markers says that the selection shows as a ">" column, for terminals
	// that draw no style at all.
	Markers bool
}

// NewStyles builds the styles of a theme for a mode.
func NewStyles(t Theme, mode Mode) Styles {
	s := Styles{Color: mode == Colour, Markers: mode == Plain}
	s.Pane = lipgloss.NewStyle().Border(lipgloss.RoundedBorder())
	s.FocusedPane = lipgloss.NewStyle().Border(lipgloss.ThickBorder())
	s.Title = lipgloss.NewStyle()
	s.FocusedTitle = lipgloss.NewStyle().Bold(true)
	s.Selected = lipgloss.NewStyle().Reverse(true)
	s.SelectedBlurred = lipgloss.NewStyle().Underline(true)
	s.Muted = lipgloss.NewStyle()
	s.Error = lipgloss.NewStyle().Bold(true)
	s.Key = lipgloss.NewStyle().Bold(true)
	s.Desc = lipgloss.NewStyle()
	s.Status = lipgloss.NewStyle()
	s.ProgressFull = lipgloss.NewStyle()
	s.ProgressEmpty = lipgloss.NewStyle()
	s.Label = lipgloss.NewStyle().Bold(true)
	s.Match = lipgloss.NewStyle().Underline(true)
	s.CurrentMatch = lipgloss.NewStyle().Reverse(true)
	for i := range s.Change {
		s.Change[i] = lipgloss.NewStyle()
	}
	if mode != Colour {
		return s
	}
	s.Pane = s.Pane.BorderForeground(t.Border)
	s.FocusedPane = s.FocusedPane.BorderForeground(t.FocusBorder)
	s.Title = s.Title.Foreground(t.Muted)
	s.FocusedTitle = s.FocusedTitle.Foreground(t.Title)
	s.Muted = s.Muted.Foreground(t.Muted)
	s.Error = s.Error.Foreground(t.Error)
	s.Key = s.Key.Foreground(t.Accent)
	s.Desc = s.Desc.Foreground(t.Muted)
	s.ProgressFull = s.ProgressFull.Foreground(t.Title)
	s.ProgressEmpty = s.ProgressEmpty.Foreground(t.Border)
	s.Label = s.Label.Foreground(t.Title)
	s.Match = s.Match.Foreground(t.Accent)
	s.CurrentMatch = s.CurrentMatch.Foreground(t.Accent)
	s.Change[tree.Added] = s.Change[tree.Added].Foreground(t.Added)
	s.Change[tree.Removed] = s.Change[tree.Removed].Foreground(t.Removed)
	s.Change[tree.Modified] = s.Change[tree.Modified].Foreground(t.Modified)
	s.Change[tree.Unmodified] = s.Change[tree.Unmodified].Foreground(t.Unmodified)
	return s
}

// DefaultStyles are the dark theme's, in colour.
func DefaultStyles() Styles {
	t, _ := LookupTheme("dark")
	return NewStyles(t, Colour)
}

// ChangeMark is the mark a change gets where colours do not show it:
// " ", "+", "~" or "-".
func ChangeMark(c tree.ChangeType) string { return [...]string{" ", "+", "~", "-"}[c&3] }

// Row draws a row of a list at exactly width cells: in style, and when it
// is the cursor row, in the selected style of a focused or blurred pane.
// With Markers, every row starts with a column that holds ">" on the
// cursor row.
func (s Styles) Row(text string, style lipgloss.Style, cursor, focused bool, width int) string {
	if s.Markers {
		mark := "  "
		if cursor {
			mark = "> "
		}
		return mark + style.Render(Pad(text, width-2))
	}
	text = Pad(text, width)
	switch {
	case cursor && focused:
		style = style.Inherit(s.Selected)
	case cursor:
		style = style.Inherit(s.SelectedBlurred)
	}
	return style.Render(text)
}
