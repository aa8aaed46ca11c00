package packages

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/textproto"
	"path"
	"strings"
)

// parsePythonMetadata reads a distribution's METADATA or PKG-INFO (e-mail
// style headers, the body after them left alone): its Name and Version.
// p is the file's path: in a .dist-info or .egg-info directory, or an
// .egg-info file itself.
func parsePythonMetadata(p string, b []byte) ([]record, error) {
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(b))).ReadMIMEHeader()
	name, version := strings.TrimSpace(h.Get("Name")), strings.TrimSpace(h.Get("Version"))
	if name == "" || version == "" {
		if err == nil || errors.Is(err, io.EOF) {
			err = errors.New("no Name or Version")
		}
		return nil, err
	}
	r := record{eco: Python, name: name, version: version}
	if strings.HasSuffix(p, ".egg-info") {
		r.files = []string{p} // the metadata is the whole of what it records
	} else {
		r.dir = path.Dir(p)
	}
	return []record{r}, nil
}

// parsePythonRecord reads a file list: a .dist-info's RECORD (CSV, paths
// relative to the site-packages directory) or an .egg-info's
// installed-files.txt (a path a line, relative to the .egg-info
// directory). It returns absolute paths.
func parsePythonRecord(p string, b []byte) []string {
	meta := path.Dir(p)
	var out []string
	add := func(rel string) {
		switch {
		case rel == "":
		case strings.HasPrefix(rel, "/"):
			out = append(out, path.Clean(rel))
		case strings.HasSuffix(meta, ".egg-info"):
			out = append(out, path.Join(meta, rel))
		default:
			out = append(out, path.Join(path.Dir(meta), rel))
		}
	}
	if path.Base(p) == "installed-files.txt" {
		for line := range bytes.Lines(b) {
			add(string(bytes.TrimRight(line, "\r\n")))
		}
		return out
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = -1, true, true
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			continue // a malformed line; csv goes on after it
		}
		if err != nil {
			return out
		}
		if len(fields) > 0 {
			add(fields[0])
		}
	}
}

// normalizePython is a distribution name as PEP 503 compares them:
// lower case, runs of -, _ and . as one -.
func normalizePython(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(name) {
		if c == '-' || c == '_' || c == '.' {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(c)
	}
	return b.String()
}
