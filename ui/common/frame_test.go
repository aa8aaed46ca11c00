package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

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
		if !strings.Contains(lines[0], " Layers ") {
			t.Errorf("title missing from the top edge: %q", lines[0])
		}
		if !strings.Contains(lines[2], "a very long line th…") {
			t.Errorf("long line not cut to the width: %q", lines[2])
		}
	}
}

func TestScrollWindow(t *testing.T) {
	for _, tc := range []struct{ offset, cursor, height, total, want int }{
		{0, 0, 5, 100, 0},
		{0, 4, 5, 100, 0},
		{0, 5, 5, 100, 1},
		{10, 3, 5, 100, 3},
		{90, 99, 5, 100, 95},
		{0, 2, 5, 3, 0},
	} {
		if got := ScrollWindow(tc.offset, tc.cursor, tc.height, tc.total); got != tc.want {
			t.Errorf("ScrollWindow(%d, %d, %d, %d) = %d, want %d", tc.offset, tc.cursor, tc.height, tc.total, got, tc.want)
		}
	}
}
