package packages

import (
	"bytes"
	"path"
	"strconv"
	"strings"
)

// record is a package as one database or metadata file describes it.
type record struct {
	eco                         Ecosystem
	name, version, arch, source string
	epoch                       *int
	// files are the absolute paths the database lists for it, when it
	// lists them (apk, rpm); dpkg's are in other files, Python's may be.
	files []string
	// dir is a directory the package is, for npm packages (and Python
	// ones without a file list).
	dir string
	// multiArch is dpkg's Multi-Arch: same, whose info files are
	// named name:arch.
	multiArch bool
	goVersion string
	modules   []Module
}

// paragraphs calls f with the fields of each paragraph of a dpkg or apk
// database: "Key: value" lines (apk's "K:value"), a blank line between
// paragraphs. Continuation lines (starting with a space or tab) are
// skipped: no field this package reads spans lines.
func paragraphs(b []byte, f func(field func(key string) string)) {
	fields := map[string]string{}
	flush := func() {
		if len(fields) > 0 {
			f(func(key string) string { return fields[key] })
			clear(fields)
		}
	}
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(bytes.TrimSpace(line)) == 0:
			flush()
		case line[0] == ' ' || line[0] == '\t':
			// a continuation line
		default:
			k, v, ok := bytes.Cut(line, []byte(":"))
			if ok {
				fields[string(k)] = string(bytes.TrimSpace(v))
			}
		}
	}
	flush()
}

// installedState says whether a package in a dpkg state has its files on
// disk: "not-installed" and "config-files" do not.
func installedState(s string) bool {
	switch s {
	case "installed", "half-installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending":
		return true
	}
	return false
}

// parseDpkgStatus reads dpkg's status file, or a distroless status.d
// file, whose paragraphs have no Status: every package they list is
// installed.
func parseDpkgStatus(b []byte, noStatus bool) []record {
	var out []record
	paragraphs(b, func(field func(string) string) {
		name := field("Package")
		if name == "" {
			return
		}
		if status := field("Status"); status != "" || !noStatus {
			words := strings.Fields(status)
			if len(words) != 3 || !installedState(words[2]) {
				return
			}
		}
		src, _, _ := strings.Cut(field("Source"), " ") // "glibc (2.36-9)"
		out = append(out, record{eco: Deb, name: name, version: field("Version"), arch: field("Architecture"),
			source: src, multiArch: field("Multi-Arch") == "same"})
	})
	return out
}

// fullVersion is the version as the ecosystem compares it: an rpm's
// with its epoch.
func (r *record) fullVersion() string {
	if r.epoch != nil {
		return strconv.Itoa(*r.epoch) + ":" + r.version
	}
	return r.version
}

// listKey is the name dpkg gives a package's info files: name:arch for
// Multi-Arch: same packages, else name.
func (r *record) listKey() string {
	if r.multiArch && r.arch != "" {
		return r.name + ":" + r.arch
	}
	return r.name
}

// parseDpkgList reads an info/NAME.list file: one absolute path a line.
func parseDpkgList(b []byte) []string {
	var out []string
	for line := range bytes.Lines(b) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 || line[0] != '/' {
			continue
		}
		if p := path.Clean(string(line)); p != "/" && p != "/." {
			out = append(out, p)
		}
	}
	return out
}

// parseMd5sums reads a .md5sums file: "md5  relative/path" lines.
func parseMd5sums(b []byte) []string {
	var out []string
	for line := range bytes.Lines(b) {
		line = bytes.TrimRight(line, "\r\n")
		_, p, ok := bytes.Cut(line, []byte("  "))
		if !ok || len(p) == 0 {
			continue
		}
		out = append(out, path.Clean("/"+string(p)))
	}
	return out
}
