package sbom

import (
	"strconv"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/strata-dev/strata/analyze/packages"
)

// PURL returns a package's package URL, with the distribution it comes
// from (the image's os-release) where the purl type has one:
// pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12,
// pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3,
// pkg:rpm/fedora/bash@5.2.26-3.fc40?arch=x86_64&distro=fedora-40,
// pkg:pypi/requests@2.32.3, pkg:npm/%40scope/util@2.0.0,
// pkg:golang/example.com/hello.
func PURL(p *packages.Package, d *packages.Distro) string {
	q := map[string]string{}
	namespace := ""
	distro := func(fallback string) {
		namespace = fallback
		if d != nil && d.ID != "" {
			namespace = d.ID
			q["distro"] = d.ID
			if d.VersionID != "" {
				q["distro"] = d.ID + "-" + d.VersionID
			}
		}
		if p.Arch != "" {
			q["arch"] = p.Arch
		}
	}
	var purl *packageurl.PackageURL
	switch p.Ecosystem {
	case packages.Deb:
		distro("debian")
		if p.Source != "" && p.Source != p.Name {
			q["upstream"] = p.Source
		}
		purl = packageurl.NewPackageURL(packageurl.TypeDebian, namespace, p.Name, p.Version, nil, "")
	case packages.Apk:
		distro("alpine")
		if p.Source != "" && p.Source != p.Name {
			q["upstream"] = p.Source
		}
		purl = packageurl.NewPackageURL(packageurl.TypeApk, namespace, p.Name, p.Version, nil, "")
	case packages.RPM:
		distro("")
		if p.Epoch != nil {
			q["epoch"] = strconv.Itoa(*p.Epoch)
		}
		if p.Source != "" {
			q["upstream"] = p.Source
		}
		purl = packageurl.NewPackageURL(packageurl.TypeRPM, namespace, p.Name, p.Version, nil, "")
	case packages.Python:
		name := strings.ReplaceAll(strings.ToLower(p.Name), "_", "-")
		purl = packageurl.NewPackageURL(packageurl.TypePyPi, "", name, p.Version, nil, "")
	case packages.Npm:
		scope, name, ok := strings.Cut(p.Name, "/")
		if !ok || !strings.HasPrefix(scope, "@") {
			scope, name = "", p.Name
		}
		purl = packageurl.NewPackageURL(packageurl.TypeNPM, scope, name, p.Version, nil, "")
	case packages.Go:
		return golangPURL(p.Name, p.Version)
	default:
		purl = packageurl.NewPackageURL("generic", "", p.Name, p.Version, nil, "")
	}
	purl.Qualifiers = packageurl.QualifiersFromMap(q)
	return purl.ToString()
}

// golangPURL is a Go module's package URL; a module built from its own
// directory ("(devel)") has no version.
func golangPURL(path, version string) string {
	if version == "(devel)" {
		version = ""
	}
	namespace, name := "", path
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		namespace, name = path[:i], path[i+1:]
	}
	return packageurl.NewPackageURL(packageurl.TypeGolang, namespace, name, version, nil, "").ToString()
}
