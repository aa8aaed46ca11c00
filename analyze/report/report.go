package report

import (
	"archive/tar"
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// Report is the document `strata inspect --json` writes. Its keys are a
// superset of dive's --json output, so scripts written for dive keep
// working.
type Report struct {
	Layer []Layer `json:"layer"`
	Image Image   `json:"image"`
	// Findings are why bytes are wasted and what the image ships that it
	// should not, when they were looked for (see package findings).
	Findings []findings.Finding `json:"findings,omitempty"`
	// Packages are every package a layer installed, removed ones
	// included, with the layer that installed each and what later layers
	// did to it, when they were looked for (see package packages).
	Packages []packages.Package `json:"packages,omitempty"`
	// PackageSummary is what the final image's packages add up to, and
	// the files no package owns, when packages were looked for.
	PackageSummary *packages.Summary `json:"packageSummary,omitempty"`
	// Base, Referrers and Signature are the image's base, the artifacts
	// that refer to it and what checking its signatures found, when they
	// were looked for (see [Supply]).
	Base      *Base         `json:"base,omitempty"`
	Referrers []Referrer    `json:"referrers,omitempty"`
	Signature *Verification `json:"signature,omitempty"`
}

// Layer describes one layer. The first six keys are dive's.
type Layer struct {
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

// File is one entry of a layer's tar, with dive's keys. Paths are
// relative, as in the tar; whiteouts keep their .wh. names.
type File struct {
	Path     string `json:"path"`
	TypeFlag byte   `json:"typeFlag"`
	LinkName string `json:"linkName"`
	Size     int64  `json:"size"`
	FileMode uint32 `json:"fileMode"`
	UID      int64  `json:"uid"`
	GID      int64  `json:"gid"`
	IsDir    bool   `json:"isDir"`
	// StoredSize is, for a sparse file with holes, the bytes its tar
	// stores; Size is its logical size.
	StoredSize int64 `json:"storedSize,omitempty"`
}

// Image holds the image's metrics. The first four keys are dive's.
type Image struct {
	SizeBytes        uint64      `json:"sizeBytes"`
	InefficientBytes uint64      `json:"inefficientBytes"`
	EfficiencyScore  float64     `json:"efficiencyScore"`
	FileReference    []Reference `json:"fileReference"`

	Reference         string              `json:"reference"`
	Source            string              `json:"source"`
	Platform          string              `json:"platform"`
	UserSizeBytes     uint64              `json:"userSizeBytes"`
	UserWastedPercent float64             `json:"userWastedPercent"`
	ReclaimableBytes  uint64              `json:"reclaimableBytes"`
	History           []tree.HistoryEntry `json:"history"`
}

// Reference is a path that occurs in more than one layer.
type Reference struct {
	Count     int    `json:"count"`
	SizeBytes int64  `json:"sizeBytes"`
	File      string `json:"file"`
}

// Meta says where the analyzed image came from.
type Meta struct {
	Reference string
	Source    string
	Platform  string
	// Findings, when set, are written after the image's part.
	Findings []findings.Finding
	// Packages, when set, are written after the findings.
	Packages *packages.Result
	// Supply, when set, is written after the findings.
	Supply *Supply
}

// New builds the JSON document of an analysis.
func New(r *analyze.Result, meta Meta) *Report {
	rep := &Report{Layer: make([]Layer, 0, len(r.Layers))}
	for _, l := range r.Layers {
		rep.Layer = append(rep.Layer, newLayer(r.Tree, r.Layers, l))
	}
	rep.Image = newImage(r, meta)
	rep.Findings = meta.Findings
	rep.Packages, rep.PackageSummary = meta.packages()
	if s := meta.Supply; s != nil {
		rep.Base, rep.Referrers, rep.Signature = s.Base, s.Referrers, s.Signature
	}
	return rep
}

// packages returns the report's packages and their summary, nil when
// they were not looked for.
func (m Meta) packages() ([]packages.Package, *packages.Summary) {
	if m.Packages == nil {
		return nil, nil
	}
	return m.Packages.Packages, &m.Packages.Summary
}

// newLayer describes layer l of the layers stacked so far.
func newLayer(t *tree.Tree, layers []*tree.Layer, l *tree.Layer) Layer {
	view := tree.NewView(t, layers, l.Index, tree.CompareLayer)
	rl := Layer{
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
			"added":      view.Counts[tree.Added],
			"modified":   view.Counts[tree.Modified],
			"removed":    view.Counts[tree.Removed],
			"unmodified": view.Counts[tree.Unmodified],
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

func newImage(r *analyze.Result, meta Meta) Image {
	m := r.Metrics
	img := Image{
		SizeBytes:         m.SizeBytes,
		InefficientBytes:  m.WastedBytes,
		EfficiencyScore:   m.Efficiency,
		FileReference:     make([]Reference, 0, len(m.Inefficient)),
		Reference:         meta.Reference,
		Source:            meta.Source,
		Platform:          meta.Platform,
		UserSizeBytes:     m.UserSizeBytes,
		UserWastedPercent: m.UserWastedPercent,
		ReclaimableBytes:  m.ReclaimableBytes,
		History:           r.History,
	}
	if img.History == nil {
		img.History = []tree.HistoryEntry{}
	}
	for _, in := range m.Inefficient {
		img.FileReference = append(img.FileReference, Reference{Count: in.Count, SizeBytes: in.SizeBytes, File: in.Path})
	}
	return img
}

// FileList is a layer's tar entries, sorted by path. It is computed each
// time it is read or written, so that a report of a large image never
// holds the paths of all its layers at once.
type FileList struct {
	tree  *tree.Tree
	layer *tree.Layer
}

// Files returns the entries.
func (f FileList) Files() []File {
	if f.tree == nil {
		return []File{}
	}
	return fileList(f.tree, f.layer)
}

// MarshalJSON encodes the entries as encoding/json encodes a []File.
func (f FileList) MarshalJSON() ([]byte, error) { return json.Marshal(f.Files()) }

// fileList lists a layer's tar entries, sorted by path.
func fileList(t *tree.Tree, l *tree.Layer) []File {
	s := sortFiles(t, l)
	files := make([]File, len(s.items))
	for i := range files {
		files[i] = s.file(i)
	}
	return files
}

// fileSource is a layer's file list, in order.
type fileSource interface {
	len() int
	file(i int) File
}

// sortedFiles are a layer's tar entries sorted by path; entries with the
// same path keep their tar order. The paths share one string.
type sortedFiles struct {
	tree  *tree.Tree
	paths string
	items []fileItem
}

type fileItem struct {
	start, end int // the path in paths
	id         tree.EntryID
}

func sortFiles(t *tree.Tree, l *tree.Layer) sortedFiles {
	first, end := l.EntryRange()
	items := make([]fileItem, 0, end-first)
	b := make([]byte, 0, int(end-first)*64)
	// Entries in tar order mostly share the directory of the one before:
	// its path is copied from there rather than walked up the tree again.
	lastDir, dirStart, dirEnd := tree.NoNode, 0, 0
	dir := func(p tree.NodeID) {
		if p == tree.Root || p == tree.NoNode {
			return
		}
		if p != lastDir {
			start := len(b)
			b = t.AppendRelPath(b, p)
			lastDir, dirStart, dirEnd = p, start, len(b)
		} else {
			b = append(b, b[dirStart:dirEnd]...)
		}
		b = append(b, '/')
	}
	for id := first; id < end; id++ {
		e := t.Entry(id)
		start := len(b)
		switch e.Kind {
		case tree.Implied:
			continue
		case tree.Whiteout:
			dir(t.Parent(e.Node))
			b = append(b, tarparse.WhiteoutPrefix...)
			b = append(b, t.Name(e.Node)...)
		case tree.Opaque:
			if e.Node != tree.Root {
				dir(t.Parent(e.Node))
				b = append(b, t.Name(e.Node)...)
				b = append(b, '/')
			}
			b = append(b, tarparse.OpaqueMarker...)
		default:
			dir(t.Parent(e.Node))
			b = append(b, t.Name(e.Node)...)
		}
		items = append(items, fileItem{start, len(b), id})
	}
	// b is never written again: the paths share its bytes instead of a copy.
	paths := unsafe.String(unsafe.SliceData(b), len(b))
	slices.SortFunc(items, func(a, b fileItem) int {
		if c := tree.ComparePaths(paths[a.start:a.end], paths[b.start:b.end]); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return sortedFiles{tree: t, paths: paths, items: items}
}

func (s *sortedFiles) len() int { return len(s.items) }

// file returns the i-th entry.
func (s *sortedFiles) file(i int) File {
	it := s.items[i]
	e := s.tree.Entry(it.id)
	// A whiteout or an opaque marker is a regular file of no size in the
	// tar, with the mode and owner its header gives (dive lists it so).
	f := File{Path: s.paths[it.start:it.end], TypeFlag: '0', FileMode: uint32(e.Mode)}
	f.UID, f.GID = s.tree.Owner(e)
	if e.Kind == tree.File {
		f.TypeFlag, f.LinkName, f.Size = e.Type, s.tree.Link(e), e.Size
		f.IsDir = e.IsDir()
		f.StoredSize, _ = s.tree.StoredSize(it.id)
	}
	return f
}

// parsedFiles is a layer's file list read from its parsed entries, in the
// order the analysis sorted them in (see [analyze.PathOrder]); file gives
// what sortedFiles.file gives for the tree's version of each.
type parsedFiles struct {
	es    *tarparse.Entries
	order []int32
}

func (p parsedFiles) len() int { return len(p.order) }

func (p parsedFiles) file(i int) File {
	e := p.es.At(int(p.order[i]))
	f := File{TypeFlag: '0', FileMode: e.Mode, UID: e.UID, GID: e.GID}
	if e.Kind != tarparse.Ordinary {
		f.Path = string(p.es.AppendListPath(nil, e))
		return f
	}
	f.Path = strings.TrimPrefix(p.es.Path(e), "/")
	f.TypeFlag, f.LinkName, f.Size = e.Type, p.es.Link(e), e.Size
	f.IsDir = e.Type == tar.TypeDir
	f.StoredSize = e.Stored
	return f
}
