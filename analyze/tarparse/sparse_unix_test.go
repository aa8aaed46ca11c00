//go:build unix

package tarparse

import (
	"os"
	"syscall"
	"testing"
)

// allocated is the bytes the filesystem stores for a file.
func allocated(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Sys().(*syscall.Stat_t).Blocks * 512
}
