package sbom_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/sbom"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

func intp(n int) *int { return &n }

func TestPURL(t *testing.T) {
	debian := &packages.Distro{ID: "debian", VersionID: "12"}
	for _, tt := range []struct {
		p      packages.Package
		distro *packages.Distro
		want   string
	}{
		{packages.Package{Ecosystem: packages.Deb, Name: "libc6", Version: "2.36-9+deb12u4", Arch: "amd64", Source: "glibc"}, debian,
			"pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc"},
		{packages.Package{Ecosystem: packages.Deb, Name: "curl", Version: "7.88.1-10", Arch: "amd64", Source: "curl"}, nil,
			"pkg:deb/debian/curl@7.88.1-10?arch=amd64"},
		{packages.Package{Ecosystem: packages.Deb, Name: "libc6", Version: "2.35-0ubuntu3", Arch: "amd64"}, &packages.Distro{ID: "ubuntu", VersionID: "22.04"},
			"pkg:deb/ubuntu/libc6@2.35-0ubuntu3?arch=amd64&distro=ubuntu-22.04"},
		{packages.Package{Ecosystem: packages.Apk, Name: "musl", Version: "1.2.5-r0", Arch: "x86_64", Source: "musl"}, &packages.Distro{ID: "alpine", VersionID: "3.20.3"},
			"pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3"},
		{packages.Package{Ecosystem: packages.RPM, Name: "bash", Version: "5.2.26-3.fc40", Arch: "x86_64", Epoch: intp(1), Source: "bash-5.2.26-3.fc40.src.rpm"},
			&packages.Distro{ID: "fedora", VersionID: "40"},
			"pkg:rpm/fedora/bash@5.2.26-3.fc40?arch=x86_64&distro=fedora-40&epoch=1&upstream=bash-5.2.26-3.fc40.src.rpm"},
		{packages.Package{Ecosystem: packages.Python, Name: "Flask_Login", Version: "0.6.3"}, debian, "pkg:pypi/flask-login@0.6.3"},
		{packages.Package{Ecosystem: packages.Npm, Name: "@scope/util", Version: "2.0.0-beta.1"}, debian, "pkg:npm/%40scope/util@2.0.0-beta.1"},
		{packages.Package{Ecosystem: packages.Npm, Name: "left-pad", Version: "1.3.0"}, nil, "pkg:npm/left-pad@1.3.0"},
		{packages.Package{Ecosystem: packages.Go, Name: "github.com/org/tool", Version: "v1.4.0"}, debian, "pkg:golang/github.com/org/tool@v1.4.0"},
		{packages.Package{Ecosystem: packages.Go, Name: "example.com/hello", Version: "(devel)"}, nil, "pkg:golang/example.com/hello"},
	} {
		if got := sbom.PURL(&tt.p, tt.distro); got != tt.want {
			t.Errorf("PURL(%s %s) = %s, want %s", tt.p.Ecosystem, tt.p.Name, got, tt.want)
		}
	}
}

func status(pkgs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pkgs); i += 2 {
		b.WriteString("Package: " + pkgs[i] + "\nStatus: install ok installed\nVersion: " + pkgs[i+1] + "\nArchitecture: amd64\n\n")
	}
	return b.String()
}

// bom analyzes an image and returns its SBOM, written and read back, and
// the analysis.
func bom(t *testing.T, steps []imagetest.Step) (*analyze.Result, []byte, *cdx.BOM) {
	t.Helper()
	v1img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.FromV1(v1img)
	if err != nil {
		t.Fatal(err)
	}
	a := packages.New()
	res, err := analyze.Analyze(context.Background(), img, analyze.WithObserver(a))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	meta := sbom.Meta{Reference: "example:1 <&>", Timestamp: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ToolVersion: "test"}
	if err := sbom.Write(&b, sbom.New(res, a.Packages(res), meta)); err != nil {
		t.Fatal(err)
	}
	var doc cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(b.Bytes()), cdx.BOMFileFormatJSON).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return res, b.Bytes(), &doc
}

func property(c cdx.Component, name string) string {
	if c.Properties != nil {
		for _, p := range *c.Properties {
			if p.Name == name {
				return p.Value
			}
		}
	}
	return ""
}

