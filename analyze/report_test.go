package analyze_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/source"
)

// encodeReport is how the report was written before Report.Write
// streamed it: encoding/json, indented by two spaces.
func encodeReport(t *testing.T, rep *analyze.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkReportBytes(t *testing.T, rep *analyze.Report) {
	t.Helper()
	var got bytes.Buffer
	if err := rep.Write(&got); err != nil {
		t.Fatal(err)
	}
	if want := encodeReport(t, rep); !bytes.Equal(got.Bytes(), want) {
		i := 0
		for i < min(got.Len(), len(want)) && got.Bytes()[i] == want[i] {
			i++
		}
		t.Errorf("Write differs from encoding/json at byte %d:\ngot:  %q\nwant: %q",
			i, got.Bytes()[max(0, i-80):min(got.Len(), i+80)], want[max(0, i-80):min(len(want), i+80)])
	}
}

func TestReportWriteIsEncodingJSON(t *testing.T) {
	img, err := source.Open("../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	rep := analyze.NewReport(res, analyze.ReportMeta{Reference: "demo <&> \u2028", Source: "docker-archive", Platform: "linux/amd64"})
	checkReportBytes(t, rep)
	rep.Layer[1].Warnings = []string{"a warning", "another \"one\""}
	checkReportBytes(t, rep)
	rep.Layer[0].Created = nil
	checkReportBytes(t, rep)
	rep.Image.EfficiencyScore, rep.Image.UserWastedPercent = 1e-7, 1e21
	rep.Image.History = nil
	checkReportBytes(t, rep)
	rep.Image.FileReference = rep.Image.FileReference[:0]
	checkReportBytes(t, rep)
	rep.Image.FileReference = nil
	checkReportBytes(t, rep)
	rep.Layer = rep.Layer[:0]
	checkReportBytes(t, rep)
	rep.Layer = nil
	checkReportBytes(t, rep)
}

func TestReportWriteOddNames(t *testing.T) {
	res := stackRaw(t,
		[]hdr{
			{name: "a<b>&c/x\"y\\z", body: "1"},
			{name: "ctl/\x01\x1f\t\n\x7f", body: "2"},
			{name: "utf/é☃\u2028\u2029", body: "3"},
			{name: "bad/\xff\xfe", body: "4"},
			{name: "link", typ: '2', link: "<target>"},
			{name: "a-b/y", body: "5"},
			{name: "a/y", body: "6"},
			{name: "a/y", body: "7"},
		},
		[]hdr{{name: "a/.wh.y"}, {name: "utf/.wh..wh..opq"}, {name: ".wh..wh..opq"}, {name: "ctl/.wh.\x01\x1f\t\n\x7f"}},
	)
	checkReportBytes(t, analyze.NewReport(res, analyze.ReportMeta{}))
}

func TestReportWriteError(t *testing.T) {
	res := stackRaw(t, []hdr{{name: "x", body: "1"}})
	if err := analyze.NewReport(res, analyze.ReportMeta{}).Write(failWriter{}); !errors.Is(err, errWrite) {
		t.Errorf("Write to a failing writer returned %v", err)
	}
}

var errWrite = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }
