package packages

import (
	"path"
	"testing"
)

// TestCleanPath checks cleanPath against path.Clean on every string of up
// to seven of '/', '.' and 'a', the bytes a path's cleaning turns on.
func TestCleanPath(t *testing.T) {
	alphabet := []byte{'/', '.', 'a'}
	checked := 0
	var walk func(p []byte)
	walk = func(p []byte) {
		if got, want := cleanPath(string(p)), path.Clean(string(p)); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", p, got, want)
		}
		checked++
		if len(p) == 7 {
			return
		}
		for _, c := range alphabet {
			walk(append(p, c))
		}
	}
	walk(nil)
	if checked != 3280 { // 3⁰ + 3¹ + … + 3⁷
		t.Fatalf("checked %d strings, want 3280", checked)
	}
}
