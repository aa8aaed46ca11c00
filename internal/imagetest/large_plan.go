package imagetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// blob is one version of a file's content; chmod-only copies share it.
type blob struct {
	id     uint64
	weight float64
	size   int64
	refs   int
}

// planned is one tar entry of a planned layer; parent directories are
// added when the layer is written.
type planned struct {
	path     string
	mode     int64
	uid, gid int
	whiteout bool
	blob     *blob // nil for whiteouts
}

type planLayer struct {
	createdBy string
	entries   []planned
}

// planner lays out a large image before any byte is written.
type planner struct {
	r      *rand.Rand
	nextID uint64
}

func (p *planner) word() string {
	const syl = "ka lo mi ne su ta ri vo ze pa gu do xi be fo ly an te"
	s := strings.Fields(syl)
	n := 2 + p.r.IntN(2)
	var b strings.Builder
	for range n {
		b.WriteString(s[p.r.IntN(len(s))])
	}
	return b.String()
}

// newBlob draws a log-normal size weight; a few blobs are much larger.
func (p *planner) newBlob() *blob {
	p.nextID++
	w := math.Exp(p.r.NormFloat64() * 1.6)
	if p.r.IntN(400) == 0 {
		w *= 300
	}
	return &blob{id: p.nextID, weight: w}
}

// group plans n new files spread over subdirectories of prefix.
func (p *planner) group(prefix string, n int, ext string, mode int64, uid int) []planned {
	dirs := make([]string, max(1, n/30))
	for i := range dirs {
		dirs[i] = prefix + p.word() + "/"
		if p.r.IntN(2) == 0 {
			dirs[i] += p.word() + "/"
		}
	}
	out := make([]planned, n)
	for i := range out {
		name := fmt.Sprintf("%s%s-%d%s", dirs[p.r.IntN(len(dirs))], p.word(), p.nextID+1, ext)
		out[i] = planned{path: name, mode: mode, uid: uid, gid: uid, blob: p.newBlob()}
	}
	return out
}

