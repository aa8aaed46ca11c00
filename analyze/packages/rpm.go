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
	return readRPMDatabase(file, int64(len(b)))
}

// readRPMDatabase reads a database of size bytes that checkRPMDatabase
// passed. A panic in go-rpmdb's own goroutine is the caller's (it cannot be
// recovered); one in this goroutine, where it parses package headers, is an
// error.
func readRPMDatabase(file string, size int64) (out []record, err error) {
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
	budget := maxNameBytes(size)
	for _, pkg := range pkgs {
		if pkg.Name == "gpg-pubkey" {
			continue // an imported signing key, not software
		}
		files, err := installedFiles(pkg, &budget)
		if err != nil {
			return nil, fmt.Errorf("listing the files of %s: %w", pkg.Name, err)
		}
		out = append(out, record{eco: RPM, name: pkg.Name, version: pkg.Version + "-" + pkg.Release, epoch: pkg.Epoch,
			arch: pkg.Arch, source: pkg.SourceRpm, files: files})
	}
	return out, nil
}

// maxNameBytes bounds the file names read from a database of size bytes.
// A package lists each file as a directory index and a base name, so the
// names it expands to can be far longer than the database (40,000 one-byte
// base names in a 40 KB directory are 1.6 GB); real databases, which also
// hold each file's digest, owner and flags, expand to less than their size.
func maxNameBytes(size int64) int64 { return 8*size + 1<<20 }

// installedFiles is go-rpmdb's InstalledFileNames, as absolute clean paths,
// spending the bytes of the names from budget and failing before it builds
// more than budget allows.
func installedFiles(pkg *rpmdb.PackageInfo, budget *int64) ([]string, error) {
	if len(pkg.DirNames) == 0 || len(pkg.DirIndexes) == 0 || len(pkg.BaseNames) == 0 {
		return nil, nil
	}
	if len(pkg.DirIndexes) != len(pkg.BaseNames) || len(pkg.DirNames) > len(pkg.BaseNames) {
		return nil, fmt.Errorf("%w: %d directory indexes for %d base names", errUnsafeDatabase, len(pkg.DirIndexes), len(pkg.BaseNames))
	}
	for i, base := range pkg.BaseNames {
		d := pkg.DirIndexes[i]
		if d < 0 || int(d) >= len(pkg.DirNames) {
			return nil, fmt.Errorf("%w: a file in directory %d of %d", errUnsafeDatabase, d, len(pkg.DirNames))
		}
		if *budget -= int64(len(pkg.DirNames[d]) + len(base) + 2); *budget < 0 {
			return nil, fmt.Errorf("%w: file names far longer than the database", errUnsafeDatabase)
		}
	}
	files := make([]string, len(pkg.BaseNames))
	for i, base := range pkg.BaseNames {
		files[i] = path.Clean("/" + pkg.DirNames[pkg.DirIndexes[i]] + "/" + base)
	}
	return files, nil
}
