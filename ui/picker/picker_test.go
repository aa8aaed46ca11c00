package picker

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// The picker draws one row a platform, the platform escaped, sizes that
// are not known as "unknown", and the kinds of the attestations that
// describe it (each once; an SBOM in either format is "sbom"); the cursor
// moves with the keys and Selected follows it.
func TestPickerRows(t *testing.T) {
	m := New(panetest.Styles(t, common.Plain))
	m.SetRows([]index.Row{
		{Platform: "linux/amd64", CompressedBytes: 67_000_000, UncompressedBytes: -1, Layers: 8, SharedBytes: 25_000_000},
		{Platform: "linux/\x1b]0;pwned\x07arm64", CompressedBytes: 66_000_000, UncompressedBytes: 180_000_000, Layers: 8, SharedBytes: 25_000_000},
		{Platform: "linux/s390x", CompressedBytes: -1, UncompressedBytes: -1, Layers: -1, Absent: "containerd did not pull it"},
	})
	m.SetAttestations([]index.Attestation{
		{Platform: 0, Statements: []index.StatementRef{{PredicateType: "https://spdx.dev/Document"}, {PredicateType: "https://cyclonedx.org/bom"},
			{PredicateType: "https://slsa.dev/provenance/v0.2"}}},
		{Platform: 1, Absent: "the registry does not have it"},
		{Platform: -1, Statements: []index.StatementRef{{PredicateType: "https://slsa.dev/provenance/v1"}}},
	})
	m.SetSize(120, 7)
	view := m.View()
	panetest.RequireSize(t, view, 120, 7)
	panetest.RequireLines(t, panetest.Inner(view),
		"  Platform                Compressed  Uncompressed  Layers    Shared  Attestations",
		"> linux/amd64                  67 MB       unknown       8     25 MB  sbom, provenance",
		`  linux/\x1b]0;pwned…          66 MB        180 MB       8     25 MB  absent`,
		"  linux/s390x                unknown       unknown       ?       0 B  not here: containerd did not pull it",
		"")
	if strings.Contains(view, "\x1b]0") {
		t.Error("the platform's escape reached the screen")
	}
	m = panetest.Send(m, panetest.Key(m.KeyMap().Bottom))
	if r, ok := m.Selected(); !ok || r.Platform != "linux/s390x" {
		t.Errorf("after bottom the selected row is %+v", r)
	}
}
