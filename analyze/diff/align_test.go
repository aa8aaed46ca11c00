package diff

import (
	"fmt"
	"strings"
	"testing"
)

func TestAlign(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"", "", ""},
		{"abc", "abc", "0:0 1:1 2:2"},
		{"abc", "", "0:- 1:- 2:-"},
		{"", "ab", "-:0 -:1"},
		{"abcd", "abxd", "0:0 1:1 2:- -:2 3:3"},
		{"abcd", "abd", "0:0 1:1 2:- 3:2"},
		{"abd", "abcd", "0:0 1:1 -:2 2:3"},
		{"xaby", "xbay", "0:0 1:- 2:1 -:2 3:3"}, // a swap: one of the two pairs
		{"abcdef", "fedcba", "0:- 1:- 2:- 3:- 4:- 5:0 -:1 -:2 -:3 -:4 -:5"},
	}
	for _, tt := range tests {
		got := show(align([]byte(tt.a), []byte(tt.b)))
		if got != tt.want {
			t.Errorf("align(%q, %q) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}

// Past maxCells the middle is left unpaired, in linear memory.
func TestAlignLong(t *testing.T) {
	n := 3000
	a, b := make([]int, n), make([]int, n)
	for i := range n {
		a[i], b[i] = i, n-i // nothing in common in the middle
	}
	a[0], b[0] = -1, -1
	rows := align(a, b)
	if len(rows) != 1+2*(n-1) || rows[0] != [2]int{0, 0} {
		t.Errorf("%d rows, first %v", len(rows), rows[0])
	}
}

func show(rows [][2]int) string {
	var parts []string
	for _, r := range rows {
		side := func(i int) string {
			if i < 0 {
				return "-"
			}
			return fmt.Sprint(i)
		}
		parts = append(parts, side(r[0])+":"+side(r[1]))
	}
	return strings.Join(parts, " ")
}
