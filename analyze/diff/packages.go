package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
)

// Packages compares the packages of the final images: what B added,
// removed, upgraded and downgraded, and how their sizes changed.
type Packages struct {
	// Changes are the packages that differ, largest size change first.
	Changes []PackageChange
	// Counts of Changes by kind, and of the packages both have at the
	// same version.
	Added, Removed, Upgraded, Downgraded, Changed, Unchanged int
	// SizeA and SizeB add up the sizes of each image's packages.
	SizeA, SizeB int64
}

// PackageChange is a package that differs between A and B.
type PackageChange struct {
	Ecosystem packages.Ecosystem
	Name      string
	Arch      string
	// Location is where B has it or, for a removed package, A.
	Location string
	// Change is Added, Removed, Upgraded, Downgraded or Changed (a
	// version that cannot be ordered against A's).
	Change packages.ChangeKind
	// VersionA and VersionB are empty on the side that lacks it; an
	// rpm's has its epoch ("1:5.1-1") when it has one.
	VersionA, VersionB string
	SizeA, SizeB       int64
	// Layer is the layer of B that installed it, -1 for a removed one.
	Layer int
}

// Delta is B's size less A's.
func (c *PackageChange) Delta() int64 { return c.SizeB - c.SizeA }

// ComparePackages compares the packages in the final images of A and B.
func ComparePackages(a, b *packages.Result) *Packages {
	d := &Packages{}
	inA := map[string]*packages.Package{}
	for _, p := range a.Present() {
		inA[p.Key()] = &p
		d.SizeA += p.SizeBytes
	}
	seen := map[string]bool{}
	for _, p := range b.Present() {
		d.SizeB += p.SizeBytes
		key := p.Key()
		seen[key] = true
		c := PackageChange{Ecosystem: p.Ecosystem, Name: p.Name, Arch: p.Arch, Location: p.Location, Change: packages.Added,
			VersionB: versionOf(&p), SizeB: p.SizeBytes, Layer: p.Layer}
		if old, ok := inA[key]; ok {
			c.VersionA, c.SizeA = versionOf(old), old.SizeBytes
			if versionOf(old) == versionOf(&p) {
				d.Unchanged++
				continue
			}
			c.Change = packages.CompareVersions(p.Ecosystem, versionOf(old), versionOf(&p))
		}
		d.Changes = append(d.Changes, c)
	}
	for key, p := range inA {
		if !seen[key] {
			d.Changes = append(d.Changes, PackageChange{Ecosystem: p.Ecosystem, Name: p.Name, Arch: p.Arch, Location: p.Location,
				Change: packages.Removed, VersionA: versionOf(p), SizeA: p.SizeBytes, Layer: -1})
		}
	}
	for _, c := range d.Changes {
		switch c.Change {
		case packages.Added:
			d.Added++
		case packages.Removed:
			d.Removed++
		case packages.Upgraded:
			d.Upgraded++
		case packages.Downgraded:
			d.Downgraded++
		default:
			d.Changed++
		}
	}
	abs := func(x int64) int64 { return max(x, -x) }
	slices.SortFunc(d.Changes, func(x, y PackageChange) int {
		return cmp.Or(cmp.Compare(abs(y.Delta()), abs(x.Delta())), cmp.Compare(x.Ecosystem, y.Ecosystem),
			cmp.Compare(x.Name, y.Name), cmp.Compare(x.Location, y.Location), cmp.Compare(x.Arch, y.Arch))
	})
	return d
}

// versionOf is a package's version as its ecosystem compares it: an
// rpm's with its epoch.
func versionOf(p *packages.Package) string {
	if p.Epoch != nil {
		return fmt.Sprintf("%d:%s", *p.Epoch, p.Version)
	}
	return p.Version
}

// LargestIncrease returns the package whose size grew the most from A to
// B (an added package from nothing), and false when none grew.
func (d *Packages) LargestIncrease() (PackageChange, bool) {
	var best PackageChange
	found := false
	for _, c := range d.Changes {
		if c.Delta() > 0 && (!found || c.Delta() > best.Delta()) {
			best, found = c, true
		}
	}
	return best, found
}

// Describe names a changed package in one line of text: its ecosystem,
// name and, for packages that live in their own directory, where.
func (c *PackageChange) Describe() string {
	s := string(c.Ecosystem) + " " + c.Name
	switch c.Ecosystem {
	case packages.Python, packages.Npm, packages.Go:
		s += " at " + c.Location
	}
	return Printable(s)
}

