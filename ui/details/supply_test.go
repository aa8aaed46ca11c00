package details

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// The image's details add the base, your layers' figures, the signature
// and one line a referrer, the image's strings escaped.
func TestImageSupply(t *testing.T) {
	m := NewImage(panetest.Styles(t, common.Plain))
	m.SetSize(170, 24)
	m.SetImage(Image{Reference: "r", Layers: 8, Analyzed: 8, Metrics: metrics.Metrics{SizeBytes: 33_000, Efficiency: 1},
		Supply: &Supply{
			Base:      "alpine:3.20\x1b[2J · layers 0–2 · named by --base",
			Yours:     &metrics.Metrics{SizeBytes: 20_000, Efficiency: 0.5, WastedBytes: 1000, ReclaimableBytes: 500},
			YoursFrom: 3,
			Signature: "verified with cosign.pub (1 of 1 signature)",
			Referrers: []Referrer{{Kind: "signature", ArtifactType: "application/vnd.dev.cosign.simplesigning.v1+json",
				Digest: "sha256:f99502fee1db0123456789", Size: 1000, Signer: "me@example.com\u202e (https://issuer)"}},
		}})
	lines := panetest.Inner(m.View())
	want := []string{
		`Base         alpine:3.20\x1b[2J · layers 0–2 · named by --base`,
		"Your layers  20 kB from layer 3 · efficiency 50.00 % · wasted 1.0 kB · reclaimable 500 B",
		"Signature    verified with cosign.pub (1 of 1 signature)",
		"Referrers    1",
		`  signature   sha256:f99502fee1db    1.0 kB  application/vnd.dev.cosign.simplesigning.v1+json · signed by me@example.com\u202e (https://issuer)`,
	}
	panetest.RequireLines(t, lines[9:14], want...)
	if strings.Contains(m.View(), "\x1b[2J") || strings.Contains(m.View(), "\u202e") {
		t.Error("the image's control characters reached the screen")
	}
}
