package common

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// helpSep separates the entries of the help bar.
const helpSep = " • "

// shown lists the bindings worth showing, each once: enabled, with keys
// and help, and not the same help as one before.
func shown(bindings []key.Binding) []key.Binding {
	var out []key.Binding
	seen := map[string]bool{}
	for _, b := range bindings {
		h := b.Help()
		if !b.Enabled() || len(b.Keys()) == 0 || h.Key == "" {
			continue
		}
		if id := h.Key + "\x00" + h.Desc; !seen[id] {
			seen[id] = true
			out = append(out, b)
		}
	}
	return out
}

// HelpBar is the line under the panes: the keys of what has the focus,
// then the global ones, and message at the right. When the line is too
// narrow, the global keys give way from the last, then the pane's; the
// first global key (the one to the full help) and the last (quit) stay.
func HelpBar(st Styles, width int, pane, global []key.Binding, message string) string {
	item := func(b key.Binding) string {
		h := b.Help()
		return st.Key.Render(h.Key) + " " + st.Desc.Render(h.Desc)
	}
	var ps, gs []string
	seen := map[string]bool{}
	for _, b := range shown(pane) {
		ps = append(ps, item(b))
		seen[b.Help().Key+b.Help().Desc] = true
	}
	for _, b := range shown(global) {
		if !seen[b.Help().Key+b.Help().Desc] {
			gs = append(gs, item(b))
		}
	}
	room := width
	if message != "" {
		room -= ansi.StringWidth(message) + 2
	}
	sep := st.Desc.Render(helpSep)
	line := func() string { return strings.Join(append(append([]string(nil), ps...), gs...), sep) }
	for len(gs) > 2 && ansi.StringWidth(line()) > room {
		gs = append(gs[:len(gs)-2], gs[len(gs)-1]) // keep the last: quit
	}
	for len(ps) > 0 && ansi.StringWidth(line()) > room {
		ps = ps[:len(ps)-1]
	}
	out := Pad(line(), max(0, room))
	if message != "" {
		out += "  " + message
	}
	return Pad(out, width)
}

// HelpSection is a titled group of keys in the full help.
type HelpSection struct {
	Title    string
	Bindings []key.Binding
}

// FullHelp lists every key of every section in columns at most width
// wide, each binding once.
func FullHelp(st Styles, width int, sections []HelpSection) []string {
	var lines []string
	for _, s := range sections {
		bs := shown(s.Bindings)
		if len(bs) == 0 {
			continue
		}
		kw := 0
		for _, b := range bs {
			kw = max(kw, ansi.StringWidth(b.Help().Key))
		}
		entryW := kw + 2 + 22
		cols := max(1, (width+2)/(entryW+2))
		lines = append(lines, st.Label.Render(s.Title))
		for i := 0; i < len(bs); i += cols {
			var row []string
			for _, b := range bs[i:min(len(bs), i+cols)] {
				h := b.Help()
				row = append(row, Pad(st.Key.Render(Pad(h.Key, kw))+"  "+st.Desc.Render(h.Desc), entryW))
			}
			lines = append(lines, "  "+strings.TrimRight(strings.Join(row, "  "), " "))
		}
		lines = append(lines, "")
	}
	return lines
}

// SummaryLine is the line above the panes: what is shown (a title, the
// references of the images, each from an image or the user and escaped
// here, and the platform) then, after a bar, facts, already safe. The
// facts are kept whole as far as the width allows; the platform gives way
// first, then the title, then the start of each reference.
func SummaryLine(st Styles, width int, title, platform, facts string, refs ...string) string {
	room := width - ansi.StringWidth(facts) - 3
	line := func(withTitle, withPlatform bool, refW int) string {
		var p []string
		if withTitle {
			p = append(p, st.Label.Render(title))
		}
		var rs []string
		for _, r := range refs {
			rs = append(rs, TruncateLeft(r, refW))
		}
		p = append(p, strings.Join(rs, " → "))
		if withPlatform && platform != "" {
			p = append(p, Truncate(platform, 30))
		}
		return strings.Join(p, " · ")
	}
	left := line(true, true, 200)
	for _, try := range []string{line(true, false, 200), line(false, false, 200)} {
		if ansi.StringWidth(left) <= room {
			break
		}
		left = try
	}
	if ansi.StringWidth(left) > room {
		each := max(8, (room-3*(len(refs)-1))/max(1, len(refs)))
		left = line(false, false, each)
	}
	return Pad(left+" │ "+facts, width)
}
