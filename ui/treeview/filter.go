package treeview

import (
	"bytes"
	"regexp"
)

// maxMatched is how much of the end of a path a regular expression is
// matched against: PATH_MAX. A path deeper than that is matched on its
// last 4096 bytes, so that a pathological tree costs time in proportion
// to its nodes, not to the square of its depth.
const maxMatched = 4096

// matcher is a filter: a Go regular expression, or plain text, which
// matches as a substring.
type matcher struct {
	re      *regexp.Regexp
	literal []byte // the pattern, when it has no special characters
}

func newMatcher(pattern string) (*matcher, error) {
	if regexp.QuoteMeta(pattern) == pattern {
		return &matcher{literal: []byte(pattern)}, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return &matcher{re: re}, nil
}

func (m *matcher) String() string {
	if m.re != nil {
		return m.re.String()
	}
	return string(m.literal)
}

// match says, for every node of t, whether its path matches. The paths
// are built once, depth first, in one buffer; plain text is looked for
// only where it can newly appear (a path whose parent's matches does too).
func (m *matcher) match(t Tree) []bool {
	n := t.Len()
	out := make([]bool, n)
	if n == 0 {
		return out
	}
	type frame struct {
		node   Node
		parent int // length of the parent's path in buf
	}
	var (
		buf   []byte
		stack []frame
	)
	t.Children(Root, func(c Node) { stack = append(stack, frame{c, 0}) })
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		buf = append(append(buf[:f.parent], '/'), t.Name(f.node)...)
		if m.re != nil {
			out[f.node] = m.re.Match(buf[max(0, len(buf)-maxMatched):])
		} else {
			p := t.Parent(f.node)
			from := max(0, f.parent-len(m.literal)+1)
			out[f.node] = p != Root && out[p] || bytes.Contains(buf[from:], m.literal)
		}
		end := len(buf)
		t.Children(f.node, func(c Node) { stack = append(stack, frame{c, end}) })
	}
	return out
}
