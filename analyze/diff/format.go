package diff

import (
	"archive/tar"
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/textsafe"
)

// Describe says in words what differs for a modified path, one phrase per
// attribute: "content", "mode -rw-r--r-- → -rwxr-xr-x", "owner 0:0 →
// 1000:1000", "type regular file → symlink to ../lib/x", "link target sh
// → busybox".
func Describe(n *Node) []string {
	var out []string
	a, b := &n.A, &n.B
	if n.What&Type != 0 {
		return []string{"type " + typeWords(a) + " → " + typeWords(b)}
	}
	if n.What&Content != 0 {
		out = append(out, "content")
	}
	if n.What&Mode != 0 {
		out = append(out, "mode "+tree.FormatMode(a.Mode)+" → "+tree.FormatMode(b.Mode))
	}
	if n.What&Owner != 0 {
		out = append(out, fmt.Sprintf("owner %d:%d → %d:%d", a.UID, a.GID, b.UID, b.GID))
	}
	if n.What&Link != 0 {
		out = append(out, "link target "+Printable(a.Link)+" → "+Printable(b.Link))
	}
	return out
}

func typeWords(v *Version) string {
	s := tarparse.TypeName(v.Type)
	switch v.Type {
	case tar.TypeSymlink:
		s += " to " + Printable(v.Link)
	case tar.TypeLink:
		s += " to /" + Printable(strings.TrimPrefix(v.Link, "/"))
	}
	return s
}

// FormatDelta shows a size change with its sign, in SI units: "+1.2 kB",
// "-512 B", "0 B".
func FormatDelta(d int64) string {
	switch {
	case d > 0:
		return "+" + humanize.Bytes(uint64(d))
	case d < 0:
		return "-" + humanize.Bytes(uint64(-d))
	}
	return "0 B"
}

// formatBytes shows a size in SI units followed by the exact byte count:
// "32 kB (32025 bytes)". Sizes under 1000 bytes are exact already.
func formatBytes(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%s (%d bytes)", humanize.Bytes(uint64(n)), n)
}

// Printable makes a string from an image safe to print on one line:
// control, C1, bidi and zero-width characters and invalid UTF-8 come out
// escaped; see textsafe.Line.
func Printable(s string) string { return textsafe.Line(s) }
