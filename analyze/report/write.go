package report

import (
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// Write writes the report as indented JSON: the bytes json.Encoder writes
// with SetIndent("", "  "), streamed one layer's file list at a time
// instead of built whole in memory first.
func (r *Report) Write(w io.Writer) error {
	e := &reportWriter{w: w}
	// The next layer's file list is sorted on another goroutine while this
	// one's is written: at most two are held at once.
	sorted := make(chan sortedFiles)
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for i := range r.Layer {
			var s sortedFiles
			if fl := r.Layer[i].FileList; fl.tree != nil {
				s = sortFiles(fl.tree, fl.layer)
			}
			select {
			case sorted <- s:
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		<-stopped
	}()
	e.begin()
	for i := range r.Layer {
		s := <-sorted
		e.layer(&r.Layer[i], &s)
	}
	e.end(r.Layer == nil, &r.Image, r.Findings, r.Packages, r.PackageSummary, &Supply{Base: r.Base, Referrers: r.Referrers, Signature: r.Signature})
	return e.finish()
}

// Writer writes the report of an analysis while it runs: each layer's
// part as soon as the layer is stacked, the image's at the end — the same
// bytes as [Report.Write], with no wait for a report of the whole image at
// the end. A reader may see part of the document before [Writer.Finish];
// write to a temporary file, or where a failure leaves nothing anyone
// reads.
//
// A layer's file list sorted by [Writer.Sort] is written on a goroutine of
// the Writer's own, while the next layers are stacked: it needs the
// layer's entries, not the tree. Call [Writer.Finish], or [Writer.Stop]
// when the report is abandoned.
type Writer struct {
	e       *reportWriter
	written int // layers written
	sorting *pendingSort
	// parts go to the goroutine that writes them, in order; it sends on
	// idle when asked (an empty part) once it has written every part
	// before, and closes stopped once parts is closed.
	parts   chan layerPart
	idle    chan struct{}
	stopped chan struct{}
	stop    sync.Once
	// failed is the goroutine's first write error, for WriteLayers.
	failed atomic.Pointer[error]
}

// layerPart is a layer's part of the report, for the writing goroutine.
type layerPart struct {
	layer Layer
	files fileSource
}

// NewWriter starts a report on w.
func NewWriter(w io.Writer) *Writer {
	rw := &Writer{e: &reportWriter{w: w}, parts: make(chan layerPart), idle: make(chan struct{}), stopped: make(chan struct{})}
	rw.e.begin()
	go rw.writeParts()
	return rw
}

// writeParts writes the parts sent, in order, and says when it is idle:
// an empty part (no files) is a request to be told so.
func (rw *Writer) writeParts() {
	defer close(rw.stopped)
	for p := range rw.parts {
		if p.files == nil {
			rw.idle <- struct{}{}
			continue
		}
		rw.e.layer(&p.layer, p.files)
		if err := rw.e.err; err != nil && rw.failed.Load() == nil {
			rw.failed.Store(&err)
		}
	}
}

// wait returns once every part sent is written; the goroutine that
// writes them touches nothing of the Writer's until the next is sent.
func (rw *Writer) wait() {
	rw.parts <- layerPart{}
	<-rw.idle
}

// WriteLayers writes the part of every layer stacked on t since the last
// call; layers are all the layers stacked so far. The part of a layer
// Sort sorted is written on the Writer's goroutine, any other's before
// WriteLayers returns (it reads the tree, which only the goroutine that
// stacks may). A write error is returned by a later call or by Finish.
func (rw *Writer) WriteLayers(t *tree.Tree, layers []*tree.Layer) error {
	for ; rw.written < len(layers); rw.written++ {
		l := layers[rw.written]
		rl := newLayer(t, layers, l)
		if ps := rw.sorting; ps != nil && ps.index == l.Index {
			rw.sorting = nil
			rw.parts <- layerPart{rl, parsedFiles{ps.entries, <-ps.order}}
			continue
		}
		s := sortFiles(t, l)
		rw.parts <- layerPart{rl, &s}
		rw.wait()
	}
	if err := rw.failed.Load(); err != nil {
		return *err
	}
	return nil
}

// Sort starts sorting the file list of p, a layer just read, on a
// goroutine of its own, from its parsed entries, while the analysis
// stacks it: WriteLayers then writes p's part from them (the same bytes)
// instead of sorting the tree's versions of it on the goroutine that
// stacks the layers. Call it before the analysis stacks p, which lets go
// of p's entries.
func (rw *Writer) Sort(p *analyze.ParsedLayer) {
	es, order := p.Entries, make(chan []int32, 1)
	go func() { order <- analyze.PathOrder(es) }()
	rw.sorting = &pendingSort{index: p.Index, entries: es, order: order}
}

// pendingSort is a layer's file list being sorted by [Writer.Sort].
type pendingSort struct {
	index   int
	entries *tarparse.Entries
	order   chan []int32
}

// Finish writes the parts of the layers not written yet and the image's,
// and flushes what it buffered.
func (rw *Writer) Finish(res *analyze.Result, meta Meta) error {
	rw.WriteLayers(res.Tree, res.Layers)
	rw.Stop()
	img := newImage(res, meta)
	pkgs, summary := meta.packages()
	rw.e.end(false, &img, meta.Findings, pkgs, summary, meta.Supply)
	return rw.e.finish()
}

// Stop stops the goroutine that writes layers' parts, once it has written
// those sent. Finish calls it; call it for a report abandoned.
func (rw *Writer) Stop() {
	rw.stop.Do(func() {
		close(rw.parts)
		<-rw.stopped
	})
}

// reportWriter writes JSON and keeps the first error. It builds the
// report in a buffer that it hands to w whole once it holds a chunk.
type reportWriter struct {
	w      io.Writer
	buf    []byte
	err    error
	layers int // layers written
}

// reportChunk is how much of the report is handed to w at a time.
const reportChunk = 1 << 20

// begin writes the document up to the first layer.
func (e *reportWriter) begin() { e.str("{\n  \"layer\": ") }

// end closes the layer list, null when there is none, and writes the
// image's part, the findings, the packages and the supply-chain keys.
func (e *reportWriter) end(null bool, img *Image, fs []findings.Finding, pkgs []packages.Package, summary *packages.Summary, s *Supply) {
	switch {
	case e.layers > 0:
		e.str("\n  ]")
	case null:
		e.str("null")
	default:
		e.str("[]")
	}
	e.str(",\n  \"image\": ")
	e.image(img)
	if len(fs) > 0 {
		e.str(",\n  \"findings\": ")
		e.json(fs, "  ")
	}
	if len(pkgs) > 0 {
		e.str(",\n  \"packages\": ")
		e.json(pkgs, "  ")
	}
	if summary != nil {
		e.str(",\n  \"packageSummary\": ")
		e.json(summary, "  ")
	}
	e.supply(s)
	e.str("\n}\n")
}

// finish writes what is buffered.
func (e *reportWriter) finish() error {
	e.send()
	return e.err
}

func (e *reportWriter) str(s string) {
	e.buf = append(e.buf, s...)
	e.flush()
}

// flush hands the buffer to w once it holds a chunk.
func (e *reportWriter) flush() {
	if len(e.buf) >= reportChunk {
		e.send()
	}
}

// send writes the buffer. After an error nothing more is written.
func (e *reportWriter) send() {
	if e.err == nil && len(e.buf) > 0 {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

// json writes v as encoding/json indents it at the given depth.
func (e *reportWriter) json(v any, prefix string) {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil && e.err == nil {
		e.err = err
	}
	e.buf = append(e.buf, b...)
	e.flush()
}

// layer writes one layer at depth 2, in Layer's field order, with its
// file list.
func (e *reportWriter) layer(l *Layer, files fileSource) {
	const in = "\n      "
	sep := ",\n"
	if e.layers == 0 {
		sep = "[\n"
	}
	e.layers++
	b := append(append(e.buf, sep...), "    {"+in+`"index": `...)
	b = strconv.AppendInt(b, int64(l.Index), 10)
	b = appendJSONString(append(b, ","+in+`"id": `...), l.ID)
	b = appendJSONString(append(b, ","+in+`"digestId": `...), l.DigestID)
	b = strconv.AppendInt(append(b, ","+in+`"sizeBytes": `...), l.SizeBytes, 10)
	b = appendJSONString(append(b, ","+in+`"command": `...), l.Command)
	e.buf = append(b, ","+in+`"fileList": `...)
	e.files(files)
	b = appendJSONString(append(e.buf, ","+in+`"digest": `...), l.Digest)
	b = appendJSONString(append(b, ","+in+`"diffId": `...), l.DiffID)
	b = appendJSONString(append(b, ","+in+`"mediaType": `...), l.MediaType)
	b = strconv.AppendInt(append(b, ","+in+`"compressedSizeBytes": `...), l.CompressedSizeBytes, 10)
	b = appendJSONString(append(b, ","+in+`"createdBy": `...), l.CreatedBy)
	if l.Created != nil {
		e.buf = append(b, ","+in+`"created": `...)
		e.json(l.Created, "      ")
		b = e.buf
	}
	b = strconv.AppendInt(append(b, ","+in+`"fileCount": `...), int64(l.FileCount), 10)
	e.buf = append(b, ","+in+`"changes": `...)
	e.json(l.Changes, "      ")
	if len(l.Warnings) > 0 {
		e.buf = append(e.buf, ","+in+`"warnings": `...)
		e.json(l.Warnings, "      ")
	}
	e.buf = append(e.buf, "\n    }"...)
	e.flush()
}

// image writes the image's object at depth 1, in Image's field order, its
// file references one at a time.
func (e *reportWriter) image(m *Image) {
	const in = "\n    "
	b := strconv.AppendUint(append(e.buf, "{"+in+`"sizeBytes": `...), m.SizeBytes, 10)
	b = strconv.AppendUint(append(b, ","+in+`"inefficientBytes": `...), m.InefficientBytes, 10)
	e.buf = append(b, ","+in+`"efficiencyScore": `...)
	e.json(m.EfficiencyScore, "")
	e.buf = append(e.buf, ","+in+`"fileReference": `...)
	switch {
	case m.FileReference == nil:
		e.buf = append(e.buf, "null"...)
	case len(m.FileReference) == 0:
		e.buf = append(e.buf, "[]"...)
	default:
		const in2 = "\n        "
		b := append(e.buf, '[')
		for i := range m.FileReference {
			f := &m.FileReference[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(append(b, "\n      {"+in2+`"count": `...), int64(f.Count), 10)
			b = strconv.AppendInt(append(b, ","+in2+`"sizeBytes": `...), f.SizeBytes, 10)
			b = appendJSONString(append(b, ","+in2+`"file": `...), f.File)
			b = append(b, "\n      }"...)
			if len(b) >= reportChunk {
				e.buf = b
				e.flush()
				b = e.buf
			}
		}
		e.buf = append(b, "\n    ]"...)
	}
	b = appendJSONString(append(e.buf, ","+in+`"reference": `...), m.Reference)
	b = appendJSONString(append(b, ","+in+`"source": `...), m.Source)
	b = appendJSONString(append(b, ","+in+`"platform": `...), m.Platform)
	b = strconv.AppendUint(append(b, ","+in+`"userSizeBytes": `...), m.UserSizeBytes, 10)
	e.buf = append(b, ","+in+`"userWastedPercent": `...)
	e.json(m.UserWastedPercent, "")
	b = strconv.AppendUint(append(e.buf, ","+in+`"reclaimableBytes": `...), m.ReclaimableBytes, 10)
	e.buf = append(b, ","+in+`"history": `...)
	e.json(m.History, "    ")
	e.buf = append(e.buf, "\n  }"...)
	e.flush()
}

// files writes a layer's file list at depth 3, flushing every few entries.
func (e *reportWriter) files(s fileSource) {
	n := s.len()
	if n == 0 {
		e.buf = append(e.buf, "[]"...)
		return
	}
	const in = "\n          "
	b := append(e.buf, '[')
	for i := range n {
		f := s.file(i)
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(append(b, "\n        {"+in+`"path": `...), f.Path)
		b = strconv.AppendUint(append(b, ","+in+`"typeFlag": `...), uint64(f.TypeFlag), 10)
		b = appendJSONString(append(b, ","+in+`"linkName": `...), f.LinkName)
		b = strconv.AppendInt(append(b, ","+in+`"size": `...), f.Size, 10)
		b = strconv.AppendUint(append(b, ","+in+`"fileMode": `...), uint64(f.FileMode), 10)
		b = strconv.AppendInt(append(b, ","+in+`"uid": `...), f.UID, 10)
		b = strconv.AppendInt(append(b, ","+in+`"gid": `...), f.GID, 10)
		b = strconv.AppendBool(append(b, ","+in+`"isDir": `...), f.IsDir)
		if f.StoredSize != 0 {
			b = strconv.AppendInt(append(b, ","+in+`"storedSize": `...), f.StoredSize, 10)
		}
		b = append(b, "\n        }"...)
		if len(b) >= reportChunk {
			e.buf = b
			e.flush()
			b = e.buf
		}
	}
	e.buf = append(b, "\n      ]"...)
}

// appendJSONString appends s as encoding/json quotes it (HTML characters
// escaped): plain printable ASCII directly, anything else through
// encoding/json itself.
func appendJSONString[S ~string](b []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(string(s)) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
