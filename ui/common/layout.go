package common

import tea "charm.land/bubbletea/v2"

// Rect is a pane's place on the screen.
type Rect struct{ X, Y, W, H int }

// Contains says whether the cell at x, y is in the rectangle.
func (r Rect) Contains(x, y int) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Local is a mouse event with coordinates relative to the rectangle's
// top-left corner, for the pane there; nil for events panes do not take.
func (r Rect) Local(msg tea.MouseMsg) tea.Msg {
	ev := msg.Mouse()
	ev.X, ev.Y = ev.X-r.X, ev.Y-r.Y
	switch msg.(type) {
	case tea.MouseClickMsg:
		return tea.MouseClickMsg(ev)
	case tea.MouseWheelMsg:
		return tea.MouseWheelMsg(ev)
	}
	return nil
}

// Want is how tall a pane of a column is: at least Min rows, and no more
// than Max are any use to it.
type Want struct{ Min, Max int }

// Split shares total rows among a column of panes: each gets its Min,
// then the panes named in first, in turn, get what they can use, then the
// rest is shared out a row at a time to the pane that has the least of
// what it can use, and what no pane can use goes to the last pane.
func Split(total int, wants []Want, first ...int) []int {
	h := make([]int, len(wants))
	left := total
	for i, w := range wants {
		h[i] = w.Min
		left -= w.Min
	}
	for _, i := range first {
		if i < 0 || i >= len(wants) || left <= 0 {
			continue
		}
		give := min(left, max(0, wants[i].Max-h[i]))
		h[i] += give
		left -= give
	}
	for left > 0 {
		best := -1
		for i, w := range wants {
			if h[i] >= w.Max {
				continue
			}
			// The least filled, as a share of what it can use.
			if best < 0 || h[i]*wants[best].Max < h[best]*w.Max {
				best = i
			}
		}
		if best < 0 {
			break
		}
		h[best]++
		left--
	}
	if len(h) > 0 && left > 0 {
		h[len(h)-1] += left
	}
	return h
}
