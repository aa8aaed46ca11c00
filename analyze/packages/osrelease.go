package packages

import (
	"bytes"
	"strconv"
	"strings"
)

// parseOSRelease reads os-release(5): KEY=value lines, values maybe
// quoted. It returns nil when there is no ID.
func parseOSRelease(b []byte) *Distro {
	var d Distro
	for line := range bytes.Lines(b) {
		k, v, ok := strings.Cut(strings.TrimSpace(string(line)), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		} else {
			v = strings.Trim(v, `"'`)
		}
		switch k {
		case "ID":
			d.ID = v
		case "VERSION_ID":
			d.VersionID = v
		case "PRETTY_NAME":
			d.PrettyName = v
		}
	}
	if d.ID == "" {
		return nil
	}
	return &d
}
