package diff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/packages"
)

func TestComparePackages(t *testing.T) {
	one := 1
	pkg := func(eco packages.Ecosystem, name, version string, size int64, more ...func(*packages.Package)) packages.Package {
		p := packages.Package{Ecosystem: eco, Name: name, Version: version, Arch: "amd64", Location: "/var/lib/dpkg/status", SizeBytes: size}
		for _, f := range more {
			f(&p)
		}
		return p
	}
	at := func(loc string) func(*packages.Package) {
		return func(p *packages.Package) { p.Location, p.Arch = loc, "" }
	}
	a := &packages.Result{Packages: []packages.Package{
		pkg(packages.Deb, "libssl3", "3.0.11-1", 5000),
		pkg(packages.Deb, "tzdata", "2024a-0", 3000),
		pkg(packages.Deb, "curl", "7.88.1-10", 300),
		pkg(packages.Deb, "gone-before", "1", 10, func(p *packages.Package) { p.Removed = true }),
		pkg(packages.RPM, "bash", "5.2-1", 900),
		pkg(packages.Python, "requests", "2.32.3", 700, at("/usr/lib/python3/dist-packages/requests-2.32.3.dist-info")),
		pkg(packages.Npm, "left-pad", "1.3.0", 50, at("/app/node_modules/left-pad")),
	}}
	b := &packages.Result{Packages: []packages.Package{
		pkg(packages.Deb, "libssl3", "3.0.13-1", 5200),
		pkg(packages.Deb, "curl", "7.88.1-10", 300),
		pkg(packages.Deb, "python3-pip", "23.0.1", 1_000_000, func(p *packages.Package) { p.Layer = 2 }),
		pkg(packages.RPM, "bash", "5.1-1", 900, func(p *packages.Package) { p.Epoch = &one }),
		pkg(packages.Python, "Requests", "2.31.0", 650, at("/usr/lib/python3/dist-packages/Requests-2.31.0.dist-info")),
		pkg(packages.Npm, "left-pad", "latest-ish", 50, at("/app/node_modules/left-pad")),
	}}
	d := diff.ComparePackages(a, b)
	var got []string
	for _, c := range d.Changes {
		got = append(got, fmt.Sprintf("%s %s %s→%s %+d layer %d", c.Change, c.Describe(), c.VersionA, c.VersionB, c.Delta(), c.Layer))
	}
	want := []string{
		"added deb python3-pip →23.0.1 +1000000 layer 2",
		"removed deb tzdata 2024a-0→ -3000 layer -1",
		"upgraded deb libssl3 3.0.11-1→3.0.13-1 +200 layer 0",
		"downgraded python Requests at /usr/lib/python3/dist-packages/Requests-2.31.0.dist-info 2.32.3→2.31.0 -50 layer 0",
		"changed npm left-pad at /app/node_modules/left-pad 1.3.0→latest-ish +0 layer 0",
		"upgraded rpm bash 5.2-1→1:5.1-1 +0 layer 0", // epoch 1 beats none
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d.Added != 1 || d.Removed != 1 || d.Upgraded != 2 || d.Downgraded != 1 || d.Changed != 1 || d.Unchanged != 1 {
		t.Errorf("counts: %+v", *d)
	}
	if c, ok := d.LargestIncrease(); !ok || c.Name != "python3-pip" {
		t.Errorf("largest increase: %+v", c)
	}
	if _, ok := diff.ComparePackages(b, b).LargestIncrease(); ok {
		t.Error("an image compared with itself has a package that grew")
	}
}
