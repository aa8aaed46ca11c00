package analyze

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"
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
	Index     int          `json:"index"`
	ID        string       `json:"id"`
	DigestID  string       `json:"digestId"` // the diffID, as dive names it
	SizeBytes int64        `json:"sizeBytes"`
	Command   string       `json:"command"`
	FileList  []ReportFile `json:"fileList"`

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
		view := NewView(r.Tree, r.Layers, l.Index, CompareLayer)
		rl := ReportLayer{
			Index:               l.Index,
			ID:                  l.ID,
			DigestID:            l.DiffID.String(),
			SizeBytes:           l.Size,
			Command:             l.Command,
			FileList:            fileList(r.Tree, l),
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
		rep.Layer = append(rep.Layer, rl)
	}
	m := r.Metrics
	rep.Image = ReportImage{
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
	if rep.Image.History == nil {
		rep.Image.History = []HistoryEntry{}
	}
	for _, in := range m.Inefficient {
		rep.Image.FileReference = append(rep.Image.FileReference, ReportReference{Count: in.Count, SizeBytes: in.SizeBytes, File: in.Path})
	}
	return rep
}

// fileList lists a layer's tar entries, sorted by path.
func fileList(t *Tree, l *LayerInfo) []ReportFile {
	files := make([]ReportFile, 0, l.end-l.first)
	for id := l.first; id < l.end; id++ {
		e := &t.entries[id]
		p := strings.TrimPrefix(t.Path(e.Node), "/")
		f := ReportFile{Size: e.Size, TypeFlag: e.Type, LinkName: e.Link, FileMode: uint32(e.Mode), UID: e.UID, GID: e.GID, IsDir: e.IsDir()}
		switch e.Kind {
		case Implied:
			continue
		case Whiteout:
			dir, base := splitLast(p)
			p = dir + whiteoutPrefix + base
			f = ReportFile{TypeFlag: '0'}
		case Opaque:
			if p != "" {
				p += "/"
			}
			p += opaqueMarker
			f = ReportFile{TypeFlag: '0'}
		}
		f.Path = p
		files = append(files, f)
	}
	slices.SortStableFunc(files, func(a, b ReportFile) int { return comparePaths(a.Path, b.Path) })
	return files
}

func splitLast(p string) (string, string) {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// Write writes the report as indented JSON.
func (r *Report) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
