package main

import (
	"os"
	"testing"
)

// TestMain keeps the layer cache of the strata binaries the tests run, and
// of the runs in this process, in a directory of the tests' own, not the
// user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "strata-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
