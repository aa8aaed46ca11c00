package packages

import (
	"fmt"
	"os"
	"path"
	"path/filepath"

	rpmdb "github.com/knqyf263/go-rpmdb/pkg"
	_ "modernc.org/sqlite" // the sqlite driver go-rpmdb opens rpmdb.sqlite with
)

// parseRPMDatabase reads an rpm database — sqlite (rpmdb.sqlite), Berkeley
// DB (Packages) or ndb (Packages.db) — with go-rpmdb, which reads files:
// b is written to a temporary directory under tempDir ("" for the
// system's), removed before it returns.
func parseRPMDatabase(p string, b []byte, tempDir string) ([]record, error) {
	dir, err := os.MkdirTemp(tempDir, "strata-rpmdb-")
	if err != nil {
		return nil, fmt.Errorf("making a temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, path.Base(p))
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return nil, fmt.Errorf("writing a temporary copy: %w", err)
	}
	if err := checkRPMDatabase(b, file); err != nil {
		return nil, err
	}
	return readRPMDatabase(file)
}

// readRPMDatabase reads a database checkRPMDatabase passed. A panic in
// go-rpmdb's own goroutine is the caller's (it cannot be recovered); one
// in this goroutine, where it parses package headers, is an error.
func readRPMDatabase(file string) (out []record, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("reading the rpm database: %v", r)
		}
	}()
	db, err := rpmdb.Open(file)
	if err != nil {
		return nil, fmt.Errorf("opening the rpm database: %w", err)
	}
	defer db.Close()
	pkgs, err := db.ListPackages()
	if err != nil {
		return nil, fmt.Errorf("listing the rpm database: %w", err)
	}
	for _, pkg := range pkgs {
		if pkg.Name == "gpg-pubkey" {
			continue // an imported signing key, not software
		}
		files, err := pkg.InstalledFileNames()
		if err != nil {
			return nil, fmt.Errorf("listing the files of %s: %w", pkg.Name, err)
		}
		for i, f := range files {
			files[i] = path.Clean("/" + f)
		}
		out = append(out, record{eco: RPM, name: pkg.Name, version: pkg.Version + "-" + pkg.Release, epoch: pkg.Epoch,
			arch: pkg.Arch, source: pkg.SourceRpm, files: files})
	}
	return out, nil
}