// Versions are the package's versions in A and B, "-" for the image that
// lacks it.
func (c *PackageChange) Versions() (a, b string) {
	a, b = c.VersionA, c.VersionB
	if a == "" {
		a = "-"
	}
	if b == "" {
		b = "-"
	}
	return a, b
}

// Summary is the package and its versions from A to B in one escaped
// line, as the text report and diff's terminal UI write it.
func (c *PackageChange) Summary() string {
	va, vb := c.Versions()
	return fmt.Sprintf("%s: %s → %s", c.Describe(), Printable(va), Printable(vb))
}

// writePackages writes the package changes, largest size change first.
func (d *Diff) writePackages(s *strings.Builder) {
	p := d.Packages
	if p == nil {
		return
	}
	if len(p.Changes) == 0 {
		fmt.Fprintf(s, "\nPackages: no differences (%s)\n", plural(p.Unchanged, "package", "packages"))
		return
	}
	fmt.Fprintf(s, "\nPackages: %d added, %d removed, %d upgraded, %d downgraded", p.Added, p.Removed, p.Upgraded, p.Downgraded)
	if p.Changed > 0 {
		fmt.Fprintf(s, ", %d changed", p.Changed)
	}
	fmt.Fprintf(s, ", %d unchanged; %s in A, %s in B (%s)\n", p.Unchanged,
		humanize.Bytes(uint64(p.SizeA)), humanize.Bytes(uint64(p.SizeB)), FormatDelta(p.SizeB-p.SizeA))
	s.WriteString("Change        Δ Size  Package: A → B\n")
	for _, c := range p.Changes {
		line := c.Summary()
		if c.Layer >= 0 && c.Layer < len(d.B.Layers) {
			line += fmt.Sprintf(" (B's layer %d: %s)", c.Layer, oneLine(tree.ShortCommand(d.B.Layers[c.Layer].CreatedBy), 48))
		}
		fmt.Fprintf(s, "%-10s %9s  %s\n", c.Change, FormatDelta(c.Delta()), line)
	}
}

// ReportPackages compares the final images' packages, in the JSON
// document.
type ReportPackages struct {
	Added          int   `json:"added"`
	Removed        int   `json:"removed"`
	Upgraded       int   `json:"upgraded"`
	Downgraded     int   `json:"downgraded"`
	Changed        int   `json:"changed"`
	Unchanged      int   `json:"unchanged"`
	SizeBytesA     int64 `json:"sizeBytesA"`
	SizeBytesB     int64 `json:"sizeBytesB"`
	SizeDeltaBytes int64 `json:"sizeDeltaBytes"`
	// Changes lists every package that differs, largest size change
	// first.
	Changes []ReportPackageChange `json:"changes"`
}

// ReportPackageChange is one package that differs.
type ReportPackageChange struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Arch      string `json:"arch,omitempty"`
	Location  string `json:"location"`
	Change    string `json:"change"` // added, removed, upgraded, downgraded or changed
	// VersionA and VersionB are empty on the side that lacks it.
	VersionA       string `json:"versionA"`
	VersionB       string `json:"versionB"`
	SizeBytesA     int64  `json:"sizeBytesA"`
	SizeBytesB     int64  `json:"sizeBytesB"`
	SizeDeltaBytes int64  `json:"sizeDeltaBytes"`
	// Layer is the layer of B that installed it, -1 for a removed one.
	Layer int `json:"layer"`
}

func reportPackages(p *Packages) *ReportPackages {
	if p == nil {
		return nil
	}
	r := &ReportPackages{Added: p.Added, Removed: p.Removed, Upgraded: p.Upgraded, Downgraded: p.Downgraded,
		Changed: p.Changed, Unchanged: p.Unchanged, SizeBytesA: p.SizeA, SizeBytesB: p.SizeB,
		SizeDeltaBytes: p.SizeB - p.SizeA, Changes: []ReportPackageChange{}}
	for _, c := range p.Changes {
		r.Changes = append(r.Changes, ReportPackageChange{Ecosystem: string(c.Ecosystem), Name: c.Name, Arch: c.Arch,
			Location: c.Location, Change: string(c.Change), VersionA: c.VersionA, VersionB: c.VersionB,
			SizeBytesA: c.SizeA, SizeBytesB: c.SizeB, SizeDeltaBytes: c.Delta(), Layer: c.Layer})
	}
	return r
}
