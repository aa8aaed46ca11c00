package viewer

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze/layerfile"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// numbered is a text file of n lines, "line 1" to "line n".
func numbered(n int) []byte {
	var b bytes.Buffer
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.Bytes()
}

func pane(c layerfile.Content, w, h int) Model {
	m := New(common.DefaultStyles())
	m.SetSize(w, h)
	m.SetLoading(c.Path, "")
	m, _ = m.Update(FileContentMsg{Content: c, Layer: 3})
	return m
}

// body is the screen inside the border, right-trimmed of spaces and the
// scroll bar.
func body(m Model) []string { return panetest.Inner(m.View()) }

func requireSize(t *testing.T, m Model) {
	t.Helper()
	panetest.RequireSize(t, m.View(), m.width, m.height)
}

func wantBody(t *testing.T, m Model, want ...string) {
	t.Helper()
	got := body(m)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestGolden(t *testing.T) {
	passwd := "root:x:0:0:root:/root:/bin/bash\n\tindented\x1b[31mred\x1b[0m\n" +
		"a line long enough to be cut at the right edge of the pane, far away\n"
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), []byte("0123456789abcdefghijklmnopqrstuvwxyz!")...)
	for _, tt := range []struct {
		name string
		c    layerfile.Content
		w, h int
	}{
		{"text", layerfile.Content{Path: "/etc/passwd", Data: []byte(passwd), Size: int64(len(passwd))}, 50, 6},
		{"hex", layerfile.Content{Path: "/bin/app", Data: elf, Size: int64(len(elf))}, 82, 6},
		{"truncated", layerfile.Content{Path: "/var/log/big.log", Data: numbered(20), Size: 5_000_000, Truncated: true}, 40, 8},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := pane(tt.c, tt.w, tt.h)
			requireSize(t, m)
			panetest.RequireGolden(t, m.View())
		})
	}
}

func TestTruncatedSaysSo(t *testing.T) {
	m := pane(layerfile.Content{Path: "/big", Data: numbered(3), Size: 1_048_577, Truncated: true}, 50, 8)
	wantBody(t, m,
		"showing the first 21 of 1,048,577 bytes",
		"1 │ line 1",
		"2 │ line 2",
		"3 │ line 3",
		"", "")
	bin := pane(layerfile.Content{Path: "/big.bin", Data: []byte{0, 1, 2}, Size: 4096, Truncated: true}, 82, 5)
	if got := body(bin)[0]; got != "showing the first 3 of 4,096 bytes" {
		t.Errorf("hex view starts with %q", got)
	}
}

func TestScrollingWithKeys(t *testing.T) {
	m := pane(layerfile.Content{Path: "/f", Data: numbered(100), Size: 700}, 30, 7) // 5 rows in view
	first := func(m Model) string { return strings.TrimSpace(body(m)[0]) }
	for _, step := range []struct {
		key  tea.Msg
		want string
	}{
		{panetest.Down, "2 │ line 2"}, {panetest.J, "3 │ line 3"}, {panetest.Up, "2 │ line 2"},
		{panetest.K, "1 │ line 1"}, {panetest.K, "1 │ line 1"},
		{panetest.PgDown, "6 │ line 6"}, {panetest.PgDown, "11 │ line 11"}, {panetest.PgUp, "6 │ line 6"},
		{panetest.End, "96 │ line 96"}, {panetest.Down, "96 │ line 96"}, {panetest.Home, "1 │ line 1"},
		{panetest.ShiftG, "96 │ line 96"}, {panetest.G, "1 │ line 1"},
		{tea.MouseWheelMsg{Button: tea.MouseWheelDown}, "4 │ line 4"}, {tea.MouseWheelMsg{Button: tea.MouseWheelUp}, "1 │ line 1"},
	} {
		m = panetest.Send(m, step.key)
		requireSize(t, m)
		if got := first(m); got != step.want {
			t.Fatalf("after %v the first row is %q, want %q", step.key, got, step.want)
		}
	}
	// The scroll bar's thumb is at the bottom at the end.
	m = panetest.Send(m, panetest.End)
	lines := panetest.Screen(m.View())
	if !strings.HasSuffix(lines[len(lines)-2], "┃┃") {
		t.Errorf("thumb not at the bottom:\n%s", strings.Join(lines, "\n"))
	}
}

