package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// TestReportWritePackages: the packages and their summary are written as
// encoding/json writes them, after the findings, by Report.Write and by
// the streamed Writer; names keep their exact bytes.
func TestReportWritePackages(t *testing.T) {
	status := "Package: <odd>&\u2028name\nStatus: install ok installed\nVersion: 1:2.0~rc1\nArchitecture: amd64\n\n"
	for _, steps := range [][]imagetest.Step{
		{
			{CreatedBy: "base", Entries: []imagetest.Entry{
				imagetest.Reg("var/lib/dpkg/status", status),
				imagetest.Reg("var/lib/dpkg/info/<odd>&\u2028name.list", "/usr/bin/odd\n"),
				imagetest.Reg("usr/bin/odd", "odd"),
			}},
			{CreatedBy: "RUN npm install", Entries: []imagetest.Entry{
				imagetest.Reg("app/node_modules/x/package.json", `{"name":"x","version":"1.0.0"}`),
			}},
		},
		{{CreatedBy: "no packages", Entries: []imagetest.Entry{imagetest.Reg("a", "a")}}},
	} {
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
		meta := report.Meta{Reference: "packages", Packages: a.Packages(res)}
		rep := report.New(res, meta)
		checkReportBytes(t, rep)
		var want, streamed bytes.Buffer
		if err := rep.Write(&want); err != nil {
			t.Fatal(err)
		}
		if err := report.NewWriter(&streamed).Finish(res, meta); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(streamed.Bytes(), want.Bytes()) {
			t.Error("the streamed report's packages differ from Report.Write's")
		}
		var doc struct {
			Packages []struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Layer   int    `json:"layer"`
			} `json:"packages"`
			Summary *struct {
				Packages         int `json:"packages"`
				UnownedFileCount int `json:"unownedFileCount"`
			} `json:"packageSummary"`
		}
		if err := json.Unmarshal(want.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Summary == nil || doc.Summary.Packages != len(doc.Packages) {
			t.Errorf("packageSummary %+v for %d packages", doc.Summary, len(doc.Packages))
		}
		if len(steps) == 2 && (len(doc.Packages) != 2 || doc.Packages[0].Name != "<odd>&\u2028name" ||
			doc.Packages[0].Version != "1:2.0~rc1" || doc.Packages[1].Layer != 1) {
			t.Errorf("packages: %+v", doc.Packages)
		}
	}
}
