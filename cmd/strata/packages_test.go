package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/strata-dev/strata/internal/imagetest"
)

func dpkgStatus(pkgs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pkgs); i += 2 {
		b.WriteString("Package: " + pkgs[i] + "\nStatus: install ok installed\nVersion: " + pkgs[i+1] + "\nArchitecture: amd64\n\n")
	}
	return b.String()
}

// packageImages writes two builds of one Dockerfile as docker archives: A
// installs curl on a base with libssl3; B's rebuild also installs
// python3-pip (1 MB), and the base it pulled has a newer libssl3.
func packageImages(t *testing.T) (a, b string) {
	t.Helper()
	base := func(libssl string, size int) imagetest.Step {
		return imagetest.Step{CreatedBy: "/bin/sh -c #(nop) ADD file:rootfs in /", Entries: []imagetest.Entry{
			imagetest.Reg("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
			imagetest.Reg("usr/lib/libssl.so.3", strings.Repeat("s", size)),
			imagetest.Reg("var/lib/dpkg/status", dpkgStatus("libssl3", libssl)),
			imagetest.Reg("var/lib/dpkg/info/libssl3:amd64.list", "/usr/lib/libssl.so.3\n"),
		}}
	}
	install := func(libssl string, pip bool) imagetest.Step {
		s := imagetest.Step{CreatedBy: "/bin/sh -c apt-get install -y curl python3-pip", Entries: []imagetest.Entry{
			imagetest.Reg("usr/bin/curl", strings.Repeat("c", 3000)),
			imagetest.Reg("var/lib/dpkg/info/curl.list", "/usr/bin/curl\n"),
			imagetest.Reg("var/lib/dpkg/status", dpkgStatus("libssl3", libssl, "curl", "7.88.1-10")),
		}}
		if pip {
			s.Entries = append(s.Entries,
				imagetest.Reg("usr/lib/python3/dist-packages/pip/__init__.py", strings.Repeat("p", 1_000_000)),
				imagetest.Reg("var/lib/dpkg/info/python3-pip.list", "/usr/lib/python3/dist-packages/pip/__init__.py\n"),
				imagetest.Reg("var/lib/dpkg/status", dpkgStatus("libssl3", libssl, "curl", "7.88.1-10", "python3-pip", "23.0.1+dfsg-1")))
		}
		return s
	}
	dir := t.TempDir()
	for i, steps := range [][]imagetest.Step{
		{base("3.0.11-1~deb12u2", 5000), install("3.0.11-1~deb12u2", false)},
		{base("3.0.13-1~deb12u1", 5200), install("3.0.13-1~deb12u1", true)},
	} {
		img, err := imagetest.Image(steps)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, string(rune('a'+i))+".tar")
		if err := imagetest.WriteDockerArchive(p, img, "example/app:"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			a = p
		} else {
			b = p
		}
	}
	return a, b
}