func TestScrollingSideways(t *testing.T) {
	long := "0123456789abcdefghijklmnopqrstuvwxyz"
	m := pane(layerfile.Content{Path: "/f", Data: []byte(long + "\nshort\n"), Size: 43}, 20, 4)
	// 18 inner columns, 4 for "1 │ ": 14 for the text.
	wantBody(t, m, "1 │ 0123456789abcd", "2 │ short")
	m = panetest.Send(m, panetest.Right)
	wantBody(t, m, "1 │ 89abcdefghijkl", "2") // the trimming takes the empty row's separator
	m = panetest.Send(m, panetest.Right, panetest.Right, panetest.Right, panetest.Right)
	wantBody(t, m, "1 │ mnopqrstuvwxyz", "2") // no further than the widest line
	m = panetest.Send(m, panetest.Left, panetest.Left, panetest.Left, panetest.Left, panetest.Left, panetest.Left)
	wantBody(t, m, "1 │ 0123456789abcd", "2 │ short")
}

func TestCloseKeys(t *testing.T) {
	m := pane(layerfile.Content{Path: "/f", Data: []byte("x"), Size: 1}, 20, 5)
	for _, key := range []tea.KeyPressMsg{panetest.Esc, panetest.Q} {
		if !panetest.Send(m, key).Closed() {
			t.Errorf("%s did not close the viewer", key)
		}
	}
	if panetest.Send(m, panetest.Down).Closed() {
		t.Errorf("down closed the viewer")
	}
}

func TestNothingRawReachesTheTerminal(t *testing.T) {
	evil := "tab\there\r\na\x1b]0;pwned\x07b\u009bc\u202ed\u200be\x7f\r\n"
	m := pane(layerfile.Content{Path: "/x\x1b[2J\xff", Data: []byte(evil), Size: int64(len(evil))}, 60, 5)
	requireSize(t, m)
	wantBody(t, m,
		`1 │ tab     here`,
		`2 │ a\x1b]0;pwned\x07b\u009bc\u202ed\u200be\x7f`,
		"")
	if top := panetest.Screen(m.View())[0]; !strings.Contains(top, `/x\x1b[2J\xff`) {
		t.Errorf("title %q does not show the path escaped", top)
	}
	requireClean(t, m.View())

	// Past the first 8 KB, a text file may still hold invalid bytes.
	late := append(bytes.Repeat([]byte("a"), sniffSize), "\nb\xffc\xc2\n"...)
	m = pane(layerfile.Content{Path: "/late", Data: late, Size: int64(len(late))}, 30, 5)
	m = panetest.Send(m, panetest.End)
	wantBody(t, m, "1 │ "+strings.Repeat("a", 24), `2 │ b\xffc\xc2`, "")
	requireClean(t, m.View())
	m = pane(layerfile.Content{Path: "/error"}, 30, 5)
	m.SetError(errors.New("bad name /a\x1b[31m"))
	wantBody(t, m, `bad name /a\x1b[31m`, "", "")
	requireClean(t, m.View())
}

// requireClean checks that a view holds no control characters but line
// feeds and the escape sequences of its own styles, and only valid UTF-8.
func requireClean(t *testing.T, view string) {
	t.Helper()
	for _, injected := range []string{"\x1b]0;", "\x1b[2J", "\x1b[31m"} {
		if strings.Contains(view, injected) {
			t.Errorf("the view holds %q raw", injected)
		}
	}
	plain := ansi.Strip(view)
	if !utf8.ValidString(plain) {
		t.Errorf("the view is not valid UTF-8")
	}
	for _, r := range plain {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)) {
			t.Errorf("the view holds %U raw", r)
		}
	}
}

func TestBinaryDetection(t *testing.T) {
	utf := bytes.Repeat([]byte("é"), sniffSize) // 2 bytes each: the window ends in the middle of a letter
	for _, tt := range []struct {
		name string
		data []byte
		cut  bool
		want bool
	}{
		{"text", []byte("hello\n"), false, false},
		{"empty", nil, false, false},
		{"nul", []byte("hel\x00lo"), false, true},
		{"latin-1", []byte("caf\xe9\n"), false, true},
		{"utf-8 cut by the window", append(append([]byte{}, utf[:sniffSize-1]...), utf...), false, false},
		{"utf-8 cut by the limit", []byte("é")[:1], true, false},
		{"nul after 8 KB", append(bytes.Repeat([]byte("a"), sniffSize), 0), false, false},
	} {
		if got := IsBinary(tt.data, tt.cut); got != tt.want {
			t.Errorf("%s: isBinary = %v, want %v", tt.name, got, tt.want)
		}
	}
	m := pane(layerfile.Content{Path: "/b", Data: []byte("Hello, world!\x00\x01\xff"), Size: 16}, 82, 4)
	wantBody(t, m, "00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 00 01 ff  |Hello, world!...|", "")
}

