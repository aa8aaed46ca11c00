package packages

import (
	"bytes"
	"path"
)

// parseApkInstalled reads Alpine's installed database: a paragraph per
// package, its files as F: (directory) and R: (file in it) lines.
func parseApkInstalled(b []byte) []record {
	var out []record
	var cur *record
	dir := ""
	for line := range bytes.Lines(b) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			cur, dir = nil, ""
			continue
		}
		if len(line) < 2 || line[1] != ':' {
			continue
		}
		v := string(line[2:])
		if line[0] == 'P' {
			out = append(out, record{eco: Apk, name: v})
			cur = &out[len(out)-1]
			continue
		}
		if cur == nil {
			continue
		}
		switch line[0] {
		case 'V':
			cur.version = v
		case 'A':
			cur.arch = v
		case 'o':
			cur.source = v
		case 'F':
			dir = v
		case 'R':
			cur.files = append(cur.files, path.Clean("/"+path.Join(dir, v)))
		}
	}
	return out
}
