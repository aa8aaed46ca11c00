package diff

import (
	"archive/tar"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze"
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
		out = append(out, "mode "+FormatMode(a.Mode)+" → "+FormatMode(b.Mode))
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
	s := analyze.TypeName(v.Type)
	switch v.Type {
	case tar.TypeSymlink:
		s += " to " + Printable(v.Link)
	case tar.TypeLink:
		s += " to /" + Printable(strings.TrimPrefix(v.Link, "/"))
	}
	return s
}

// FormatMode is ls's mode column: -rwxr-xr-x, drwxr-xr-x, lrwxrwxrwx, with
// s, S, t and T for the setuid, setgid and sticky bits.
func FormatMode(m fs.FileMode) string {
	b := []byte("-rwxrwxrwx")
	switch {
	case m&fs.ModeDir != 0:
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	}
	for i := range 9 {
		if m&(1<<(8-i)) == 0 {
			b[i+1] = '-'
		}
	}
	special := func(pos int, set bool, on, off byte) {
		if set {
			if b[pos] == '-' {
				b[pos] = off
			} else {
				b[pos] = on
			}
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b)
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

// Printable makes a name from an image safe to print on one line: control
// characters and invalid UTF-8 come out as Go escapes.
func Printable(s string) string {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || r >= 0x80 && r < 0xa0 {
			q := strconv.QuoteToGraphic(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}
