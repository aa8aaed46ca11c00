package tarparse

import (
	"math/rand/v2"
	"path"
	"path/filepath"
	"testing"
)

// TestCleanPathFast compares cleanPath with path.Clean on every name of up
// to eight characters made of 'a', '.' and '/'.
func TestCleanPathFast(t *testing.T) {
	slow := func(name string) string {
		p := path.Clean("/" + name)
		if p == "/" {
			return ""
		}
		return p
	}
	var gen func(prefix string, n int)
	count := 0
	gen = func(prefix string, n int) {
		count++
		if got, want := cleanPath(prefix), slow(prefix); got != want {
			t.Fatalf("cleanPath(%q) = %q, path.Clean gives %q", prefix, got, want)
		}
		if n == 0 {
			return
		}
		for _, c := range []string{"a", ".", "/"} {
			gen(prefix+c, n-1)
		}
	}
	gen("", 8)
	if count < 9841 {
		t.Fatalf("only %d names tried", count)
	}
}

// TestChecksum compares the word-at-a-time header checksum with a byte
// sum on random and extreme blocks.
func TestChecksum(t *testing.T) {
	naive := func(b *[blockSize]byte) int64 {
		var s int64
		for i, c := range b {
			if i >= 148 && i < 156 {
				c = ' '
			}
			s += int64(c)
		}
		return s
	}
	r := rand.New(rand.NewPCG(1, 2))
	var blocks [][blockSize]byte
	var ones, zeros [blockSize]byte
	for i := range ones {
		ones[i] = 0xff
	}
	blocks = append(blocks, ones, zeros)
	for range 1000 {
		var b [blockSize]byte
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		blocks = append(blocks, b)
	}
	for i := range blocks {
		if got, want := checksum(&blocks[i]), naive(&blocks[i]); got != want {
			t.Fatalf("block %d: checksum %d, byte sum %d", i, got, want)
		}
	}
}

// TestCleanNamesAreLocal: the header decoder skips filepath.IsLocal for
// names isClean accepts, so every such name must be local. Every name of
// up to nine bytes of 'a', '.' and '/' is tried.
func TestCleanNamesAreLocal(t *testing.T) {
	const alphabet = "a./"
	var try func(name []byte)
	clean := 0
	try = func(name []byte) {
		if isClean(string(name)) {
			clean++
			if !filepath.IsLocal(string(name)) {
				t.Errorf("isClean(%q) but not filepath.IsLocal", name)
			}
		}
		if len(name) == 9 {
			return
		}
		for i := range len(alphabet) {
			try(append(name, alphabet[i]))
		}
	}
	try(nil)
	if clean < 1000 {
		t.Fatalf("only %d clean names among those tried", clean)
	}
}
