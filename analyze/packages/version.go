package packages

import (
	"github.com/Masterminds/semver/v3"
	pep440 "github.com/aquasecurity/go-pep440-version"
	apkversion "github.com/knqyf263/go-apk-version"
	debversion "github.com/knqyf263/go-deb-version"
	rpmversion "github.com/knqyf263/go-rpm-version"
)

// CompareVersions says whether going from version a to version b of a
// package is an upgrade or a downgrade, comparing them the way the
// ecosystem's own tools do: dpkg's algorithm, apk's, rpmvercmp, PEP 440,
// semver (npm and Go modules). Versions that do not parse are Changed.
func CompareVersions(eco Ecosystem, a, b string) ChangeKind {
	c, ok := compare(eco, a, b)
	switch {
	case !ok || c == 0:
		return Changed
	case c < 0:
		return Upgraded
	}
	return Downgraded
}

// compare compares two versions of a package: -1, 0 or +1, and whether
// both parsed.
func compare(eco Ecosystem, a, b string) (int, bool) {
	switch eco {
	case Deb:
		va, errA := debversion.NewVersion(a)
		vb, errB := debversion.NewVersion(b)
		if errA != nil || errB != nil {
			return 0, false
		}
		return va.Compare(vb), true
	case Apk:
		va, errA := apkversion.NewVersion(a)
		vb, errB := apkversion.NewVersion(b)
		if errA != nil || errB != nil {
			return 0, false
		}
		return va.Compare(vb), true
	case RPM:
		va, vb := rpmversion.NewVersion(a), rpmversion.NewVersion(b)
		return va.Compare(vb), true
	case Python:
		va, errA := pep440.Parse(a)
		vb, errB := pep440.Parse(b)
		if errA != nil || errB != nil {
			return 0, false
		}
		return va.Compare(vb), true
	case Npm, Go:
		va, errA := semver.NewVersion(a)
		vb, errB := semver.NewVersion(b)
		if errA != nil || errB != nil {
			return 0, false
		}
		return va.Compare(vb), true
	}
	return 0, false
}
