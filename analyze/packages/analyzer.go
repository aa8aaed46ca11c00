package packages

import (
	"fmt"
	"path"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
)

// Option changes what an [Analyzer] reads.
type Option func(*options)

type options struct {
	maxDatabase int64
	tempDir     string
	maxWarnings int
}

// WithMaxDatabaseSize sets the largest package database read (dpkg's
// status, apk's installed, an rpm database; default 256 MiB): a larger
// one is left out with a warning. A database is held in memory from the
// moment its layer reads it until the layer is stacked.
func WithMaxDatabaseSize(bytes int64) Option {
	return func(o *options) { o.maxDatabase = max(0, bytes) }
}

// WithTempDir sets where rpm databases are copied to be read (go-rpmdb
// reads files); the default is the system's temporary directory. Each
// copy is removed as soon as it is read.
func WithTempDir(dir string) Option { return func(o *options) { o.tempDir = dir } }

// Analyzer finds packages while an analysis runs; pass it to
// analyze.WithObserver, then call Packages with the result. It must not
// watch more than one analysis.
type Analyzer struct {
	opts options
	// sources are the kept files visible at the top of the stack, by
	// node: each database or metadata file and Go executable.
	sources map[tree.NodeID]*source
	dirty   bool // a source changed in the layer being stacked
	// current are the packages at the top of the stack, by key.
	current map[string]*instance
	// history is every package ever installed, by key.
	history map[string]*Package
	// snapshots are the packages present after each layer that changed
	// any, in layer order, for Files.
	snapshots []snapshot
	warnings  []string
	dropped   int // warnings past maxWarnings
}

var _ analyze.Observer = (*Analyzer)(nil)

// New returns an analyzer.
func New(opts ...Option) *Analyzer {
	o := options{maxDatabase: 256 << 20, maxWarnings: 50}
	for _, opt := range opts {
		opt(&o)
	}
	return &Analyzer{opts: o, sources: map[tree.NodeID]*source{}, current: map[string]*instance{}, history: map[string]*Package{}}
}

// source is a kept file: the version of its path that the analyzer read
// and what it made of it.
type source struct {
	path    string
	version tree.EntryID
	dead    bool // its version stopped being visible in the layer being stacked
	parsed  *parsed
}

// Died notes that a kept file stopped being visible: its packages go
// unless the layer writes it again.
func (a *Analyzer) Died(t *tree.Tree, d tree.Death) {
	if len(a.sources) == 0 {
		return
	}
	if s := a.sources[t.Entry(d.Version).Node]; s != nil && s.version == d.Version {
		s.dead, a.dirty = true, true
	}
}

// Stacked takes in the files layer l wrote that the analyzer kept, and,
// when one of them changed, compares the layer's packages with the ones
// below it.
func (a *Analyzer) Stacked(t *tree.Tree, l *tree.Layer, files []tarparse.CapturedFile) {
	for _, f := range files {
		p, ok := decodeParsed(f.Kept)
		if !ok {
			continue
		}
		n, ok := t.Lookup(f.Path)
		if !ok {
			continue
		}
		v, ok := t.VersionAt(n, l.Index)
		if !ok || int(t.Entry(v).Layer) != l.Index || t.Entry(v).Type != '0' {
			continue // a later entry of the layer replaced it with something else
		}
		a.dirty = true
		old := a.sources[n]
		if p.err != nil {
			a.warn(p, l.Index, f.Path)
			if old != nil { // go on with what the layer below had
				old.version, old.dead = v, false
				continue
			}
		}
		a.sources[n] = &source{path: f.Path, version: v, parsed: p}
	}
	if !a.dirty {
		return
	}
	a.dirty = false
	for n, s := range a.sources {
		if s.dead {
			delete(a.sources, n)
		}
	}
	a.compare(t, l.Index, a.collect())
}

// warn records why a kept file could not be read, up to maxWarnings.
func (a *Analyzer) warn(p *parsed, layer int, path string) {
	if p.kind == npmManifest {
		return // a package.json without a version is not a published package
	}
	if len(a.warnings) >= a.opts.maxWarnings {
		a.dropped++
		return
	}
	a.warnings = append(a.warnings, fmt.Sprintf("layer %d: %s: %v", layer, path, p.err))
}

// instance is a package as the stack up to some layer has it.
type instance struct {
	record
	key      string
	location string
	// sizeFiles are the paths its size is made of; with none, dir.
	sizeFiles  []string
	sizeDir    string
	skipNested bool // dir's node_modules hold other packages
}

// collect gathers the packages the sources describe.
func (a *Analyzer) collect() map[string]*instance {
	lists := map[string][]string{}   // dpkg info/NAME.list, by NAME
	md5sums := map[string][]string{} // distroless status.d/NAME.md5sums, by NAME
	records := map[string][]string{} // Python file lists, by metadata directory
	for _, s := range a.sources {
		base := path.Base(s.path)
		switch s.parsed.kind {
		case dpkgList:
			lists[base[:len(base)-len(".list")]] = s.parsed.files
		case dpkgMd5sums:
			md5sums[base[:len(base)-len(".md5sums")]] = s.parsed.files
		case pyRecord:
			records[path.Dir(s.path)] = s.parsed.files
		}
	}
	out := map[string]*instance{}
	add := func(in *instance) {
		if old, ok := out[in.key]; !ok || in.location < old.location {
			out[in.key] = in
		}
	}
	for _, s := range a.sources {
		for _, r := range s.parsed.records {
			in := &instance{record: r, location: s.path}
			switch r.eco {
			case Deb:
				if s.parsed.kind == dpkgStatusD {
					in.sizeFiles = md5sums[path.Base(s.path)]
				} else {
					in.sizeFiles = dpkgFiles(lists, &r)
				}
			case Apk, RPM:
				in.sizeFiles = r.files
			case Python:
				if r.dir != "" {
					in.location = r.dir
				}
				if files, ok := records[r.dir]; ok && r.dir != "" {
					in.sizeFiles = files
				} else if r.dir != "" {
					in.sizeDir = r.dir
				} else {
					in.sizeFiles = r.files
				}
			case Npm:
				in.location, in.sizeDir, in.skipNested = r.dir, r.dir, true
			case Go:
				in.sizeFiles = []string{s.path}
			}
			in.key = (&Package{Ecosystem: r.eco, Name: r.name, Arch: r.arch, MultiArch: r.multiArch, Location: in.location}).Key()
			add(in)
		}
	}
	return out
}

