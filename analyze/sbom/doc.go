// Package sbom writes the packages of an image's final filesystem as a
// CycloneDX 1.6 JSON bill of materials (github.com/CycloneDX/cyclonedx-go),
// each package with its package URL (github.com/package-url/packageurl-go)
// so that scanners such as grype and Dependency-Track match it against
// vulnerability databases, and with the layer that installed it — its
// index, diffID and build step — as component properties. The image's
// operating system (from os-release) is a component of its own, as
// scanners expect, and a Go executable's modules are components that it
// depends on.
package sbom
