package analyze

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"
	"unsafe"
)

// Report is the document `strata inspect --json` writes. Its keys are a
// superset of dive's --json output, so scripts written for dive keep
// working.
type Report struct {
	Layer []ReportLayer `json:"layer"`
	Image ReportImage   `json:"image"`
}

// ReportLayer describes one layer. The first six keys are dive's.
type ReportLayer struct {
	Index     int      `json:"index"`
	ID        string   `json:"id"`
	DigestID  string   `json:"digestId"` // the diffID, as dive names it
	SizeBytes int64    `json:"sizeBytes"`
	Command   string   `json:"command"`
	FileList  FileList `json:"fileList"`

	Digest              string         `json:"digest"`
	DiffID              string         `json:"diffId"`
	MediaType           string         `json:"mediaType"`
	CompressedSizeBytes int64          `json:"compressedSizeBytes"`
	CreatedBy           string         `json:"createdBy"`
	Created             *time.Time     `json:"created,omitempty"`
	FileCount           int            `json:"fileCount"`
	Changes             map[string]int `json:"changes"`
	Warnings            []string       `json:"warnings,omitempty"`
}

// ReportFile is one entry of a layer's tar, with dive's keys. Paths are
// relative, as in the tar; whiteouts keep their .wh. names.
type ReportFile struct {
	Path     string `json:"path"`
	TypeFlag byte   `json:"typeFlag"`
	LinkName string `json:"linkName"`
	Size     int64  `json:"size"`
	FileMode uint32 `json:"fileMode"`
	UID      uint32 `json:"uid"`
	GID      uint32 `json:"gid"`
	IsDir    bool   `json:"isDir"`
}

// ReportImage holds the image's metrics. The first four keys are dive's.
type ReportImage struct {
	SizeBytes        uint64            `json:"sizeBytes"`
	InefficientBytes uint64            `json:"inefficientBytes"`
	EfficiencyScore  float64           `json:"efficiencyScore"`
	FileReference    []ReportReference `json:"fileReference"`

	Reference         string         `json:"reference"`
	Source            string         `json:"source"`
	Platform          string         `json:"platform"`
	UserSizeBytes     uint64         `json:"userSizeBytes"`
	UserWastedPercent float64        `json:"userWastedPercent"`
	ReclaimableBytes  uint64         `json:"reclaimableBytes"`
	History           []HistoryEntry `json:"history"`
}

// ReportReference is a path that occurs in more than one layer.
type ReportReference struct {
	Count     int    `json:"count"`
	SizeBytes int64  `json:"sizeBytes"`
	File      string `json:"file"`
}

// ReportMeta says where the analyzed image came from.
type ReportMeta struct {
	Reference string
	Source    string
	Platform  string
}

// NewReport builds the JSON document of an analysis.
func NewReport(r *Result, meta ReportMeta) *Report {
	rep := &Report{Layer: make([]ReportLayer, 0, len(r.Layers))}
	for _, l := range r.Layers {
		rep.Layer = append(rep.Layer, newReportLayer(r.Tree, r.Layers, l))
	}
	rep.Image = newReportImage(r, meta)
	return rep
}

// newReportLayer describes layer l of the layers stacked so far.
func newReportLayer(t *Tree, layers []*LayerInfo, l *LayerInfo) ReportLayer {
	view := NewView(t, layers, l.Index, CompareLayer)
	rl := ReportLayer{
		Index:               l.Index,
		ID:                  l.ID,
		DigestID:            l.DiffID.String(),
		SizeBytes:           l.Size,
		Command:             l.Command,
		FileList:            FileList{tree: t, layer: l},
		Digest:              l.Digest.String(),
		DiffID:              l.DiffID.String(),
		MediaType:           string(l.MediaType),
		CompressedSizeBytes: l.CompressedSize,
		CreatedBy:           l.CreatedBy,
		FileCount:           l.Files,
		Changes: map[string]int{
			"added":      view.Counts[Added],
			"modified":   view.Counts[Modified],
			"removed":    view.Counts[Removed],
			"unmodified": view.Counts[Unmodified],
		},
	}
	if !l.Created.IsZero() {
		c := l.Created
		rl.Created = &c
	}
	for _, w := range l.Warnings {
		rl.Warnings = append(rl.Warnings, w.Error())
	}
	return rl
}

