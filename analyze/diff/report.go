package diff

import (
	"encoding/json"
	"io"

	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// Report is the document `strata diff --json` writes. docs/json.md, "strata
// diff --json", documents every key.
type Report struct {
	A         ReportImage   `json:"a"`
	B         ReportImage   `json:"b"`
	Identical bool          `json:"identical"`
	Layers    ReportLayers  `json:"layers"`
	History   ReportHistory `json:"history"`
	Metrics   ReportMetrics `json:"metrics"`
	Files     ReportFiles   `json:"files"`
	// Packages compares the final images' packages, when they were
	// looked for.
	Packages *ReportPackages `json:"packages,omitempty"`
	// Findings are the findings new in B and gone from A, when they were
	// looked for.
	Findings *Findings `json:"findings,omitempty"`
}

// ReportImage says where one image came from.
type ReportImage struct {
	Reference  string `json:"reference"`
	Source     string `json:"source"`
	Platform   string `json:"platform"`
	LayerCount int    `json:"layerCount"`
}

// ReportLayers are the layers of both images aligned by diffID.
type ReportLayers struct {
	Shared   int              `json:"shared"` // B's layers that A has, moved ones included
	Moved    int              `json:"moved"`  // of those, the ones in another place
	New      int              `json:"new"`    // B's layers that A lacks
	Gone     int              `json:"gone"`   // A's layers that B lacks
	Download ReportDownload   `json:"download"`
	Rows     []ReportLayerRow `json:"rows"`
}

// ReportDownload is what a machine holding A downloads to get B.
type ReportDownload struct {
	Layers            int   `json:"layers"`
	CompressedBytes   int64 `json:"compressedBytes"`
	UncompressedBytes int64 `json:"uncompressedBytes"`
}

// ReportLayerRow is one row of the alignment; the side it lacks is null.
type ReportLayerRow struct {
	Status string       `json:"status"` // shared, moved, new or gone
	A      *ReportLayer `json:"a"`
	B      *ReportLayer `json:"b"`
}

// ReportLayer is one layer of one image.
type ReportLayer struct {
	Index                 int    `json:"index"`
	DiffID                string `json:"diffId"`
	Digest                string `json:"digest"`
	SizeBytes             int64  `json:"sizeBytes"`
	CompressedSizeBytes   int64  `json:"compressedSizeBytes"`
	UncompressedSizeBytes int64  `json:"uncompressedSizeBytes"`
	Command               string `json:"command"`
}

// ReportHistory is the two build histories aligned by instruction.
type ReportHistory struct {
	// FirstDivergence is the index of the first row whose status is not
	// "same", -1 when there is none.
	FirstDivergence int             `json:"firstDivergence"`
	Rows            []ReportStepRow `json:"rows"`
}

// ReportStepRow is one row of the alignment; the side it lacks is null.
type ReportStepRow struct {
	Status string      `json:"status"` // same, rebuilt, moved, new or gone
	A      *ReportStep `json:"a"`
	B      *ReportStep `json:"b"`
}

// ReportStep is one step of one image's history.
type ReportStep struct {
	Index      int    `json:"index"`
	CreatedBy  string `json:"createdBy"`
	EmptyLayer bool   `json:"emptyLayer"`
	// Layer is the layer the step made or, for an empty-layer step, the
	// layer below it (-1 before the first), as in inspect's history.
	Layer int `json:"layer"`
}

// ReportMetrics are both images' metrics and B's less A's.
type ReportMetrics struct {
	A     ReportMetricValues `json:"a"`
	B     ReportMetricValues `json:"b"`
	Delta ReportMetricDelta  `json:"delta"`
}

// ReportMetricValues are one image's metrics, named as in inspect's JSON.
type ReportMetricValues struct {
	SizeBytes         uint64  `json:"sizeBytes"`
	UserSizeBytes     uint64  `json:"userSizeBytes"`
	EfficiencyScore   float64 `json:"efficiencyScore"`
	InefficientBytes  uint64  `json:"inefficientBytes"`
	UserWastedPercent float64 `json:"userWastedPercent"`
	ReclaimableBytes  uint64  `json:"reclaimableBytes"`
}

// ReportMetricDelta is B's metrics less A's.
type ReportMetricDelta struct {
	SizeBytes         int64   `json:"sizeBytes"`
	UserSizeBytes     int64   `json:"userSizeBytes"`
	EfficiencyScore   float64 `json:"efficiencyScore"`
	InefficientBytes  int64   `json:"inefficientBytes"`
	UserWastedPercent float64 `json:"userWastedPercent"`
	ReclaimableBytes  int64   `json:"reclaimableBytes"`
}

// ReportFiles compares the final filesystems.
type ReportFiles struct {
	Added    int `json:"added"`
	Removed  int `json:"removed"`
	Modified int `json:"modified"`
	// The total size of the files of each final filesystem.
	SizeBytesA     int64 `json:"sizeBytesA"`
	SizeBytesB     int64 `json:"sizeBytesB"`
	SizeDeltaBytes int64 `json:"sizeDeltaBytes"`
	// Changes lists every path added, removed or modified, in path order
	// (depth first, children by name).
	Changes []ReportChange `json:"changes"`
	// Directories lists every directory with a change below it, in path
	// order, with its totals.
	Directories []ReportDirectory `json:"directories"`
}

// ReportChange is one path that differs.
type ReportChange struct {
	Path   string `json:"path"`
	Change string `json:"change"` // added, removed or modified
	// What lists what differs for a modified path: content, mode, owner,
	// type, link. Empty for added and removed paths.
	What []string `json:"what"`
	// A file's sizes, or a directory's totals, in A and B.
	SizeBytesA     int64        `json:"sizeBytesA"`
	SizeBytesB     int64        `json:"sizeBytesB"`
	SizeDeltaBytes int64        `json:"sizeDeltaBytes"`
	A              *ReportEntry `json:"a"`
	B              *ReportEntry `json:"b"`
}

// ReportEntry is a path as one image holds it.
type ReportEntry struct {
	Type      string `json:"type"`     // regular file, directory, symlink, hard link…
	TypeFlag  byte   `json:"typeFlag"` // the tar typeflag, as inspect's fileList has it
	Mode      string `json:"mode"`     // ls's -rwxr-xr-x
	FileMode  uint32 `json:"fileMode"` // Go's fs.FileMode bits, as inspect's fileList has them
	UID       int64  `json:"uid"`
	GID       int64  `json:"gid"`
	SizeBytes int64  `json:"sizeBytes"`
	LinkName  string `json:"linkName"`
	// Layer is the layer of the image that wrote this version.
	Layer int `json:"layer"`
}

// ReportDirectory is a directory's totals in A and B and the changes
// below it.
type ReportDirectory struct {
	Path           string `json:"path"`
	SizeBytesA     int64  `json:"sizeBytesA"`
	SizeBytesB     int64  `json:"sizeBytesB"`
	SizeDeltaBytes int64  `json:"sizeDeltaBytes"`
	Added          int    `json:"added"`
	Removed        int    `json:"removed"`
	Modified       int    `json:"modified"`
}

// NewReport builds the JSON document of a diff.
func NewReport(d *Diff, a, b report.Meta) *Report {
	r := &Report{
		A:         ReportImage{Reference: a.Reference, Source: a.Source, Platform: a.Platform, LayerCount: len(d.A.Layers)},
		B:         ReportImage{Reference: b.Reference, Source: b.Source, Platform: b.Platform, LayerCount: len(d.B.Layers)},
		Identical: d.Identical(),
	}
	r.Layers = ReportLayers{Shared: d.Shared, New: d.New, Gone: d.Gone, Rows: []ReportLayerRow{},
		Download: ReportDownload(d.Download)}
	for _, row := range d.Layers {
		if row.Status == Moved && row.B >= 0 {
			r.Layers.Moved++
		}
		r.Layers.Rows = append(r.Layers.Rows, ReportLayerRow{Status: row.Status.String(),
			A: reportLayer(d.LayerA(row)), B: reportLayer(d.LayerB(row))})
	}
	r.History = ReportHistory{FirstDivergence: d.Divergence, Rows: []ReportStepRow{}}
	for _, row := range d.History {
		r.History.Rows = append(r.History.Rows, ReportStepRow{Status: row.Status.String(),
			A: reportStep(d.A.History, row.A), B: reportStep(d.B.History, row.B)})
	}
	ma, mb := metricValues(d.A.Metrics), metricValues(d.B.Metrics)
	r.Metrics = ReportMetrics{A: ma, B: mb, Delta: ReportMetricDelta{
		SizeBytes:         int64(mb.SizeBytes) - int64(ma.SizeBytes),
		UserSizeBytes:     int64(mb.UserSizeBytes) - int64(ma.UserSizeBytes),
		EfficiencyScore:   mb.EfficiencyScore - ma.EfficiencyScore,
		InefficientBytes:  int64(mb.InefficientBytes) - int64(ma.InefficientBytes),
		UserWastedPercent: mb.UserWastedPercent - ma.UserWastedPercent,
		ReclaimableBytes:  int64(mb.ReclaimableBytes) - int64(ma.ReclaimableBytes),
	}}
	r.Files = reportFiles(d.Files)
	r.Packages = reportPackages(d.Packages)
	r.Findings = d.Findings
	return r
}

func reportLayer(l *tree.Layer) *ReportLayer {
	if l == nil {
		return nil
	}
	return &ReportLayer{Index: l.Index, DiffID: l.DiffID.String(), Digest: l.Digest.String(), SizeBytes: l.Size,
		CompressedSizeBytes: l.CompressedSize, UncompressedSizeBytes: l.UncompressedSize, Command: l.Command}
}

func reportStep(h []tree.HistoryEntry, i int) *ReportStep {
	if i < 0 {
		return nil
	}
	return &ReportStep{Index: i, CreatedBy: h[i].CreatedBy, EmptyLayer: h[i].EmptyLayer, Layer: h[i].Layer}
}

func metricValues(m metrics.Metrics) ReportMetricValues {
	return ReportMetricValues{SizeBytes: m.SizeBytes, UserSizeBytes: m.UserSizeBytes, EfficiencyScore: m.Efficiency,
		InefficientBytes: m.WastedBytes, UserWastedPercent: m.UserWastedPercent, ReclaimableBytes: m.ReclaimableBytes}
}

func reportFiles(t *Tree) ReportFiles {
	root := t.Node(Root)
	f := ReportFiles{
		Added: t.Counts[tree.Added], Removed: t.Counts[tree.Removed], Modified: t.Counts[tree.Modified],
		SizeBytesA: root.SizeA, SizeBytesB: root.SizeB, SizeDeltaBytes: root.Delta(),
		Changes: []ReportChange{}, Directories: []ReportDirectory{},
	}
	dir := func(n NodeID) {
		nd := t.Node(n)
		below := nd.Below
		if below[tree.Added]+below[tree.Removed]+below[tree.Modified] == 0 {
			return
		}
		f.Directories = append(f.Directories, ReportDirectory{Path: t.Path(n), SizeBytesA: nd.SizeA, SizeBytesB: nd.SizeB,
			SizeDeltaBytes: nd.Delta(), Added: int(below[tree.Added]), Removed: int(below[tree.Removed]), Modified: int(below[tree.Modified])})
	}
	dir(Root)
	t.Walk(func(n NodeID) bool {
		nd := t.Node(n)
		if nd.Below[tree.Added]+nd.Below[tree.Removed]+nd.Below[tree.Modified] == 0 && nd.Change == tree.Unmodified {
			return false // nothing differs here or below
		}
		dir(n)
		if nd.Change == tree.Unmodified {
			return true
		}
		what := nd.What.Words()
		if what == nil {
			what = []string{}
		}
		f.Changes = append(f.Changes, ReportChange{Path: t.Path(n), Change: nd.Change.String(), What: what,
			SizeBytesA: nd.SizeA, SizeBytesB: nd.SizeB, SizeDeltaBytes: nd.Delta(),
			A: reportEntry(&nd.A), B: reportEntry(&nd.B)})
		return true
	})
	return f
}

func reportEntry(v *Version) *ReportEntry {
	if !v.Present {
		return nil
	}
	return &ReportEntry{Type: tarparse.TypeName(v.Type), TypeFlag: v.Type, Mode: tree.FormatMode(v.Mode), FileMode: uint32(v.Mode),
		UID: v.UID, GID: v.GID, SizeBytes: v.Size, LinkName: v.Link, Layer: int(v.Layer)}
}

// Write writes the report as indented JSON.
func (r *Report) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
