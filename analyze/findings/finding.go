package findings

import (
	"cmp"
	"slices"
)

// ID names a kind of finding. IDs are stable: CI rules and reports use
// them.
type ID string

// The kinds of finding.
const (
	DeletedLater     ID = "deleted-later"
	MetadataRewrite  ID = "metadata-rewrite"
	Overwritten      ID = "overwritten"
	OpaqueHidden     ID = "opaque-hidden"
	PackageCache     ID = "package-cache"
	DuplicateContent ID = "duplicate-content"
	BuildTooling     ID = "build-tooling"
	VCSOrContext     ID = "vcs-or-context"
	HiddenSecret     ID = "hidden-secret"
	VisibleSecret    ID = "visible-secret"
	SecretInConfig   ID = "secret-in-config"
	RunsAsRoot       ID = "runs-as-root"
	NoHealthcheck    ID = "no-healthcheck"
	SetuidAdded      ID = "setuid-added"
	WorldWritable    ID = "world-writable"
	LargeImage       ID = "large-image"
)

// IDs lists every kind of finding, waste first.
func IDs() []ID {
	return []ID{DeletedLater, MetadataRewrite, Overwritten, OpaqueHidden, PackageCache, DuplicateContent,
		BuildTooling, VCSOrContext, HiddenSecret, VisibleSecret, SecretInConfig, RunsAsRoot, NoHealthcheck,
		SetuidAdded, WorldWritable, LargeImage}
}

// IsWaste says whether findings of this kind count reclaimable bytes.
func (id ID) IsWaste() bool {
	return id == DeletedLater || id == MetadataRewrite || id == Overwritten || id == OpaqueHidden
}

// Severity says how much a finding matters.
type Severity string

// The severities, least first.
const (
	Info    Severity = "info"
	Warning Severity = "warning"
	Error   Severity = "error"
)

// Rank orders severities: info 0, warning 1, error 2; -1 for anything else.
func (s Severity) Rank() int {
	return slices.Index([]Severity{Info, Warning, Error}, s)
}

// Finding is one thing the image could do better, with what it costs,
// where it comes from and how to fix it.
type Finding struct {
	ID       ID       `json:"id"`
	Severity Severity `json:"severity"`
	// Title says what was found, in one line.
	Title string `json:"title"`
	// Bytes is what it costs, uncompressed; 0 when it is not about bytes.
	Bytes int64 `json:"bytes"`
	// Steps are the history steps involved, in layer order.
	Steps []Step `json:"steps"`
	// Paths are up to a limit of the paths involved, largest first, and
	// PathCount how many there are in all.
	Paths     []Path `json:"paths"`
	PathCount int    `json:"pathCount"`
	// Fix says in one sentence what to change, naming the step.
	Fix string `json:"fix"`
}

// Step is a history step a finding involves: the layer it made (-1 for
// one that made none) and its command.
type Step struct {
	Layer   int    `json:"layer"`
	History int    `json:"history"` // index in the image's history, -1 when unknown
	Command string `json:"command"`
}

// Path is one path a finding involves.
type Path struct {
	Path  string `json:"path"`
	Size  int64  `json:"size"`
	Layer int    `json:"layer"` // the layer that wrote it
	// Kind and Fingerprint describe a secret: what it is ("private key")
	// and the first 8 hex digits of the sha256 of its value. The value
	// itself is never kept.
	Kind        string `json:"kind,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

// sortFindings orders findings by bytes, largest first, then by severity,
// then by ID and first path, so that the order is stable.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := cmp.Compare(b.Bytes, a.Bytes); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Severity.Rank(), a.Severity.Rank()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		if c := cmp.Compare(firstPath(a), firstPath(b)); c != 0 {
			return c
		}
		return slices.CompareFunc(a.Steps, b.Steps, func(x, y Step) int { return cmp.Compare(x.Layer, y.Layer) })
	})
}

func firstPath(f Finding) string {
	if len(f.Paths) == 0 {
		return ""
	}
	return f.Paths[0].Path
}
