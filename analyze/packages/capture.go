package packages

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/strata-dev/strata/analyze/tarparse"
)

// kind is what a file kept during the pass is to the analyzer.
type kind uint8

const (
	notKept      kind = iota
	dpkgStatus        // /var/lib/dpkg/status
	dpkgStatusD       // /var/lib/dpkg/status.d/NAME (distroless)
	dpkgMd5sums       // /var/lib/dpkg/status.d/NAME.md5sums (distroless)
	dpkgList          // /var/lib/dpkg/info/NAME.list
	apkInstalled      // /lib/apk/db/installed
	rpmDatabase       // …/rpm/{rpmdb.sqlite,Packages,Packages.db}
	pyMetadata        // site-packages/X.dist-info/METADATA, X.egg-info/PKG-INFO, X.egg-info
	pyRecord          // site-packages/X.dist-info/RECORD, X.egg-info/installed-files.txt
	npmManifest       // node_modules/[@scope/]name/package.json
	osRelease         // /etc/os-release, /usr/lib/os-release
	executable        // a file with an executable bit: maybe a Go binary
)

// Limits on what is kept of a file. A database larger than the
// analyzer's limit (WithMaxDatabaseSize) is left out, with a warning.
const (
	maxListSize     = 16 << 20 // a file list: .list, .md5sums, RECORD
	maxHeaderSize   = 64 << 10 // what is read of METADATA, PKG-INFO and os-release: their headers come first
	maxManifestSize = 1 << 20  // what is read of a package.json: name and version come first
	minExecutable   = 4 << 10  // smaller executables are scripts, not Go binaries
)

const (
	dpkgDir        = "/var/lib/dpkg/"
	apkDatabase    = "/lib/apk/db/installed"
	etcOSRelease   = "/etc/os-release"
	usrOSRelease   = "/usr/lib/os-release"
	nodeModulesDir = "/node_modules/"
)

// classify says what a regular file is to the analyzer, from its path and
// mode alone: it is called for every regular file of every layer.
func classify(p string, mode fs.FileMode) kind {
	if rest, ok := strings.CutPrefix(p, dpkgDir); ok {
		switch {
		case rest == "status":
			return dpkgStatus
		case strings.HasPrefix(rest, "status.d/"):
			name := rest[len("status.d/"):]
			if strings.Contains(name, "/") || name == "" {
				return notKept
			}
			if strings.HasSuffix(name, ".md5sums") {
				return dpkgMd5sums
			}
			return dpkgStatusD
		case strings.HasPrefix(rest, "info/") && strings.HasSuffix(rest, ".list") && strings.Count(rest, "/") == 1:
			return dpkgList
		}
		return notKept
	}
	switch p {
	case apkDatabase:
		return apkInstalled
	case etcOSRelease, usrOSRelease:
		return osRelease
	}
	i := strings.LastIndexByte(p, '/')
	dir, base := p[:max(i, 0)], p[i+1:]
	switch base {
	case "package.json":
		if npmPackageDir(dir) {
			return npmManifest
		}
	case "METADATA", "RECORD":
		if strings.HasSuffix(dir, ".dist-info") && inSitePackages(dir) {
			if base == "METADATA" {
				return pyMetadata
			}
			return pyRecord
		}
	case "PKG-INFO", "installed-files.txt":
		if strings.HasSuffix(dir, ".egg-info") && inSitePackages(dir) {
			if base == "PKG-INFO" {
				return pyMetadata
			}
			return pyRecord
		}
	case "rpmdb.sqlite", "Packages", "Packages.db":
		if strings.HasSuffix(dir, "/rpm") || strings.HasSuffix(dir, "/.rpmdb") { // Debian's rpm: /root/.rpmdb
			return rpmDatabase
		}
	}
	if strings.HasSuffix(base, ".egg-info") && inSitePackages(p) {
		return pyMetadata // distutils writes PKG-INFO as a file of this name
	}
	if mode&0o111 != 0 {
		return executable
	}
	return notKept
}

// inSitePackages says whether p is directly in a site-packages or
// dist-packages directory.
func inSitePackages(p string) bool {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return false
	}
	dir := p[:i]
	return strings.HasSuffix(dir, "/site-packages") || strings.HasSuffix(dir, "/dist-packages")
}

