package metrics_test

import (
	"context"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// TestForLayers: the figures of the layers above a base count what those
// layers waste, not what they overwrite of the base, and the whole image's
// figures stay dive's.
func TestForLayers(t *testing.T) {
	v1img, err := imagetest.Image([]imagetest.Step{
		{CreatedBy: "base", Entries: []imagetest.Entry{{Path: "/etc/a", Size: 100}, {Path: "/b", Size: 50}}},
		{CreatedBy: "RUN upgrade", Entries: []imagetest.Entry{{Path: "/etc/a", Size: 100}}},
		{CreatedBy: "COPY c", Entries: []imagetest.Entry{{Path: "/c", Size: 10}}},
		{CreatedBy: "COPY c again", Entries: []imagetest.Entry{{Path: "/c", Size: 20}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.FromV1(v1img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	whole := res.Metrics
	if whole.WastedBytes != 230 || whole.ReclaimableBytes != 110 {
		t.Errorf("whole image: wasted %d, reclaimable %d; want 230, 110", whole.WastedBytes, whole.ReclaimableBytes)
	}
	yours := metrics.ForLayers(res.Tree, res.Layers, 1)
	var size uint64
	for _, l := range res.Layers[1:] {
		size += uint64(l.Size)
	}
	if yours.SizeBytes != size || yours.UserSizeBytes != size {
		t.Errorf("your layers' size %d (user %d), want %d", yours.SizeBytes, yours.UserSizeBytes, size)
	}
	if yours.WastedBytes != 30 || yours.ReclaimableBytes != 10 || len(yours.Inefficient) != 1 || yours.Inefficient[0].Path != "/c" {
		t.Errorf("your layers: wasted %d, reclaimable %d, inefficient %+v; want 30, 10, c", yours.WastedBytes, yours.ReclaimableBytes, yours.Inefficient)
	}
	if want := float64(30) / float64(size); yours.UserWastedPercent != want {
		t.Errorf("user wasted %v, want %v", yours.UserWastedPercent, want)
	}
	if all := metrics.ForLayers(res.Tree, res.Layers, 0); all.WastedBytes != whole.WastedBytes || all.Efficiency != whole.Efficiency || all.ReclaimableBytes != whole.ReclaimableBytes {
		t.Errorf("from layer 0: %+v, want the whole image's %+v", all, whole)
	}
	if again := res.Metrics; again.WastedBytes != whole.WastedBytes {
		t.Error("ForLayers changed the analysis's metrics")
	}
}
