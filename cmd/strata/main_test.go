package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// TestMain keeps the layer cache of the strata binaries the tests run, and
// of the runs in this process, in a directory of the tests' own, not the
// user's; the binary the tests run is built there too.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "strata-test-cache-")
	if err != nil {
		panic(err)
	}
	// Go's build cache defaults to $XDG_CACHE_HOME/go-build: keep it
	// where it was, or the go build of the binary starts from nothing
	// (minutes, not seconds).
	if os.Getenv("GOCACHE") == "" {
		if user, err := os.UserCacheDir(); err == nil {
			os.Setenv("GOCACHE", filepath.Join(user, "go-build"))
		}
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	os.Setenv(binDirEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binDirEnv names the directory, removed after the tests, that the strata
// binary is built into.
const binDirEnv = "STRATA_TEST_BIN_DIR"

// builtStrata builds the strata binary the first time a test asks for it
// and gives every later test the same one: a link of this binary takes
// seconds, and seven tests run it.
var builtStrata = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(os.Getenv(binDirEnv), "bin") // beside the cache's strata/
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "strata")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
})