// npmPackageDir says whether dir is a package's directory right below a
// node_modules: node_modules/name or node_modules/@scope/name.
func npmPackageDir(dir string) bool {
	i := strings.LastIndex(dir, nodeModulesDir)
	if i < 0 {
		return false
	}
	name := dir[i+len(nodeModulesDir):]
	if name == "" || name[0] == '.' {
		return false
	}
	if name[0] == '@' {
		scope, rest, ok := strings.Cut(name, "/")
		return ok && len(scope) > 1 && rest != "" && rest[0] != '.' && !strings.Contains(rest, "/")
	}
	return !strings.Contains(name, "/")
}

// Capture keeps the files the analyzer reads: package databases and
// metadata, whole up to their limits, and the few regions of an
// executable that debug/buildinfo reads. The parsing happens here too, on
// the goroutine that reads the layer, once the file is whole (see the
// keepers' Kept).
func (a *Analyzer) Capture(path string, size int64, mode fs.FileMode) tarparse.Keeper {
	k := classify(path, mode)
	switch k {
	case notKept:
		return nil
	case executable:
		if size < minExecutable {
			return nil
		}
		return newELFKeeper(path, size)
	case rpmDatabase:
		if size > a.opts.maxDatabase {
			return tooLarge(k, size, a.opts.maxDatabase)
		}
		k := newParsing(k, path, size, size)
		k.tempDir = a.opts.tempDir
		return k
	case dpkgStatus, dpkgStatusD, apkInstalled:
		if size > a.opts.maxDatabase {
			return tooLarge(k, size, a.opts.maxDatabase)
		}
		return newParsing(k, path, size, size)
	case dpkgMd5sums, dpkgList, pyRecord:
		if size > maxListSize {
			return tooLarge(k, size, maxListSize)
		}
		return newParsing(k, path, size, size)
	case npmManifest:
		return newParsing(k, path, size, min(size, maxManifestSize))
	}
	return newParsing(k, path, size, min(size, maxHeaderSize)) // metadata headers, os-release
}

// parsed is what a keeper made of a file: the packages or file list it
// describes, or why it could not be read. It is what the analyzer sees
// of the file once the layer is stacked.
type parsed struct {
	kind    kind
	records []record // the packages it describes
	files   []string // the absolute paths it lists (dpkg lists, RECORD)
	distro  *Distro  // for os-release
	err     error
}

// parsing keeps a file's first bytes and parses them once it is whole.
type parsing struct {
	kind    kind
	path    string
	size    int64
	b       []byte
	tempDir string // where an rpm database is copied to be read
}

func newParsing(k kind, path string, size, limit int64) *parsing {
	return &parsing{kind: k, path: path, size: size, b: make([]byte, 0, limit)}
}

func (k *parsing) Write(p []byte) (int, error) {
	if room := cap(k.b) - len(k.b); room > 0 {
		k.b = append(k.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Kept parses what was kept: it runs on the goroutine that read the layer.
func (k *parsing) Kept() []byte { return k.parse().encode() }

func (k *parsing) parse() *parsed {
	pr := &parsed{kind: k.kind}
	truncated := int64(len(k.b)) < k.size
	switch k.kind {
	case dpkgStatus, dpkgStatusD:
		pr.records = parseDpkgStatus(k.b, k.kind == dpkgStatusD)
	case dpkgList:
		pr.files = parseDpkgList(k.b)
	case dpkgMd5sums:
		pr.files = parseMd5sums(k.b)
	case apkInstalled:
		pr.records = parseApkInstalled(k.b)
	case rpmDatabase:
		pr.records, pr.err = parseRPMDatabase(k.path, k.b, k.tempDir)
	case pyMetadata:
		pr.records, pr.err = parsePythonMetadata(k.path, k.b)
	case pyRecord:
		pr.files = parsePythonRecord(k.path, k.b)
	case npmManifest:
		pr.records, pr.err = parsePackageJSON(k.path, k.b, truncated)
	case osRelease:
		pr.distro = parseOSRelease(k.b)
	}
	return pr
}

// tooLarge is the keeper of a file over its limit: it keeps nothing and
// says why.
func tooLarge(k kind, size, limit int64) tarparse.Keeper {
	return skipped{&parsed{kind: k, err: fmt.Errorf("%d bytes, over the limit of %d: not read", size, limit)}}
}

type skipped struct{ p *parsed }

func (skipped) Write(p []byte) (int, error) { return len(p), nil }
func (s skipped) Kept() []byte              { return s.p.encode() }
