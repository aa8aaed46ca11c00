package findings

import (
	"cmp"
	"fmt"
	"io/fs"

	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
)

const setuidBits = fs.ModeSetuid | fs.ModeSetgid

// final is the filesystem at the top of the stack.
type final struct {
	t   *tree.Tree
	top int
	res *analyze.Result
	max int
}

// entry returns the version of n in the final image.
func (f final) entry(n tree.NodeID) (tree.EntryID, *tree.Entry, bool) {
	id, ok := f.t.VersionAt(n, f.top)
	if !ok {
		return tree.NoEntry, nil, false
	}
	return id, f.t.Entry(id), true
}

// collect gathers, under the nodes given, every file of the final image
// into a group, with the layers that wrote them; it touches only what is
// below those nodes.
func (f final) collect(roots []tree.NodeID) (*group, []int) {
	g := &group{}
	layers := map[int]int64{}
	stack := slices.Clone(roots)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		id, e, ok := f.entry(n)
		if !ok {
			continue
		}
		if e.IsDir() {
			f.t.Children(n, func(c tree.NodeID) { stack = append(stack, c) })
			continue
		}
		g.add(id, e.Size, f.max)
		layers[int(e.Layer)] += e.Size
	}
	return g, sortedLayers(layers)
}

// sortedLayers are the layers of a tally, the one with the most bytes
// first.
func sortedLayers(bytes map[int]int64) []int {
	var ls []int
	for l := range bytes {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b int) int {
		if c := cmp.Compare(bytes[b], bytes[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ls
}

// homes are the home directories of the final image: /root and each
// directory in /home.
func (f final) homes() []string {
	homes := []string{"/root"}
	if n, ok := f.t.Lookup("/home"); ok {
		f.t.Children(n, func(c tree.NodeID) {
			if _, e, ok := f.entry(c); ok && e.IsDir() {
				homes = append(homes, "/home/"+f.t.Name(c))
			}
		})
	}
	slices.Sort(homes[1:])
	return homes
}

// lookup finds the nodes of paths present in the final image.
func (f final) lookup(paths ...string) []tree.NodeID {
	var ns []tree.NodeID
	for _, p := range paths {
		if n, ok := f.t.Lookup(p); ok {
			if _, _, ok := f.entry(n); ok {
				ns = append(ns, n)
			}
		}
	}
	return ns
}

// cache is a package manager's cache: where it lives and how not to ship it.
type cache struct {
	tool   string
	global []string // absolute paths
	inHome []string // paths below each home directory
	fix    string
}

func caches() []cache {
	return []cache{
		{"apt lists", []string{"/var/lib/apt/lists"}, nil, "Add `&& rm -rf /var/lib/apt/lists/*` to the RUN that runs apt-get update."},
		{"apt archives", []string{"/var/cache/apt"}, nil, "Run `apt-get clean` (or use `--no-install-recommends` and a cache mount) in the same RUN as apt-get install."},
		{"apk cache", []string{"/var/cache/apk"}, nil, "Use `apk add --no-cache`."},
		{"dnf/yum cache", []string{"/var/cache/dnf", "/var/cache/yum"}, nil, "Run `dnf clean all` (or `yum clean all`) in the same RUN as the install."},
		{"pip cache", nil, []string{".cache/pip"}, "Use `pip install --no-cache-dir` (or set PIP_NO_CACHE_DIR=1)."},
		{"uv cache", nil, []string{".cache/uv"}, "Use `uv pip install --no-cache` (or set UV_NO_CACHE=1), or a cache mount."},
		{"poetry cache", nil, []string{".cache/pypoetry"}, "Remove ~/.cache/pypoetry in the same RUN as `poetry install`, or use a cache mount."},
		{"npm cache", nil, []string{".npm"}, "Run `npm cache clean --force` in the same RUN as npm install (or `npm ci` with a cache mount)."},
		{"yarn cache", []string{"/usr/local/share/.cache/yarn"}, []string{".cache/yarn", ".yarn/cache"}, "Run `yarn cache clean` in the same RUN as yarn install."},
		{"pnpm store", nil, []string{".local/share/pnpm/store", ".pnpm-store"}, "Run `pnpm store prune` in the same RUN, or use a cache mount."},
		{"Go build cache", nil, []string{".cache/go-build"}, "Build in a separate stage, or run `go clean -cache` in the same RUN (or use a cache mount)."},
		{"Go module cache", []string{"/go/pkg/mod"}, []string{"go/pkg/mod"}, "Download modules in a build stage and COPY only the binary, or run `go clean -modcache`."},
		{"gem cache", []string{"/usr/local/bundle/cache"}, []string{".gem"}, "Use `gem install --no-document` and remove the gem cache in the same RUN (`bundle config set clean true`)."},
		{"composer cache", nil, []string{".composer/cache", ".cache/composer"}, "Use `composer install --no-cache`."},
		{"Maven repository", nil, []string{".m2/repository"}, "Build with Maven in an earlier stage of a multi-stage build and COPY only the jar."},
	}
}

func (f final) cacheFindings() []Finding {
	var out []Finding
	homes := f.homes()
	for _, c := range caches() {
		paths := slices.Clone(c.global)
		for _, h := range homes {
			for _, rel := range c.inHome {
				paths = append(paths, h+"/"+rel)
			}
		}
		g, layers := f.collect(f.lookup(paths...))
		if g.count == 0 || g.bytes == 0 {
			continue
		}
		out = append(out, Finding{ID: PackageCache, Severity: severityBySize(g.bytes), Bytes: g.bytes,
			Title: fmt.Sprintf("%s in the final image", c.tool), Steps: f.steps(layers),
			Paths: g.paths(f.t), PathCount: g.count, Fix: c.fix})
	}
	return out
}

// severityBySize is a warning from 1 MiB, else information.
func severityBySize(bytes int64) Severity {
	if bytes >= 1<<20 {
		return Warning
	}
	return Info
}

// steps are the history steps of layers.
func (f final) steps(layers []int) []Step {
	out := make([]Step, len(layers))
	for i, l := range layers {
		out[i] = stepOf(f.res, l)
	}
	slices.SortFunc(out, func(a, b Step) int { return cmp.Compare(a.Layer, b.Layer) })
	return out
}

// toolingDirs and toolingNames are what a build leaves that a program does
// not need to run.
var toolingDirs = []string{"/usr/include", "/usr/local/include", "/usr/lib/gcc", "/usr/libexec/gcc",
	"/usr/local/go", "/usr/lib/go", "/usr/local/cargo", "/usr/local/rustup", "/usr/lib/llvm"}

func toolingName(name string) bool {
	switch name {
	case "gcc", "g++", "cc", "c++", "cpp", "clang", "clang++", "ld", "as", "make", "cmake", "rustc", "cargo", "go", "gofmt":
		return true
	}
	for _, p := range []string{"gcc-", "g++-", "cpp-", "clang-", "x86_64-linux-gnu-gcc", "aarch64-linux-gnu-gcc", "go1."} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func (f final) toolingFindings() []Finding {
	roots := f.lookup(toolingDirs...)
	for _, dir := range []string{"/usr/bin", "/usr/local/bin"} {
		if n, ok := f.t.Lookup(dir); ok {
			f.t.Children(n, func(c tree.NodeID) {
				if toolingName(f.t.Name(c)) {
					roots = append(roots, c)
				}
			})
		}
	}
	// Static libraries, wherever libraries are.
	for _, dir := range []string{"/usr/lib", "/usr/local/lib", "/lib"} {
		if n, ok := f.t.Lookup(dir); ok {
			f.walkNames(n, func(c tree.NodeID, name string) bool {
				if strings.HasSuffix(name, ".a") {
					roots = append(roots, c)
				}
				return !slices.Contains(roots, c)
			})
		}
	}
	g, layers := f.collect(dedupe(f.t, roots))
	if g.count == 0 {
		return nil
	}
	return []Finding{{ID: BuildTooling, Severity: severityBySize(g.bytes), Bytes: g.bytes,
		Title: "compilers, headers and static libraries in the final image", Steps: f.steps(layers),
		Paths: g.paths(f.t), PathCount: g.count,
		Fix: "Build in an earlier stage of a multi-stage build and COPY only what the program needs into the final stage; the compilers, headers and build-essential stay behind."}}
}

// walkNames calls fn for every node of the final image below n, going
// into directories while fn says so.
func (f final) walkNames(n tree.NodeID, fn func(c tree.NodeID, name string) bool) {
	stack := []tree.NodeID{n}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		f.t.Children(p, func(c tree.NodeID) {
			_, e, ok := f.entry(c)
			if !ok {
				return
			}
			if fn(c, f.t.Name(c)) && e.IsDir() {
				stack = append(stack, c)
			}
		})
	}
}

// dedupe drops the nodes that lie below another one of them.
func dedupe(t *tree.Tree, ns []tree.NodeID) []tree.NodeID {
	in := map[tree.NodeID]bool{}
	for _, n := range ns {
		in[n] = true
	}
	var out []tree.NodeID
	for _, n := range ns {
		below := false
		for p := t.Parent(n); p != tree.NoNode && !below; p = t.Parent(p) {
			below = in[p]
		}
		if !below && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// contextName says whether a file or directory is what a build context
// holds and an image does not need: version control, editor and system
// files, logs.
func contextName(name string, dir bool) bool {
	switch name {
	case ".git", ".svn", ".hg", ".idea", ".vscode":
		return dir
	case ".DS_Store", "Thumbs.db", "desktop.ini", ".gitignore", ".dockerignore", "Dockerfile":
		return !dir
	}
	return !dir && (strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swo") || strings.HasSuffix(name, ".log"))
}

// scan goes once over every entry of the final image for the findings
// that any path may have: context files, duplicates, world-writable paths.
func (f final) scan(duplicateMin int64, setuid []tree.EntryID) []Finding {
	var context []tree.NodeID
	dups := map[[2]uint64][]tree.EntryID{}
	writable := &group{}
	writableLayers := map[int]int64{}
	for i := range f.t.Entries() {
		id := tree.EntryID(i)
		e := f.t.Entry(id)
		if e.Kind != tree.File && e.Kind != tree.Implied || e.Death != tree.Alive {
			continue
		}
		if name := f.t.Name(e.Node); contextName(name, e.IsDir()) {
			// Logs are the build context's unless a program wrote them
			// where logs go.
			if !strings.HasSuffix(name, ".log") || !under(f.t.Path(e.Node), "/var/log") {
				context = append(context, e.Node)
			}
		}
		if e.Type == '0' && e.Size >= duplicateMin && e.Size > 0 {
			k := [2]uint64{e.Hash, uint64(e.Size)}
			dups[k] = append(dups[k], id)
		}
		if e.Mode&0o002 != 0 && e.Mode.Type() != fs.ModeSymlink && e.Type != '2' {
			if p := f.t.Path(e.Node); !under(p, "/tmp") && !under(p, "/var/tmp") && !under(p, "/dev") {
				writable.add(id, e.Size, f.max)
				writableLayers[int(e.Layer)] += 1
			}
		}
	}
	var out []Finding
	if ns := dedupe(f.t, context); len(ns) > 0 {
		g, layers := f.collect(ns)
		if g.count > 0 {
			out = append(out, Finding{ID: VCSOrContext, Severity: severityBySize(g.bytes), Bytes: g.bytes,
				Title: "version control, editor and log files copied from the build context", Steps: f.steps(layers),
				Paths: g.paths(f.t), PathCount: g.count,
				Fix: "List them in .dockerignore (.git, *.log, .DS_Store, …) so that COPY leaves them out."})
		}
	}
	out = append(out, f.duplicates(dups)...)
	if writable.count > 0 {
		out = append(out, Finding{ID: WorldWritable, Severity: Warning, Title: "world-writable paths outside /tmp and /var/tmp",
			Steps: f.steps(sortedLayers(writableLayers)), Paths: writable.paths(f.t), PathCount: writable.count,
			Fix: "Drop the write bit for others (`chmod o-w`) in the step that creates them, or own them by the user that writes them."})
	}
	if fs := f.setuid(setuid); fs != nil {
		out = append(out, *fs)
	}
	return out
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// duplicates reports each content the final image holds at several paths,
// the largest twenty.
func (f final) duplicates(dups map[[2]uint64][]tree.EntryID) []Finding {
	var out []Finding
	for _, ids := range dups {
		if len(ids) < 2 {
			continue
		}
		g := &group{}
		layers := map[int]int64{}
		for _, id := range ids {
			e := f.t.Entry(id)
			g.add(id, e.Size, f.max)
			layers[int(e.Layer)] += e.Size
		}
		size := f.t.Entry(ids[0]).Size
		out = append(out, Finding{ID: DuplicateContent, Severity: Info, Bytes: size * int64(len(ids)-1),
			Title: fmt.Sprintf("%d copies of the same content at different paths", len(ids)), Steps: f.steps(sortedLayers(layers)),
			Paths: g.paths(f.t), PathCount: len(ids),
			Fix: "Keep one copy and make the others symlinks or hard links, or COPY the file once."})
	}
	sortFindings(out)
	return out[:min(len(out), 20)]
}

// setuid reports the setuid and setgid files that layers above the base
// added and the final image still has.
func (f final) setuid(ids []tree.EntryID) *Finding {
	g := &group{}
	layers := map[int]int64{}
	for _, id := range ids {
		e := f.t.Entry(id)
		if e.Death != tree.Alive {
			continue
		}
		g.add(id, e.Size, f.max)
		layers[int(e.Layer)] += e.Size
	}
	if g.count == 0 {
		return nil
	}
	return &Finding{ID: SetuidAdded, Severity: Warning, Title: "setuid or setgid files added above the base image",
		Steps: f.steps(sortedLayers(layers)), Paths: g.paths(f.t), PathCount: g.count,
		Fix: "Remove the setuid and setgid bits (`chmod u-s,g-s`) in the step that adds these files, unless the program must gain privileges."}
}

func (a *Analyzer) imageFindings(res *analyze.Result) []Finding {
	if len(res.Layers) == 0 {
		return nil
	}
	f := final{t: res.Tree, top: len(res.Layers) - 1, res: res, max: a.opts.maxPaths}
	var out []Finding
	out = append(out, f.cacheFindings()...)
	out = append(out, f.toolingFindings()...)
	out = append(out, f.scan(a.opts.duplicateMin, a.setuid)...)
	if b := a.opts.sizeBudget; b > 0 && res.Metrics.SizeBytes > uint64(b) {
		out = append(out, Finding{ID: LargeImage, Severity: Warning, Bytes: int64(res.Metrics.SizeBytes) - b,
			Title: fmt.Sprintf("the image is %d bytes, more than the budget of %d", res.Metrics.SizeBytes, b),
			Fix:   "Start from a smaller base (slim, distroless, alpine), build in a separate stage, and act on the findings above."})
	}
	return out
}