// planLarge returns the layers of the image GenerateLarge writes.
func planLarge(o LargeOptions) []planLayer {
	p := &planner{r: rand.New(rand.NewPCG(uint64(o.Seed), 0x1a4e))}
	f, n := o.Files, o.Layers
	pct := func(x int) int { return max(1, f*x/100) }
	middle := n - 7
	middleFiles := 0
	if middle > 0 {
		middleFiles = pct(20)
	}
	lists := pct(15)
	base := f - lists - pct(15) - pct(5) - pct(5) - pct(5) - middleFiles

	var core []planned
	for _, g := range []struct {
		prefix, ext string
		share       int
		mode        int64
	}{
		{"usr/lib/x86_64-linux-gnu/", ".so", 30, 0o755},
		{"usr/share/doc/", ".gz", 20, 0o644},
		{"usr/share/locale/", ".mo", 15, 0o644},
		{"usr/include/", ".h", 15, 0o644},
		{"usr/lib/python3/dist-packages/", ".py", 15, 0o644},
		{"usr/bin/", "", 5, 0o755},
	} {
		core = append(core, p.group(g.prefix, max(1, base*g.share/100), g.ext, g.mode, 0)...)
	}
	core[0].blob.weight *= 100 // one large shared library, always
	assets := p.group("app/assets/", pct(5), ".js", 0o644, 1000)

	ls := make([]planLayer, n)
	ls[0] = planLayer{createdBy: fmt.Sprintf("/bin/sh -c #(nop) ADD file:%016x in / ", uint64(o.Seed)),
		entries: append(slices.Clone(core), assets...)}
	listFiles := p.group("var/lib/apt/lists/", lists, "_Packages", 0o644, 0)
	for i := range listFiles { // flat, like the real directory
		listFiles[i].path = fmt.Sprintf("var/lib/apt/lists/deb.example.org_%s_%d_Packages", p.word(), i)
	}
	ls[1] = planLayer{createdBy: "RUN /bin/sh -c apt-get update && apt-get install -y build-essential # buildkit",
		entries: append(p.group("usr/lib/gcc/x86_64-linux-gnu/", pct(5), ".a", 0o644, 0), listFiles...)}
	ls[2] = planLayer{createdBy: "COPY vendor/ /opt/vendor/ # buildkit",
		entries: p.group("opt/vendor/", pct(15), ".go", 0o644, 0)}
	for i := range middle {
		ls[3+i] = planLayer{createdBy: fmt.Sprintf("RUN /bin/sh -c make -C /src stage-%d # buildkit", i+1),
			entries: p.group(fmt.Sprintf("usr/local/lib/stage%d/", i+1), middleFiles/middle, ".o", 0o644, 0)}
	}

	ls[n-3] = planLayer{createdBy: "RUN /bin/sh -c rm -rf /app/assets && build-assets --out /app/assets # buildkit",
		entries: append([]planned{{path: "app/assets/" + OpaqueMarker, whiteout: true}},
			p.group("app/assets/", pct(5), ".js", 0o644, 1000)...)}

	// Rewrites go to the apt and middle layers; the first chosen file is
	// rewritten a second time in the last middle layer (or the opaque layer).
	rewriteLayers := []int{1}
	for i := range middle {
		rewriteLayers = append(rewriteLayers, 3+i)
	}
	perm := p.r.Perm(len(core))
	rewrites, chmods := perm[:pct(3)], perm[pct(3):pct(3)+pct(1)]
	for i, c := range rewrites {
		at := rewriteLayers[i%len(rewriteLayers)]
		ls[at].entries = append(ls[at].entries, rewrite(p, core[c]))
	}
	again := n - 3
	if middle > 0 {
		again = 3 + middle - 1
	}
	ls[again].entries = append(ls[again].entries, rewrite(p, core[rewrites[0]]))

	chmodLayer := planLayer{createdBy: "RUN /bin/sh -c xargs chmod a+x,a-x < /tmp/modes # buildkit"}
	for _, c := range chmods {
		e := core[c]
		e.mode ^= 0o111 // same content, only the executable bits flip
		chmodLayer.entries = append(chmodLayer.entries, e)
	}
	ls[n-4] = chmodLayer
	ls[n-2] = planLayer{createdBy: "RUN /bin/sh -c rm -rf /opt/vendor # buildkit",
		entries: []planned{{path: "opt/" + WhiteoutPrefix + "vendor", whiteout: true}}}
	cleanup := planLayer{createdBy: "RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit"}
	for _, e := range listFiles {
		cleanup.entries = append(cleanup.entries, planned{path: Whiteout(e.path).Path, whiteout: true})
	}
	ls[n-1] = cleanup

	for i := range ls {
		slices.SortFunc(ls[i].entries, func(a, b planned) int { return strings.Compare(a.path, b.path) })
	}
	sizeBlobs(ls, o.TotalBytes)
	return ls
}

// rewrite returns e with new content.
func rewrite(p *planner, e planned) planned {
	e.blob = p.newBlob()
	return e
}

// sizeBlobs turns weights into sizes summing exactly to total over all
// entries, counting shared blobs once per entry.
func sizeBlobs(ls []planLayer, total int64) {
	var sum float64
	var largest *blob
	for _, l := range ls {
		for _, e := range l.entries {
			if e.blob == nil {
				continue
			}
			e.blob.refs++
			sum += e.blob.weight
		}
	}
	var got int64
	for _, l := range ls {
		for _, e := range l.entries {
			b := e.blob
			if b == nil {
				continue
			}
			if b.refs > 0 { // first visit: fix the size
				b.size = int64(b.weight / sum * float64(total))
				b.refs = -b.refs
			}
			got += b.size
			if b.refs == -1 && (largest == nil || b.size > largest.size) {
				largest = b
			}
		}
	}
	if largest != nil {
		largest.size += total - got
	}
}
