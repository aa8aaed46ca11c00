package main

import (
	"bytes"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/strata-dev/strata/internal/livetest"
)

// TestLiveSBOM writes the SBOM of the packages image (.ci/run builds it on
// a debootstrapped Debian with apt-get, pip, npm and rpm) and checks it
// against the CycloneDX schema, with a component for each package the
// image's own tools installed.
func TestLiveSBOM(t *testing.T) {
	archive := livetest.PackagesArchive(t)
	r := strata(t, noEnv, "sbom", archive)
	wantExit(t, r, exitOK)
	validateCycloneDX(t, []byte(r.stdout))
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader([]byte(r.stdout)), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, c := range *bom.Components {
		for _, prefix := range []string{"pkg:deb/debian/jq@", "pkg:pypi/strata-demo@1.0.0", "pkg:npm/strata-npm-demo@1.0.0",
			"pkg:rpm/debian/strata-hello@1.0-1", "pkg:golang/example.com/strata/gohello", "pkg:deb/debian/libc6@"} {
			if strings.HasPrefix(c.PackageURL, prefix) {
				found[prefix] = true
			}
		}
		if c.Type == cdx.ComponentTypeOS && (c.Name != "debian" || c.Version != "12") {
			t.Errorf("operating system: %s %s", c.Name, c.Version)
		}
	}
	if len(found) != 6 || len(*bom.Components) < 100 {
		t.Errorf("%d components; found %v", len(*bom.Components), found)
	}
}
