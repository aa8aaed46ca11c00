package findings

import (
	"fmt"
	"io/fs"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// Option changes what an [Analyzer] reports.
type Option func(*options)

type options struct {
	maxPaths      int
	sizeBudget    int64
	duplicateMin  int64
	baseLayers    int
	secretMaxSize int64
}

// WithMaxPaths sets how many paths a finding lists (default 10); it still
// counts them all.
func WithMaxPaths(n int) Option { return func(o *options) { o.maxPaths = max(1, n) } }

// WithSizeBudget sets the total size above which the image is reported
// as large (default 1 GB); 0 turns the finding off.
func WithSizeBudget(bytes int64) Option { return func(o *options) { o.sizeBudget = bytes } }

// WithDuplicateMin sets the smallest file whose copies are reported as
// duplicate content (default 64 KiB).
func WithDuplicateMin(bytes int64) Option { return func(o *options) { o.duplicateMin = bytes } }

// WithBaseLayers says how many layers at the bottom are the base image's
// (default 1): setuid files they add are not the Dockerfile's doing.
func WithBaseLayers(n int) Option { return func(o *options) { o.baseLayers = max(0, n) } }

// Analyzer gathers findings while an analysis runs; pass it to
// analyze.WithObserver, then call Findings with the result. It must not
// watch more than one analysis.
type Analyzer struct {
	opts    options
	waste   map[wasteKey]*group
	secrets []secretHit
	setuid  []tree.EntryID
}

var _ analyze.Observer = (*Analyzer)(nil)

// New returns an analyzer.
func New(opts ...Option) *Analyzer {
	o := options{maxPaths: 10, sizeBudget: 1e9, duplicateMin: 64 << 10, baseLayers: 1, secretMaxSize: 1 << 20}
	for _, opt := range opts {
		opt(&o)
	}
	return &Analyzer{opts: o, waste: map[wasteKey]*group{}}
}

// Capture keeps the files that may hold a secret, when they are small
// enough to be one.
func (a *Analyzer) Capture(path string, size int64, _ fs.FileMode) tarparse.Keeper {
	if size > a.opts.secretMaxSize || !secretCandidate(path) {
		return nil
	}
	return tarparse.NewPrefix(size)
}

// Died counts a version that stopped being visible as waste: every
// reclaimable byte in exactly one group.
func (a *Analyzer) Died(t *tree.Tree, d tree.Death) {
	e := t.Entry(d.Version)
	if e.IsDir() {
		return // a directory ships no bytes of its own
	}
	id := DeletedLater
	switch d.Cause {
	case tree.Hidden:
		id = OpaqueHidden
	case tree.Replaced:
		id = Overwritten
		if by := t.Entry(d.By); by.Type == e.Type && by.Hash == e.Hash && t.Link(by) == t.Link(e) {
			id = MetadataRewrite
		}
	}
	a.group(wasteKey{id, e.Layer, d.Layer}).add(d.Version, e.Size, a.opts.maxPaths)
}

// Stacked reads the secrets in the files kept of layer l, and notes the
// setuid and setgid files it adds.
func (a *Analyzer) Stacked(t *tree.Tree, l *tree.Layer, files []tarparse.CapturedFile) {
	for _, f := range files {
		for _, s := range findSecrets(f.Path, f.Kept) {
			a.secrets = append(a.secrets, secretHit{layer: l.Index, path: f.Path, size: f.Size, secret: s})
		}
	}
	if l.Index < a.opts.baseLayers {
		return
	}
	first, end := l.EntryRange()
	for id := first; id < end; id++ {
		e := t.Entry(id)
		if e.Kind == tree.File && e.Type == '0' && e.Mode&(setuidBits) != 0 {
			a.setuid = append(a.setuid, id)
		}
	}
}

func (a *Analyzer) group(k wasteKey) *group {
	g, ok := a.waste[k]
	if !ok {
		g = &group{}
		a.waste[k] = g
	}
	return g
}

// Findings returns what was found in the analysis res, largest first.
func (a *Analyzer) Findings(res *analyze.Result) []Finding {
	var out []Finding
	out = append(out, a.wasteFindings(res)...)
	out = append(out, a.imageFindings(res)...)
	out = append(out, a.secretFindings(res)...)
	out = append(out, configFindings(res)...)
	sortFindings(out)
	return out
}

// CacheKey says what the analyzer keeps of layers' files, for the layer
// cache: bump it whenever secretCandidate or the secret size cap changes.
func (a *Analyzer) CacheKey() string {
	return fmt.Sprintf("findings/1/%d", a.opts.secretMaxSize)
}
