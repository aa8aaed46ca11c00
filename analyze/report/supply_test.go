package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/source"
)

// TestReportWriteSupply: the base, referrers and signature keys are
// written after the findings, as encoding/json writes them, streamed or
// not, and left out when not set.
func TestReportWriteSupply(t *testing.T) {
	img, err := source.Open("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	n, size := 1, int64(5<<20)
	meta := report.Meta{Reference: "demo", Supply: &report.Supply{
		Base: &report.Base{Reference: "docker.io/library/alpine:3.20", Digest: "sha256:ab", LayerCount: &n, SizeBytes: &size, From: "flag", Verified: true,
			YourLayers: &report.LayerMetrics{FirstLayer: 1, SizeBytes: 10, EfficiencyScore: 1}},
		Referrers: []report.Referrer{{Kind: "signature", ArtifactType: "application/vnd.dev.cosign.simplesigning.v1+json", Digest: "sha256:cd",
			SizeBytes: 900, Found: "tag", Tag: "sha256-ab.sig", Signatures: []report.Signature{{Format: "simple-signing", Identity: "dev@example.com <\u2028>", Status: "verified"}}}},
		Signature: &report.Verification{Key: "sha256:ef", Verified: true, Signatures: 1, VerifiedCount: 1, Summary: "verified with cosign.pub (1 of 1 signature)"},
	}}
	rep := report.New(res, meta)
	checkReportBytes(t, rep)
	var streamed, want bytes.Buffer
	if err := report.NewWriter(&streamed).Finish(res, meta); err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(streamed.Bytes(), want.Bytes()) {
		t.Error("the streamed report's supply keys differ from Report.Write's")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(want.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"base", "referrers", "signature"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q key", k)
		}
	}
	rep = report.New(res, report.Meta{Reference: "demo", Supply: &report.Supply{}})
	checkReportBytes(t, rep)
	want.Reset()
	rep.Write(&want)
	if bytes.Contains(want.Bytes(), []byte(`"referrers"`)) || bytes.Contains(want.Bytes(), []byte(`"base"`)) {
		t.Error("empty supply keys were written")
	}
}
