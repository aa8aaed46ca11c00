package tree

import (
	"cmp"
	"strings"
	"testing"
)

// comparePathsByComponent is comparePaths as first written: split at each
// slash and compare the components.
func comparePathsByComponent(a, b string) int {
	for {
		ia, ib := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		ca, cb := a, b
		if ia >= 0 {
			ca = a[:ia]
		}
		if ib >= 0 {
			cb = b[:ib]
		}
		if c := cmp.Compare(ca, cb); c != 0 {
			return c
		}
		if ia < 0 || ib < 0 {
			return cmp.Compare(ia, ib)
		}
		a, b = a[ia+1:], b[ib+1:]
	}
}

func FuzzComparePaths(f *testing.F) {
	for _, s := range [][2]string{
		{"a/b", "a/b/c"}, {"a/b", "a-b"}, {"a/b/c", "a/b-c"}, {"a", "a"}, {"", "a"},
		{"a/", "a"}, {"a//b", "a/b"}, {"a\x00/b", "a/b"}, {"usr/lib", "usr/lib64/x"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := ComparePaths(a, b), comparePathsByComponent(a, b); got != want {
			t.Errorf("ComparePaths(%q, %q) = %d, component by component %d", a, b, got, want)
		}
	})
}
