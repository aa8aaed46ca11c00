package packages

import (
	"cmp"
	"path"
	"slices"
)

// Ecosystem names where a package comes from.
type Ecosystem string

// The ecosystems an Analyzer reads.
const (
	Deb    Ecosystem = "deb"    // dpkg: Debian, Ubuntu, distroless
	Apk    Ecosystem = "apk"    // Alpine
	RPM    Ecosystem = "rpm"    // Fedora, RHEL, UBI, Amazon Linux, SUSE
	Python Ecosystem = "python" // *.dist-info, *.egg-info
	Npm    Ecosystem = "npm"    // node_modules/**/package.json
	Go     Ecosystem = "go"     // Go executables' build information
)

// ChangeKind says what a layer did to a package.
type ChangeKind string

// The changes a layer makes to a package.
const (
	Added      ChangeKind = "added"
	Upgraded   ChangeKind = "upgraded"
	Downgraded ChangeKind = "downgraded"
	// Changed is a new version that cannot be ordered against the old one.
	Changed ChangeKind = "changed"
	Removed ChangeKind = "removed"
)

// Package is one package an image installed: where, by which layer, what
// later layers did to it, and what it takes in the final image.
type Package struct {
	Ecosystem Ecosystem `json:"ecosystem"`
	Name      string    `json:"name"`
	// Version is the version in the final image or, for a package a later
	// layer removed, the last version installed.
	Version string `json:"version"`
	// Arch is the package's architecture, for deb, apk and rpm.
	Arch string `json:"arch,omitempty"`
	// MultiArch says a deb is Multi-Arch: same: one may be installed per
	// architecture, so the architecture is part of its name.
	MultiArch bool `json:"multiArch,omitempty"`
	// Source is the source package (deb), origin (apk) or source rpm.
	Source string `json:"source,omitempty"`
	// Epoch is an rpm's epoch, when it has one.
	Epoch *int `json:"epoch,omitempty"`
	// Location is where the package is recorded: its database, its
	// metadata directory, its directory (npm) or its executable (go).
	Location string `json:"location"`
	// Layer is the layer that installed the package.
	Layer int `json:"layer"`
	// Changes are what each layer did to the package, the install first.
	Changes []Change `json:"changes"`
	// Removed says a later layer removed the package: the final image
	// does not have it.
	Removed bool `json:"removed"`
	// SizeBytes is the size of the package's files in the final image
	// (for a removed package, in the last layer that had it), and
	// FileCount their number.
	SizeBytes int64 `json:"sizeBytes"`
	FileCount int   `json:"fileCount"`
	// GoVersion and Modules are, for a Go executable, the toolchain that
	// built it and the modules it was built from.
	GoVersion string   `json:"goVersion,omitempty"`
	Modules   []Module `json:"modules,omitempty"`
}

// Change is what one layer did to a package.
type Change struct {
	Layer  int        `json:"layer"`
	Change ChangeKind `json:"change"`
	// From is the version before the layer, empty for Added; Version the
	// version after it, empty for Removed.
	From    string `json:"from,omitempty"`
	Version string `json:"version,omitempty"`
	// SizeBytes is the package's size after the layer or, for Removed,
	// before it.
	SizeBytes int64 `json:"sizeBytes"`
	FileCount int   `json:"fileCount"`
}

// Module is a Go module an executable was built from.
type Module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	// Replace is the module that replaced it, if one did.
	Replace *Module `json:"replace,omitempty"`
}

// Distro is the operating system the image's os-release names.
type Distro struct {
	ID         string `json:"id"`
	VersionID  string `json:"versionId,omitempty"`
	PrettyName string `json:"prettyName,omitempty"`
}

// Summary is what the packages of an image add up to.
type Summary struct {
	// Packages counts the packages in the final image, and SizeBytes and
	// FileCount add up their files (a file two packages list counts for
	// both).
	Packages  int   `json:"packages"`
	SizeBytes int64 `json:"sizeBytes"`
	FileCount int   `json:"fileCount"`
	// Ecosystems counts the final image's packages of each ecosystem.
	Ecosystems map[Ecosystem]int `json:"ecosystems"`
	// UnownedFileCount and UnownedSizeBytes are the regular files of the
	// final image that no package lists or holds.
	UnownedFileCount int   `json:"unownedFileCount"`
	UnownedSizeBytes int64 `json:"unownedSizeBytes"`
	// UnownedDirectories are the directories whose own files (not their
	// subdirectories') no package owns, the most bytes first: where the
	// unowned bytes are (an apt cache left behind, build output).
	UnownedDirectories []DirectoryUsage `json:"unownedDirectories,omitempty"`
	// Distro is the image's operating system, when os-release names one.
	Distro *Distro `json:"distro,omitempty"`
	// Warnings are the databases and metadata that could not be read.
	Warnings []string `json:"warnings,omitempty"`
}

// DirectoryUsage is what a directory's own files hold.
type DirectoryUsage struct {
	Path      string `json:"path"`
	FileCount int    `json:"fileCount"`
	SizeBytes int64  `json:"sizeBytes"`
}

// Result is the packages of an image and what they add up to.
type Result struct {
	// Packages are every package any layer installed, removed ones
	// included, by ecosystem, name, location and architecture.
	Packages []Package
	Summary  Summary
}

// Present returns the packages of the final image.
func (r *Result) Present() []Package {
	var out []Package
	for _, p := range r.Packages {
		if !p.Removed {
			out = append(out, p)
		}
	}
	return out
}

// LayerChange is one change a layer made, with the package it made it to.
type LayerChange struct {
	Package *Package
	Change
}

// ByLayer returns the changes each of n layers made, package order
// within a layer.
func (r *Result) ByLayer(n int) [][]LayerChange {
	out := make([][]LayerChange, n)
	for i := range r.Packages {
		p := &r.Packages[i]
		for _, c := range p.Changes {
			if c.Layer >= 0 && c.Layer < n {
				out[c.Layer] = append(out[c.Layer], LayerChange{Package: p, Change: c})
			}
		}
	}
	return out
}

// Key names a package across layers and images: the ecosystem and the
// name (with the architecture where two may be installed), and, for
// packages that live in a directory of their own (Python's site-packages,
// npm's node_modules, a Go executable), where.
func (p *Package) Key() string {
	switch p.Ecosystem {
	case Deb:
		if p.MultiArch && p.Arch != "" {
			return "deb\x00" + p.Name + ":" + p.Arch
		}
	case RPM:
		return "rpm\x00" + p.Name + "." + p.Arch
	case Python:
		return "python\x00" + path.Dir(p.Location) + "\x00" + normalizePython(p.Name)
	case Npm, Go:
		return string(p.Ecosystem) + "\x00" + p.Location
	}
	return string(p.Ecosystem) + "\x00" + p.Name
}

// comparePackages orders packages by ecosystem, name, location and
// architecture.
func comparePackages(a, b *Package) int {
	return cmp.Or(cmp.Compare(a.Ecosystem, b.Ecosystem), cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Location, b.Location), cmp.Compare(a.Arch, b.Arch))
}

// sortPackages sorts packages in place; see comparePackages.
func sortPackages(ps []Package) {
	slices.SortFunc(ps, func(a, b Package) int { return comparePackages(&a, &b) })
}
