package common

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestNavKeysDelta(t *testing.T) {
	k := DefaultNavKeys()
	for _, tc := range []struct {
		msg    tea.KeyPressMsg
		want   int
		wantOK bool
	}{
		{tea.KeyPressMsg{Code: tea.KeyUp}, -1, true},
		{tea.KeyPressMsg{Code: 'j', Text: "j"}, 1, true},
		{tea.KeyPressMsg{Code: tea.KeyPgUp}, -5, true},
		{tea.KeyPressMsg{Code: tea.KeyPgDown}, 5, true},
		{tea.KeyPressMsg{Code: 'g', Text: "g"}, -40, true},
		{tea.KeyPressMsg{Code: 'g', ShiftedCode: 'G', Mod: tea.ModShift, Text: "G"}, 40, true},
		{tea.KeyPressMsg{Code: 'x', Text: "x"}, 0, false},
	} {
		if d, ok := k.Delta(tc.msg, 5, 40); d != tc.want || ok != tc.wantOK {
			t.Errorf("%s: Delta = %d, %v; want %d, %v", tc.msg, d, ok, tc.want, tc.wantOK)
		}
	}
	if d, _ := k.Delta(tea.KeyPressMsg{Code: tea.KeyPgDown}, 0, 40); d != 1 {
		t.Errorf("a page of no rows moves %d, want 1", d)
	}
}

func TestNavKeysWithEnds(t *testing.T) {
	k := DefaultNavKeys()
	named := k.WithEnds("first layer", "last layer")
	if h := named.Top.Help(); h.Key != "home/g" || h.Desc != "first layer" {
		t.Errorf("Top help %+v", h)
	}
	if h := named.Bottom.Help(); h.Key != "end/G" || h.Desc != "last layer" {
		t.Errorf("Bottom help %+v", h)
	}
	if k.Top.Help().Desc != "top" {
		t.Errorf("WithEnds changed the keys it was called on")
	}
}

func TestListKeys(t *testing.T) {
	k := DefaultNavKeys()
	var l List
	const rows, height = 20, 4
	for _, step := range []struct {
		msg            tea.KeyPressMsg
		cursor, offset int
	}{
		{tea.KeyPressMsg{Code: tea.KeyDown}, 1, 0},
		{tea.KeyPressMsg{Code: tea.KeyPgDown}, 5, 2},
		{tea.KeyPressMsg{Code: tea.KeyEnd}, 19, 16},
		{tea.KeyPressMsg{Code: tea.KeyDown}, 19, 16},
		{tea.KeyPressMsg{Code: tea.KeyPgUp}, 15, 15},
		{tea.KeyPressMsg{Code: tea.KeyHome}, 0, 0},
		{tea.KeyPressMsg{Code: tea.KeyUp}, 0, 0},
	} {
		if !l.Update(step.msg, k, rows, height) {
			t.Fatalf("%s not handled", step.msg)
		}
		if l.Cursor != step.cursor || l.Offset != step.offset {
			t.Fatalf("after %s: %+v, want cursor %d offset %d", step.msg, l, step.cursor, step.offset)
		}
	}
	if l.Update(tea.KeyPressMsg{Code: 'x', Text: "x"}, k, rows, height) {
		t.Error("x handled")
	}
	var empty List
	empty.Update(tea.KeyPressMsg{Code: tea.KeyEnd}, k, 0, height)
	if empty != (List{}) {
		t.Errorf("end on no rows: %+v", empty)
	}
}

func TestListMouse(t *testing.T) {
	l := List{Cursor: 5, Offset: 3}
	const rows, height, width, top = 10, 4, 30, 2
	click := func(x, y int) tea.MouseClickMsg { return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft} }
	for _, step := range []struct {
		msg     tea.MouseMsg
		handled bool
		cursor  int
	}{
		{click(5, 2), true, 3},  // the first row in view
		{click(5, 5), true, 6},  // the last
		{click(5, 6), false, 6}, // below the window
		{click(5, 1), false, 6}, // a header above it
		{click(30, 3), false, 6},
		{click(-1, 3), false, 6},
		{tea.MouseClickMsg{X: 5, Y: 3, Button: tea.MouseRight}, false, 6},
		{tea.MouseReleaseMsg{X: 5, Y: 3, Button: tea.MouseLeft}, false, 6},
		{tea.MouseWheelMsg{Button: tea.MouseWheelDown}, true, 7},
		{tea.MouseWheelMsg{Button: tea.MouseWheelUp}, true, 6},
		{tea.MouseWheelMsg{Button: tea.MouseWheelLeft}, false, 6},
	} {
		if got := l.Mouse(step.msg, RowAt(step.msg, width, top), rows, height); got != step.handled {
			t.Errorf("%v: handled %v, want %v", step.msg, got, step.handled)
		}
		if l.Cursor != step.cursor {
			t.Fatalf("after %v the cursor is on %d, want %d", step.msg, l.Cursor, step.cursor)
		}
		if l.Cursor < l.Offset || l.Cursor >= l.Offset+height {
			t.Fatalf("after %v the cursor %d is out of view at %d", step.msg, l.Cursor, l.Offset)
		}
	}
	// A click past the last row of a short list.
	short := List{}
	if short.Mouse(click(5, 4), RowAt(click(5, 4), width, top), 2, height) {
		t.Errorf("a click below the rows moved the cursor to %d", short.Cursor)
	}
}

func TestListMoveClampsAndScrolls(t *testing.T) {
	l := List{Cursor: 9, Offset: 6}
	l.Move(0, 5, 3) // fewer rows now
	if l != (List{Cursor: 4, Offset: 2}) {
		t.Errorf("after the rows shrank: %+v", l)
	}
	l.Cursor = 0
	l.Scroll(5, 3)
	if l.Offset != 0 {
		t.Errorf("Scroll left the cursor out of view: %+v", l)
	}
}

func TestBlank(t *testing.T) {
	if got := Blank(3, 2); got != "   \n   " {
		t.Errorf("Blank(3, 2) = %q", got)
	}
	if Blank(0, 2) != "" || Blank(2, 0) != "" {
		t.Error("an empty pane is not empty")
	}
}