func newReportImage(r *Result, meta ReportMeta) ReportImage {
	m := r.Metrics
	img := ReportImage{
		SizeBytes:         m.SizeBytes,
		InefficientBytes:  m.WastedBytes,
		EfficiencyScore:   m.Efficiency,
		FileReference:     make([]ReportReference, 0, len(m.Inefficient)),
		Reference:         meta.Reference,
		Source:            meta.Source,
		Platform:          meta.Platform,
		UserSizeBytes:     m.UserSizeBytes,
		UserWastedPercent: m.UserWastedPercent,
		ReclaimableBytes:  m.ReclaimableBytes,
		History:           r.History,
	}
	if img.History == nil {
		img.History = []HistoryEntry{}
	}
	for _, in := range m.Inefficient {
		img.FileReference = append(img.FileReference, ReportReference{Count: in.Count, SizeBytes: in.SizeBytes, File: in.Path})
	}
	return img
}

// FileList is a layer's tar entries, sorted by path. It is computed each
// time it is read or written, so that a report of a large image never
// holds the paths of all its layers at once.
type FileList struct {
	tree  *Tree
	layer *LayerInfo
}

// Files returns the entries.
func (f FileList) Files() []ReportFile {
	if f.tree == nil {
		return []ReportFile{}
	}
	return fileList(f.tree, f.layer)
}

// MarshalJSON encodes the entries as encoding/json encodes a []ReportFile.
func (f FileList) MarshalJSON() ([]byte, error) { return json.Marshal(f.Files()) }

// fileList lists a layer's tar entries, sorted by path.
func fileList(t *Tree, l *LayerInfo) []ReportFile {
	s := sortFiles(t, l)
	files := make([]ReportFile, len(s.items))
	for i := range files {
		files[i] = s.file(i)
	}
	return files
}

// sortedFiles are a layer's tar entries sorted by path; entries with the
// same path keep their tar order. The paths share one string.
type sortedFiles struct {
	tree  *Tree
	paths string
	items []fileItem
}

type fileItem struct {
	start, end int // the path in paths
	id         EntryID
}

func sortFiles(t *Tree, l *LayerInfo) sortedFiles {
	items := make([]fileItem, 0, l.end-l.first)
	b := make([]byte, 0, int(l.end-l.first)*64)
	// Entries in tar order mostly share the directory of the one before:
	// its path is copied from there rather than walked up the tree again.
	lastDir, dirStart, dirEnd := NoNode, 0, 0
	dir := func(p NodeID) {
		if p == Root || p == NoNode {
			return
		}
		if p != lastDir {
			start := len(b)
			b = t.appendRelPath(b, p)
			lastDir, dirStart, dirEnd = p, start, len(b)
		} else {
			b = append(b, b[dirStart:dirEnd]...)
		}
		b = append(b, '/')
	}
	for id := l.first; id < l.end; id++ {
		e := t.entry(id)
		start := len(b)
		switch e.Kind {
		case Implied:
			continue
		case Whiteout:
			dir(t.node(e.Node).parent)
			b = append(b, whiteoutPrefix...)
			b = append(b, t.Name(e.Node)...)
		case Opaque:
			if e.Node != Root {
				dir(t.node(e.Node).parent)
				b = append(b, t.Name(e.Node)...)
				b = append(b, '/')
			}
			b = append(b, opaqueMarker...)
		default:
			dir(t.node(e.Node).parent)
			b = append(b, t.Name(e.Node)...)
		}
		items = append(items, fileItem{start, len(b), id})
	}
	// b is never written again: the paths share its bytes instead of a copy.
	paths := unsafe.String(unsafe.SliceData(b), len(b))
	slices.SortFunc(items, func(a, b fileItem) int {
		if c := comparePaths(paths[a.start:a.end], paths[b.start:b.end]); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return sortedFiles{tree: t, paths: paths, items: items}
}

// file returns the i-th entry.
func (s *sortedFiles) file(i int) ReportFile {
	it := s.items[i]
	e := s.tree.entry(it.id)
	f := ReportFile{Path: s.paths[it.start:it.end], TypeFlag: '0'}
	if e.Kind == File {
		f.TypeFlag, f.LinkName, f.Size, f.FileMode = e.Type, s.tree.Link(e), e.Size, uint32(e.Mode)
		f.UID, f.GID, f.IsDir = e.UID, e.GID, e.IsDir()
	}
	return f
}
