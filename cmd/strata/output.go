package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// checkOutputFile checks, before any image is read, that path names a file
// strata can write through flag (see resolveOutput): not a directory, and
// for a file to create, in a directory that exists. "-" (stdout) and ""
// (no output) pass. example is a file name to suggest in the directory the
// user gave.
func checkOutputFile(flag, path, example string) error {
	if path == "" || path == "-" {
		return nil
	}
	out, err := resolveOutput(path)
	if err != nil {
		if st, serr := os.Stat(path); serr == nil && st.IsDir() {
			return fmt.Errorf("%s %s: it is a directory; give the path of a file to write, such as %s", flag, path, filepath.Join(path, example))
		}
		return err
	}
	if !out.straight {
		if _, err := os.Stat(filepath.Dir(out.target)); err != nil {
			return fmt.Errorf("writing %s: %w", path, bare(err))
		}
	}
	return nil
}
