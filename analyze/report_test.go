package analyze_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
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

// streamReport writes the report of an image with a ReportWriter while
// analysing it.
func streamReport(t *testing.T, img image.Image, meta analyze.ReportMeta, opts ...analyze.Option) ([]byte, *analyze.Result) {
	t.Helper()
	var b bytes.Buffer
	rw := analyze.NewReportWriter(&b)
	res, err := analyze.Analyze(context.Background(), img, append(opts, analyze.WithStacked(rw.Stacked))...)
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.Finish(res, meta); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), res
}

func TestReportWriterIsWrite(t *testing.T) {
	img, err := source.Open("../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	meta := analyze.ReportMeta{Reference: "demo", Source: "docker-archive", Platform: "linux/amd64"}
	for _, parallel := range []int{1, 2, 4} {
		got, res := streamReport(t, img, meta, analyze.WithParallelism(parallel))
		var want bytes.Buffer
		if err := analyze.NewReport(res, meta).Write(&want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("parallelism %d: the streamed report (%d bytes) differs from Report.Write's (%d bytes)", parallel, len(got), want.Len())
		}
	}
	empty := fakeImage{}
	got, res := streamReport(t, empty, meta)
	var want bytes.Buffer
	if err := analyze.NewReport(res, meta).Write(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) || !bytes.Contains(got, []byte(`"layer": []`)) {
		t.Errorf("the streamed report of no layers:\n%s\nReport.Write's:\n%s", got, want.Bytes())
	}
}

// TestReportWriterError checks that a failing writer ends the analysis
// with its error, at the layer whose part no longer fits its buffer.
func TestReportWriterError(t *testing.T) {
	var hs []hdr
	for i := range 5000 { // about 1.3 MB of report, more than is buffered
		hs = append(hs, hdr{name: fmt.Sprintf("dir/file-%d", i), body: "x"})
	}
	data := rawTar(t, hs)
	l := image.Layer{Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	img := fakeImage{layers: []image.Layer{l, l, l}}
	rw := analyze.NewReportWriter(failWriter{})
	stacked := 0
	_, err := analyze.Analyze(context.Background(), img, analyze.WithStacked(func(b *analyze.Builder) error {
		stacked++
		return rw.Stacked(b)
	}))
	if !errors.Is(err, errWrite) || stacked != 1 {
		t.Errorf("Analyze with a failing report writer returned %v after %d layers, want %v after 1", err, stacked, errWrite)
	}
}

// fakeImage is an image of the given layers and an empty config.
type fakeImage struct{ layers []image.Layer }

func (fakeImage) ConfigFile() (*v1.ConfigFile, error) { return &v1.ConfigFile{}, nil }
func (f fakeImage) Layers() ([]image.Layer, error)    { return f.layers, nil }
