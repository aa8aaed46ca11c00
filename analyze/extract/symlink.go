package extract

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
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
//
// The directory reached is kept in one buffer, with for each element its
// end and whether it lies in something the extraction writes afresh, so
// that each step costs one lookup, not a walk of the path so far.
func (w *writer) escapes(rel, target string) bool {
	if target == "" || path.IsAbs(target) {
		return true
	}
	var cur []byte // the directory reached, below the output directory
	type level struct {
		end   int  // of the element in cur
		fresh bool // inside what the extraction writes afresh: no symlink there
	}
	var levels []level
	down := func(e string) (link string, isLink bool) {
		if len(cur) > 0 {
			cur = append(cur, '/')
		}
		cur = append(cur, e...)
		fresh := len(levels) > 0 && levels[len(levels)-1].fresh
		it, planned := w.plan.byRel[string(cur)]
		if planned && it.act != actSkip {
			fresh = it.act == actFile || it.act == actDir && it.fresh
		}
		levels = append(levels, level{len(cur), fresh})
		switch {
		case planned && it.act == actSymlink:
			return it.link, true
		case planned && it.act != actSkip, fresh && !planned:
			return "", false
		}
		return w.linkOnDisk(string(cur))
	}
	up := func() {
		levels = levels[:len(levels)-1]
		cur = cur[:0]
		if len(levels) > 0 {
			cur = cur[:levels[len(levels)-1].end]
		}
	}
	if d := path.Dir(rel); d != "." {
		for _, e := range strings.Split(d, "/") {
			down(e)
		}
	}
	todo := strings.Split(target, "/") // elements still to walk, last first
	slices.Reverse(todo)
	for hops := 0; len(todo) > 0; {
		e := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		switch e {
		case "", ".":
			continue
		case "..":
			if len(levels) == 0 {
				return true
			}
			up()
			continue
		}
		link, ok := down(e)
		if !ok {
			continue
		}
		// Go on from the link's directory with its target, then the
		// rest of this one. Too many hops (a loop) counts as leaving.
		if hops++; hops > maxHops || link == "" || path.IsAbs(link) {
			return true
		}
		up()
		more := strings.Split(link, "/")
		slices.Reverse(more)
		todo = append(todo, more...)
	}
	return false
}

// linkOnDisk says whether the output directory already holds a symlink at
// rel, which the extraction leaves alone, and where it points.
func (w *writer) linkOnDisk(rel string) (string, bool) {
	d, base, err := w.dirs.at(rel)
	if err != nil {
		return "", false // no directory there: nothing below it either
	}
	fi, err := d.Lstat(base)
	if err != nil || fi.Mode().Type() != fs.ModeSymlink {
		return "", false
	}
	link, err := d.Readlink(base)
	if err != nil {
		return "/", true // unreadable: take it as leading out
	}
	return link, true
}
