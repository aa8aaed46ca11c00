package extract

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// maxHops bounds the symlinks followed to resolve one target, as the
// kernel's ELOOP does.
const maxHops = 40

// checkSymlinks turns the symlinks whose target leads out of the output
// directory into skipped items, with a warning each. All of them are
// judged first, against the plan as a whole, then skipped: a symlink
// resolved through another one that is skipped is resolved as if that one
// were written, which can only make it leave sooner.
func (w *writer) checkSymlinks() {
	var out []*item
	for _, it := range w.plan.items {
		if it.act == actSymlink && w.escapes(it.rel, it.link) {
			out = append(out, it)
		}
	}
	for _, it := range out {
		it.act = actSkip
		w.sum.Skipped++
		w.sum.Warnings = append(w.sum.Warnings,
			fmt.Sprintf("skipped symlink %s -> %s: the target leads out of the output directory", it.path, it.link))
	}
}

// escapes says whether a symlink at rel pointing to target, resolved from
// rel's directory the way the kernel would once everything is written,
// leads out of the output directory at any step: through "..", an
// absolute target, or a symlink the extraction writes or the directory
// already holds. Dangling targets inside are fine.
func (w *writer) escapes(rel, target string) bool {
	var cur []string // the directory reached, as elements below the output directory
	if d := path.Dir(rel); d != "." {
		cur = strings.Split(d, "/")
	}
	if target == "" || path.IsAbs(target) {
		return true
	}
	todo := strings.Split(target, "/") // elements still to walk
	for hops := 0; len(todo) > 0; {
		e := todo[0]
		todo = todo[1:]
		switch e {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return true
			}
			cur = cur[:len(cur)-1]
			continue
		}
		cur = append(cur, e)
		link, ok := w.linkAt(strings.Join(cur, "/"))
		if !ok {
			continue
		}
		// Go on from the link's directory with its target, then the
		// rest of this one. Too many hops (a loop) counts as leaving.
		if hops++; hops > maxHops || link == "" || path.IsAbs(link) {
			return true
		}
		cur = cur[:len(cur)-1]
		todo = append(strings.Split(link, "/"), todo...)
	}
	return false
}

// linkAt says whether there will be a symlink at rel once the extraction
// is done, and where it points: the plan says so for what it writes, the
// disk for what it leaves alone.
func (w *writer) linkAt(rel string) (string, bool) {
	if it, ok := w.plan.byRel[rel]; ok && it.act != actSkip {
		if it.act == actSymlink {
			return it.link, true
		}
		return "", false
	}
	// Below a directory the extraction makes afresh, or a file it
	// writes, there is nothing but what it writes.
	for p := path.Dir(rel); p != "."; p = path.Dir(p) {
		if it, ok := w.plan.byRel[p]; ok {
			if it.act == actFile || it.act == actDir && it.fresh {
				return "", false
			}
			break
		}
	}
	fi, err := w.root.Lstat(osPath(rel))
	if err != nil || fi.Mode().Type() != fs.ModeSymlink {
		return "", false
	}
	link, err := w.root.Readlink(osPath(rel))
	if err != nil {
		return "/", true // unreadable: take it as leading out
	}
	return link, true
}