func TestStatesAndStaleMessages(t *testing.T) {
	m := New(common.DefaultStyles())
	m.SetSize(40, 5)
	requireSize(t, m)
	m.SetLoading("etc/passwd", "")
	wantBody(t, m, "loading /etc/passwd…", "", "")
	// A file asked for before arrives late: it is not the one loading.
	m = panetest.Send(m, FileContentMsg{Content: layerfile.Content{Path: "/etc/group", Data: []byte("g"), Size: 1}})
	wantBody(t, m, "loading /etc/passwd…", "", "")
	m = panetest.Send(m, FileContentMsg{Content: layerfile.Content{Path: "/etc/passwd"}, Layer: 2, Err: fmt.Errorf("/etc/passwd: %w", layerfile.ErrNotRegular)})
	wantBody(t, m, "/etc/passwd: not a regular file", "", "")
	if top := panetest.Screen(m.View())[0]; !strings.Contains(top, "/etc/passwd · layer 2") {
		t.Errorf("title %q", top)
	}
	m.SetContent(layerfile.Content{Path: "/empty"}, 0)
	wantBody(t, m, "(empty file)", "", "")
	for _, size := range [][2]int{{0, 0}, {1, 1}, {2, 2}, {5, 3}, {12, 4}} {
		m.SetSize(size[0], size[1])
		if size[0] > 0 {
			requireSize(t, m)
		}
	}
}

func TestLoad(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "etc/motd", Typeflag: tar.TypeReg, Size: 5, Mode: 0o644})
	tw.Write([]byte("hello"))
	tw.Close()
	data := buf.Bytes()
	l := image.Layer{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}

	msg := Load(context.Background(), l, 4, "/etc/motd", 3)().(FileContentMsg)
	if msg.Err != nil || string(msg.Content.Data) != "hel" || !msg.Content.Truncated || msg.Layer != 4 {
		t.Errorf("Load = %+v", msg)
	}
	msg = Load(context.Background(), l, 4, "etc/none", 3)().(FileContentMsg)
	if !errors.Is(msg.Err, layerfile.ErrNotInLayer) || msg.Content.Path != "/etc/none" {
		t.Errorf("Load of a missing file = %+v", msg)
	}
}

func TestKeyMapHelp(t *testing.T) {
	km := DefaultKeyMap()
	if len(km.ShortHelp()) == 0 {
		t.Error("no short help")
	}
	n := 0
	for _, col := range km.FullHelp() {
		n += len(col)
	}
	if n != 12 {
		t.Errorf("full help has %d bindings, want all 12", n)
	}
}

func TestSearchFindsAndMovesBetweenMatches(t *testing.T) {
	var b bytes.Buffer
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
		if i%20 == 0 {
			b.WriteString("Needle here\n")
		}
	}
	m := pane(layerfile.Content{Path: "/f", Data: b.Bytes(), Size: int64(b.Len())}, 40, 8) // 5 lines and the search line
	k := m.KeyMap()
	m = panetest.Send(m, panetest.Key(k.Search))
	if !m.Searching() {
		t.Fatal("the search key did not open the search line")
	}
	m = panetest.Send(m, panetest.Type("needle")...)
	m = panetest.Send(m, panetest.Press("enter"))
	lines := body(m)
	if last := lines[len(lines)-1]; last != "Search: needle  3 matches" {
		t.Errorf("search line %q", last)
	}
	if !panetest.Contains(lines, "21 │ Needle here") {
		t.Errorf("the first match is not in view:\n%s", strings.Join(lines, "\n"))
	}
	m = panetest.Send(m, panetest.Key(k.NextMatch))
	if !panetest.Contains(body(m), "42 │ Needle here") {
		t.Errorf("n did not move to the second match:\n%s", strings.Join(body(m), "\n"))
	}
	m = panetest.Send(m, panetest.Key(k.PrevMatch))
	if !panetest.Contains(body(m), "21 │ Needle here") {
		t.Errorf("N did not move back:\n%s", strings.Join(body(m), "\n"))
	}
	if !strings.Contains(m.View(), "\x1b[7m") && !strings.Contains(m.View(), "\x1b[4") {
		t.Error("the match is not highlighted")
	}
	m = panetest.Send(m, panetest.Key(k.Search), panetest.Press("esc"))
	if panetest.Contains(body(m), "Search:") {
		t.Error("esc left the search line")
	}
}

func TestALinkFollowedIsNamed(t *testing.T) {
	m := New(common.DefaultStyles())
	m.SetSize(50, 6)
	m.SetLoading("/bin/busybox", "/bin/cat → /bin/busybox")
	m, _ = m.Update(FileContentMsg{Content: layerfile.Content{Path: "/bin/busybox", Data: []byte("#!busybox\n"), Size: 10}, Layer: 0})
	wantBody(t, m, "/bin/cat → /bin/busybox", "1 │ #!busybox", "", "")
	if top := panetest.Screen(m.View())[0]; !strings.Contains(top, "/bin/busybox · layer 0 · 10 B") {
		t.Errorf("title %q", top)
	}
}
