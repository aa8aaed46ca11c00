package tree

import (
	"io/fs"
	"strconv"
)

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

// FormatOwner writes an entry's owner as ls -n does: uid:gid.
func (t *Tree) FormatOwner(e *Entry) string {
	uid, gid := t.Owner(e)
	return strconv.FormatInt(uid, 10) + ":" + strconv.FormatInt(gid, 10)
}
