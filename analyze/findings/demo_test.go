package findings_test

import (
	"context"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/source"
)

// TestDemoImage: the demo image gets the findings a reader of
// testdata/demo.Dockerfile expects, and its waste findings add up to its
// reclaimable bytes.
func TestDemoImage(t *testing.T) {
	img, err := source.Open("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	a := findings.New()
	res, err := analyze.Analyze(context.Background(), img, analyze.WithObserver(a))
	if err != nil {
		t.Fatal(err)
	}
	fs := a.Findings(res)
	var sum int64
	for _, f := range fs {
		if f.ID.IsWaste() {
			sum += f.Bytes
		}
		t.Logf("%s %d %v %q", f.ID, f.Bytes, f.Steps, f.Title)
	}
	if sum != int64(res.Metrics.ReclaimableBytes) {
		t.Errorf("the waste findings add up to %d, reclaimable bytes are %d", sum, res.Metrics.ReclaimableBytes)
	}
	// apt lists written by layer 1 and deleted by layer 2; run.sh re-added
	// by chmod in layer 5; config.yaml rewritten by the sed steps (layers 6
	// and 8); static/ hidden by layer 7's opaque directory.
	want := map[string]bool{
		"deleted-later [1,2]": false, "metadata-rewrite [4,5]": false, "overwritten [4,6]": false,
		"overwritten [6,8]": false, "opaque-hidden [4,7]": false,
	}
	for _, f := range fs {
		if f.ID.IsWaste() {
			key := string(f.ID) + " " + layersOf(f)
			if _, ok := want[key]; ok {
				want[key] = true
			}
		}
	}
	for k, found := range want {
		if !found {
			t.Errorf("no %s finding", k)
		}
	}
}

func layersOf(f findings.Finding) string {
	s := "["
	for i, st := range f.Steps {
		if i > 0 {
			s += ","
		}
		s += string(rune('0' + st.Layer))
	}
	return s + "]"
}