// TestSBOM writes the SBOM of an image built in three steps and checks it
// against the CycloneDX schema, the packages' purls and the layers'
// properties.
func TestSBOM(t *testing.T) {
	res, doc, b := bom(t, []imagetest.Step{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:abc in /", Entries: []imagetest.Entry{
			imagetest.Reg("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
			imagetest.Reg("var/lib/dpkg/status", status("libc6", "2.36-9", "tzdata", "2024a-0")),
		}},
		{CreatedBy: "/bin/sh -c apt-get install -y curl && npm install @scope/util", Entries: []imagetest.Entry{
			imagetest.Reg("var/lib/dpkg/status", status("libc6", "2.36-9", "curl", "7.88.1-10")),
			imagetest.Reg("app/node_modules/@scope/util/package.json", `{"name":"@scope/util","version":"2.0.0"}`),
		}},
		{CreatedBy: "/bin/sh -c apt-get upgrade -y", Entries: []imagetest.Entry{
			imagetest.Reg("var/lib/dpkg/status", status("libc6", "2.36-9+deb12u4", "curl", "7.88.1-10")),
		}},
	})
	validate(t, "testdata/schema", doc)
	if b.SpecVersion != cdx.SpecVersion1_6 || b.Metadata == nil || b.Metadata.Component == nil ||
		b.Metadata.Component.Type != cdx.ComponentTypeContainer || b.Metadata.Component.Name != "example:1 <&>" ||
		b.Metadata.Timestamp != "2026-01-02T03:04:05Z" || !strings.HasPrefix(b.SerialNumber, "urn:uuid:") {
		t.Errorf("metadata: spec %s, %+v, serial %s", b.SpecVersion, b.Metadata, b.SerialNumber)
	}
	got := map[string]cdx.Component{}
	for _, c := range *b.Components {
		got[c.PackageURL] = c
		if c.Type == cdx.ComponentTypeOS {
			got["os"] = c
		}
	}
	if os := got["os"]; os.Name != "debian" || os.Version != "12" {
		t.Errorf("operating system component: %+v", os)
	}
	diffID := func(k int) string { return res.Layers[k].DiffID.String() }
	for _, w := range []struct {
		purl, layer, step, versionLayer string
	}{
		{"pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", "0", "ADD file:abc in /", "2"},
		{"pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12", "1", "RUN apt-get install -y curl && npm install @scope/util", ""},
		{"pkg:npm/%40scope/util@2.0.0", "1", "RUN apt-get install -y curl && npm install @scope/util", ""},
	} {
		c, ok := got[w.purl]
		if !ok {
			t.Errorf("no component %s", w.purl)
			continue
		}
		k := int(w.layer[0] - '0')
		if property(c, sbom.PropLayer) != w.layer || property(c, sbom.PropLayerDiffID) != diffID(k) ||
			property(c, sbom.PropLayerStep) != w.step || property(c, sbom.PropVersionLayer) != w.versionLayer {
			t.Errorf("%s: properties %+v", w.purl, *c.Properties)
		}
		if w.versionLayer != "" && property(c, sbom.PropVersionLayerDiffID) != diffID(2) {
			t.Errorf("%s: the upgrade's diffID is missing: %+v", w.purl, *c.Properties)
		}
	}
	if _, ok := got["pkg:deb/debian/tzdata@2024a-0?arch=amd64&distro=debian-12"]; ok || len(*b.Components) != 4 {
		t.Errorf("%d components; tzdata, which layer 1 removed, must not be one", len(*b.Components))
	}
}

// TestSBOMGoModules: a Go executable is an application that depends on
// its modules, each a component; a module replaced by another version is
// named by the replacement.
func TestSBOMGoModules(t *testing.T) {
	res, _, _ := bom(t, []imagetest.Step{{CreatedBy: "COPY tool /", Entries: []imagetest.Entry{imagetest.Reg("tool", "x")}}})
	r := &packages.Result{Packages: []packages.Package{{
		Ecosystem: packages.Go, Name: "github.com/org/tool", Version: "v1.4.0", Location: "/usr/bin/tool", Layer: 0,
		Changes:   []packages.Change{{Layer: 0, Change: packages.Added, Version: "v1.4.0"}},
		GoVersion: "go1.26.8",
		Modules: []packages.Module{
			{Path: "golang.org/x/sys", Version: "v0.49.0"},
			{Path: "github.com/old/lib", Version: "v1.0.0", Replace: &packages.Module{Path: "github.com/fork/lib", Version: "v1.0.1"}},
			{Path: "example.com/local", Version: "v0.0.0", Replace: &packages.Module{Path: "../local"}},
		},
	}}}
	var out bytes.Buffer
	if err := sbom.Write(&out, sbom.New(res, r, sbom.Meta{Reference: "tool"})); err != nil {
		t.Fatal(err)
	}
	validate(t, "testdata/schema", out.Bytes())
	var b cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(out.Bytes()), cdx.BOMFileFormatJSON).Decode(&b); err != nil {
		t.Fatal(err)
	}
	var purls []string
	for _, c := range *b.Components {
		purls = append(purls, string(c.Type)+" "+c.PackageURL+" "+property(c, sbom.PropLocation))
	}
	want := []string{
		"application pkg:golang/github.com/org/tool@v1.4.0 /usr/bin/tool",
		"library pkg:golang/golang.org/x/sys@v0.49.0 /usr/bin/tool",
		"library pkg:golang/github.com/fork/lib@v1.0.1 /usr/bin/tool",
		"library pkg:golang/example.com/local@v0.0.0 /usr/bin/tool",
	}
	if strings.Join(purls, "\n") != strings.Join(want, "\n") {
		t.Errorf("components:\n%s\nwant:\n%s", strings.Join(purls, "\n"), strings.Join(want, "\n"))
	}
	deps := *b.Dependencies
	if len(deps) != 2 || deps[1].Ref != "pkg:golang/github.com/org/tool@v1.4.0" || deps[1].Dependencies == nil || len(*deps[1].Dependencies) != 3 {
		t.Errorf("dependencies: %+v", deps)
	}
}