// dpkgFiles finds a package's info/*.list: name:arch.list for Multi-Arch:
// same packages, name.list for the others — either, whatever the status
// says.
func dpkgFiles(lists map[string][]string, r *record) []string {
	for _, key := range []string{r.listKey(), r.name, r.name + ":" + r.arch} {
		if files, ok := lists[key]; ok {
			return files
		}
	}
	return nil
}

// compare records what layer k did: the packages it added, changed and
// removed, with their sizes after it (before it, for removals).
func (a *Analyzer) compare(t *tree.Tree, k int, now map[string]*instance) {
	var changed, removed []string // keys
	var after, before []*instance
	for key, in := range now {
		if old, had := a.current[key]; !had || old.fullVersion() != in.fullVersion() {
			changed, after = append(changed, key), append(after, in)
		}
	}
	for key, old := range a.current {
		if _, ok := now[key]; !ok {
			removed, before = append(removed, key), append(before, old)
		}
	}
	sizesAfter, _ := sizeAll(t, k, after, false)
	sizesBefore, _ := sizeAll(t, k-1, before, false)
	for i, key := range changed {
		in := after[i]
		c := Change{Layer: k, Change: Added, Version: in.version, SizeBytes: sizesAfter[i].size, FileCount: sizesAfter[i].count}
		if old, had := a.current[key]; had {
			c.From, c.Change = old.version, CompareVersions(in.eco, old.fullVersion(), in.fullVersion())
		}
		p := a.history[key]
		if p == nil {
			p = &Package{Layer: k}
			a.history[key] = p
		}
		p.Ecosystem, p.Name, p.Version, p.Arch, p.Source, p.Epoch = in.eco, in.name, in.version, in.arch, in.source, in.epoch
		p.MultiArch = in.multiArch
		p.Location, p.GoVersion, p.Modules, p.Removed = in.location, in.goVersion, in.modules, false
		p.Changes = append(p.Changes, c)
	}
	for i, key := range removed {
		p := a.history[key]
		p.Removed = true
		p.Changes = append(p.Changes, Change{Layer: k, Change: Removed, From: before[i].version, SizeBytes: sizesBefore[i].size, FileCount: sizesBefore[i].count})
	}
	a.current = now
	a.snapshots = append(a.snapshots, snapshot{layer: k, packages: now})
}

// Packages returns the packages of the analysis res, which the analyzer
// watched: every package any layer installed, with its size in the final
// image, and what they add up to.
func (a *Analyzer) Packages(res *analyze.Result) *Result {
	r := &Result{Packages: make([]Package, 0, len(a.history))}
	var present []int   // indexes in r.Packages of the packages still present
	var ins []*instance // what they are now
	for key, p := range a.history {
		pkg := *p
		if in, ok := a.current[key]; ok {
			present, ins = append(present, len(r.Packages)), append(ins, in)
		} else if n := len(pkg.Changes); n > 0 {
			pkg.SizeBytes, pkg.FileCount = pkg.Changes[n-1].SizeBytes, pkg.Changes[n-1].FileCount
		}
		r.Packages = append(r.Packages, pkg)
	}
	s := newSizer(res.Tree, len(res.Layers)-1)
	var sizes []measured
	sizes, s.owned = sizeAll(res.Tree, s.k, ins, true)
	r.Summary.Ecosystems = map[Ecosystem]int{}
	for j, i := range present {
		pkg := &r.Packages[i]
		pkg.SizeBytes, pkg.FileCount = sizes[j].size, sizes[j].count
		r.Summary.Packages++
		r.Summary.SizeBytes += pkg.SizeBytes
		r.Summary.FileCount += pkg.FileCount
		r.Summary.Ecosystems[pkg.Ecosystem]++
	}
	sortPackages(r.Packages)
	r.Summary.UnownedFileCount, r.Summary.UnownedSizeBytes, r.Summary.UnownedDirectories = s.unowned()
	r.Summary.Distro = a.distro()
	r.Summary.Warnings = append([]string(nil), a.warnings...)
	if a.dropped > 0 {
		r.Summary.Warnings = append(r.Summary.Warnings, fmt.Sprintf("… and %d more", a.dropped))
	}
	return r
}

// distro is the os-release of the top of the stack: /etc's, else
// /usr/lib's.
func (a *Analyzer) distro() *Distro {
	var usr *Distro
	for _, s := range a.sources {
		if s.parsed.kind != osRelease || s.parsed.distro == nil {
			continue
		}
		if s.path == etcOSRelease {
			return s.parsed.distro
		}
		usr = s.parsed.distro
	}
	return usr
}

// CacheKey says what the analyzer keeps of layers' files, for the layer
// cache: bump it whenever what Capture keeps or how keepers parse
// changes.
func (a *Analyzer) CacheKey() string {
	return fmt.Sprintf("packages/%d/%d", wireVersion, a.opts.maxDatabase)
}