func TestInspectPackages(t *testing.T) {
	_, b := packageImages(t)
	r := strata(t, noEnv, "inspect", "-v", b)
	wantExit(t, r, exitOK)
	for _, want := range []string{
		"Packages: 3 packages in the final image (deb 3), 1.0 MB in 3 files; debian 12",
		"No package owns 5 files (378 B); most in /var/lib/dpkg (270 B), /var/lib/dpkg/info (82 B), /etc (26 B).",
		"Layer  Added                Upgraded/downgraded  Removed              Command",
		"    0  1 (5.2 kB)           -                    -                    ADD file:rootfs in /",
		"    1  2 (1.0 MB)           -                    -                    RUN apt-get install -y curl python3-pip",
		"       + deb python3-pip 23.0.1+dfsg-1 (1.0 MB)",
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("no line %q in:\n%s", want, r.stdout)
		}
	}
	r = strata(t, noEnv, "inspect", "--json", "-", b)
	wantExit(t, r, exitOK)
	var doc struct {
		Packages []struct {
			Name      string `json:"name"`
			Layer     int    `json:"layer"`
			SizeBytes int64  `json:"sizeBytes"`
		} `json:"packages"`
		Summary struct {
			Packages int `json:"packages"`
		} `json:"packageSummary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Packages) != 3 || doc.Summary.Packages != 3 || doc.Packages[2].Name != "python3-pip" ||
		doc.Packages[2].Layer != 1 || doc.Packages[2].SizeBytes != 1_000_000 {
		t.Errorf("--json packages: %+v", doc)
	}
}

func TestDiffPackages(t *testing.T) {
	a, b := packageImages(t)
	r := strata(t, noEnv, "diff", a, b)
	wantExit(t, r, exitOK)
	for _, want := range []string{
		"Packages: 1 added, 0 removed, 1 upgraded, 0 downgraded, 1 unchanged; 8.0 kB in A, 1.0 MB in B (+1.0 MB)",
		"added        +1.0 MB  deb python3-pip: - → 23.0.1+dfsg-1 (B's layer 1: RUN apt-get install -y curl python3-pip)",
		"upgraded      +200 B  deb libssl3: 3.0.11-1~deb12u2 → 3.0.13-1~deb12u1 (B's layer 0: ADD file:rootfs in /)",
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("no line %q in:\n%s", want, r.stdout)
		}
	}
	r = strata(t, noEnv, "diff", "--json", "-", a, b)
	wantExit(t, r, exitOK)
	var doc struct {
		Packages struct {
			Added, Upgraded int
			Changes         []struct {
				Name, Change, VersionA, VersionB string
				SizeDeltaBytes                   int64
				Layer                            int
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	p := doc.Packages
	if p.Added != 1 || p.Upgraded != 1 || len(p.Changes) != 2 || p.Changes[0].Name != "python3-pip" ||
		p.Changes[0].SizeDeltaBytes != 1_000_000 || p.Changes[1].VersionA != "3.0.11-1~deb12u2" || p.Changes[1].Layer != 0 {
		t.Errorf("--json packages: %+v", p)
	}

	r = strata(t, noEnv, "diff", "--ci", "--no-new-packages", "--highest-package-size-increase", "500kB", a, b)
	wantExit(t, r, exitRuleFailed)
	for _, want := range []string{
		"  FAIL  noNewPackages: image B has packages image A lacks: 1 new: deb python3-pip",
		"  FAIL  highestPackageSizeIncrease: deb python3-pip grew too much: 1.0 MB (1000000 bytes) > threshold 500 kB (500000 bytes)",
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("no line %q in:\n%s", want, r.stdout)
		}
	}
	r = strata(t, noEnv, "diff", "--ci", "--no-new-packages=false", "--highest-package-size-increase", "2MB", a, b)
	wantExit(t, r, exitOK)
	if !hasLine(r.stdout, "  SKIP  noNewPackages: rule disabled") {
		t.Errorf("--no-new-packages=false:\n%s", r.stdout)
	}
	r = strata(t, noEnv, "diff", "--ci", "--highest-package-size-increase", "lots", a, b)
	wantExit(t, r, exitError)
}

func TestSBOMCommand(t *testing.T) {
	_, b := packageImages(t)
	out := filepath.Join(t.TempDir(), "sbom.json")
	r := strata(t, noEnv, "sbom", "-o", out, b)
	wantExit(t, r, exitOK)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validateCycloneDX(t, data)
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	var purls []string
	for _, c := range *bom.Components {
		purls = append(purls, c.PackageURL)
	}
	want := "pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12 pkg:deb/debian/libssl3@3.0.13-1~deb12u1?arch=amd64&distro=debian-12 pkg:deb/debian/python3-pip@23.0.1%2Bdfsg-1?arch=amd64&distro=debian-12"
	if got := strings.TrimSpace(strings.Join(purls, " ")); got != want {
		t.Errorf("purls:\n%s\nwant:\n%s", got, want)
	}
	r = strata(t, noEnv, "sbom", b)
	wantExit(t, r, exitOK)
	validateCycloneDX(t, []byte(r.stdout))

	for _, args := range [][]string{{"sbom"}, {"sbom", ""}, {"sbom", "a", "b"}, {"sbom", "-o", "", b}, {"sbom", filepath.Join(t.TempDir(), "missing.tar")}} {
		r := strata(t, noEnv, args...)
		wantExit(t, r, exitError)
		if strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%q: want one line on stderr:\n%s", args, r.stderr)
		}
	}
	// A failed run leaves nothing at -o, not even an earlier run's SBOM.
	r = strata(t, noEnv, "sbom", "-o", out, filepath.Join(t.TempDir(), "missing.tar"))
	wantExit(t, r, exitError)
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed sbom left the earlier SBOM in place")
	}
	if names := dirNames(t, filepath.Dir(out)); len(names) != 0 {
		t.Errorf("a failed sbom left %v", names)
	}
}

// validateCycloneDX checks a document against the CycloneDX 1.6 schema.
func validateCycloneDX(t *testing.T, doc []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	for _, name := range []string{"bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "analyze", "sbom", "testdata", "schema", name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("http://cyclonedx.org/schema/"+name, s); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("the SBOM is not JSON: %v\n%s", err, doc)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the SBOM does not follow the CycloneDX 1.6 schema: %v", err)
	}
}
