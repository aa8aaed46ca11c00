package report_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// encodeReport is how the report was written before Report.Write
// streamed it: encoding/json, indented by two spaces.
func encodeReport(t *testing.T, rep *report.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkReportBytes(t *testing.T, rep *report.Report) {
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
	img, err := source.Open("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	rep := report.New(res, report.Meta{Reference: "demo <&> \u2028", Source: "docker-archive", Platform: "linux/amd64"})
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

// stackRaw parses and stacks raw layer tars without an image around them.
func stackRaw(t *testing.T, layers ...[]imagetest.RawEntry) *analyze.Result {
	t.Helper()
	st := analyze.NewStack(nil, len(layers))
	for i, es := range layers {
		data, err := imagetest.RawTar(es, tar.FormatUnknown)
		if err != nil {
			t.Fatal(err)
		}
		p, err := analyze.ParseLayer(context.Background(), i, imagetest.BytesLayer(data))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Push(p); err != nil {
			t.Fatal(err)
		}
	}
	return st.Result()
}

func TestReportWriteOddNames(t *testing.T) {
	res := stackRaw(t,
		[]imagetest.RawEntry{
			{Name: "a<b>&c/x\"y\\z", Body: "1"},
			{Name: "ctl/\x01\x1f\t\n\x7f", Body: "2"},
			{Name: "utf/é☃\u2028\u2029", Body: "3"},
			{Name: "bad/\xff\xfe", Body: "4"},
			{Name: "link", Type: '2', Link: "<target>"},
			{Name: "a-b/y", Body: "5"},
			{Name: "a/y", Body: "6"},
			{Name: "a/y", Body: "7"},
		},
		[]imagetest.RawEntry{{Name: "a/.wh.y"}, {Name: "utf/.wh..wh..opq"}, {Name: ".wh..wh..opq"}, {Name: "ctl/.wh.\x01\x1f\t\n\x7f"}},
	)
	checkReportBytes(t, report.New(res, report.Meta{}))
}

func TestReportWriteError(t *testing.T) {
	res := stackRaw(t, []imagetest.RawEntry{{Name: "x", Body: "1"}})
	if err := report.New(res, report.Meta{}).Write(failWriter{}); !errors.Is(err, errWrite) {
		t.Errorf("Write to a failing writer returned %v", err)
	}
}

var errWrite = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

// analyzeWriting analyzes an image, writing each layer's part of the
// report as soon as the layer is stacked, as inspect --json does (with
// sorted, each layer's file list sorted from its entries by Writer.Sort
// while it is stacked). It returns how many layers were stacked.
func analyzeWriting(img image.Image, rw *report.Writer, sorted bool, opts ...analyze.Option) (*analyze.Result, int, error) {
	a, err := analyze.Start(context.Background(), img, opts...)
	if err != nil {
		return nil, 0, err
	}
	defer a.Close()
	for {
		p, err := a.Next()
		if errors.Is(err, io.EOF) {
			return a.Result(), len(a.Layers()), nil
		} else if err != nil {
			return nil, len(a.Layers()), err
		}
		if sorted {
			rw.Sort(p)
		}
		if _, err := a.Stack(p); err != nil {
			return nil, len(a.Layers()), err
		}
		if err := rw.WriteLayers(a.Tree(), a.Layers()); err != nil {
			return nil, len(a.Layers()), err
		}
	}
}

// streamReport writes the report of an image with a report.Writer while
// analysing it.
func streamReport(t *testing.T, img image.Image, meta report.Meta, sorted bool, opts ...analyze.Option) ([]byte, *analyze.Result) {
	t.Helper()
	var b bytes.Buffer
	rw := report.NewWriter(&b)
	res, _, err := analyzeWriting(img, rw, sorted, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.Finish(res, meta); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), res
}

func TestReportWriterIsWrite(t *testing.T) {
	img, err := source.Open("../../testdata/demo.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	meta := report.Meta{Reference: "demo", Source: "docker-archive", Platform: "linux/amd64"}
	for _, parallel := range []int{1, 2, 4} {
		for _, sorted := range []bool{false, true} {
			got, res := streamReport(t, img, meta, sorted, analyze.WithParallelism(parallel))
			var want bytes.Buffer
			if err := report.New(res, meta).Write(&want); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("parallelism %d, sorted from the entries %v: the streamed report (%d bytes) differs from Report.Write's (%d bytes)", parallel, sorted, len(got), want.Len())
			}
		}
	}
	empty := imagetest.LayersImage{}
	got, res := streamReport(t, empty, meta, true)
	var want bytes.Buffer
	if err := report.New(res, meta).Write(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) || !bytes.Contains(got, []byte(`"layer": []`)) {
		t.Errorf("the streamed report of no layers:\n%s\nReport.Write's:\n%s", got, want.Bytes())
	}
}

// TestReportWriterError checks that a failing writer ends the analysis
// with its error: WriteLayers returns it once the goroutine that writes
// layers' parts has met it, a layer or two later, and Finish at the
// latest.
func TestReportWriterError(t *testing.T) {
	var es []imagetest.RawEntry
	for i := range 5000 { // about 1.3 MB of report, more than is buffered
		es = append(es, imagetest.RawEntry{Name: fmt.Sprintf("dir/file-%d", i), Body: "x"})
	}
	data, err := imagetest.RawTar(es, tar.FormatUnknown)
	if err != nil {
		t.Fatal(err)
	}
	l := imagetest.BytesLayer(data)
	img := imagetest.LayersImage{l, l, l, l, l, l}
	for _, sorted := range []bool{false, true} {
		rw := report.NewWriter(failWriter{})
		res, stacked, err := analyzeWriting(img, rw, sorted)
		if err == nil {
			err = rw.Finish(res, report.Meta{})
		}
		switch {
		case !errors.Is(err, errWrite):
			t.Errorf("sorted from the entries %v: a failing report writer ended in %v, want %v", sorted, err, errWrite)
		case !sorted && stacked != 1:
			t.Errorf("written on the stacking goroutine, the error came after %d layers, want 1", stacked)
		}
		rw.Stop()
	}
}

// TestReportWriteSparseFile: a sparse file's stored size is written, as
// encoding/json writes it, beside its logical size.
func TestReportWriteSparseFile(t *testing.T) {
	data, err := os.ReadFile("../tarparse/testdata/sparse/gnu.tar")
	if err != nil {
		t.Fatal(err)
	}
	p, err := analyze.ParseLayer(context.Background(), 0, imagetest.BytesLayer(data))
	if err != nil {
		t.Fatal(err)
	}
	st := analyze.NewStack(nil, 1)
	if _, err := st.Push(p); err != nil {
		t.Fatal(err)
	}
	rep := report.New(st.Result(), report.Meta{})
	files := rep.Layer[0].FileList.Files()
	if len(files) != 1 || files[0].Size != 1<<20 || files[0].StoredSize == 0 || files[0].StoredSize >= 1<<20 {
		t.Fatalf("file list %+v, want /f with a size of 1 MiB and a stored size of a few KB", files)
	}
	checkReportBytes(t, rep)
}

// TestReportWriteFindings: the findings are written as encoding/json
// writes them, after the image's part, and the streamed report has them
// too.
func TestReportWriteFindings(t *testing.T) {
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
	meta := report.Meta{Reference: "demo", Findings: a.Findings(res)}
	if len(meta.Findings) == 0 {
		t.Fatal("no findings in the demo image")
	}
	rep := report.New(res, meta)
	checkReportBytes(t, rep)
	var streamed bytes.Buffer
	rw := report.NewWriter(&streamed)
	if err := rw.Finish(res, meta); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := rep.Write(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(streamed.Bytes(), want.Bytes()) {
		t.Error("the streamed report's findings differ from Report.Write's")
	}
}
