package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// BenchmarkWrite writes the report of a generated image of 3 layers and
// about 30,000 files: with the writer `inspect --json` uses, and with
// encoding/json, which it replaced. Both write the same bytes (see
// TestReportWriteIsEncodingJSON); the difference in time and memory is
// why write.go exists.
func BenchmarkWrite(b *testing.B) {
	var steps []imagetest.Step
	for l := range 3 {
		var es []imagetest.Entry
		for i := range 10_000 {
			es = append(es, imagetest.Reg(fmt.Sprintf("srv/app/dir-%03d/file-%06d.txt", i%100, l*10_000+i), "x"))
		}
		steps = append(steps, imagetest.Step{CreatedBy: "COPY . /srv/app", Entries: es})
	}
	v1img, err := imagetest.Image(steps)
	if err != nil {
		b.Fatal(err)
	}
	img, err := image.FromV1(v1img)
	if err != nil {
		b.Fatal(err)
	}
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		b.Fatal(err)
	}
	rep := report.New(res, report.Meta{Reference: "bench"})
	b.Run("strata", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := rep.Write(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			enc := json.NewEncoder(io.Discard)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rep); err != nil {
				b.Fatal(err)
			}
		}
	})
}
