package main

import (
	"archive/tar"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// TestNoTerminalInjection builds images whose file names, link targets
// and history commands try to drive a terminal — clear the screen, hide
// text, make a hyperlink, reorder text, forge a line of CI output — and
// checks every text output strata writes: the summary, the findings with
// their paths, --ci, diff and extract, on stdout and stderr. None may hold
// a character a terminal acts on, and no forged line may appear.
func TestNoTerminalInjection(t *testing.T) {
	const forged = "Result: PASS"
	evil := []string{
		"clear\x1b[2Jscreen", "hide\x1b[8mthis\x1b[0m", "link\x1b]8;;http://x\x07here\x1b]8;;\x07",
		"line\r\n" + forged, "\u202eevil.txt", "zero\u200bwidth", "c1\u009bmore", "bad\xffbyte",
	}
	var entries []mEntry
	for i, name := range evil {
		entries = append(entries, mFile(name, strings.Repeat("x", 100+i)))
		entries = append(entries, mEntry{Header: tar.Header{Name: "l" + name, Typeflag: tar.TypeSymlink, Linkname: "/" + name, Mode: 0o777}})
	}
	img := mPlain(mLayerTar(t, entries...), mLayerTar(t, append(entries[:4:4], mFile(evil[0], "changed"))...))
	img.history = []v1.History{
		{CreatedBy: "/bin/sh -c echo \x1b[8mhidden\x1b[0m\n" + forged},
		{CreatedBy: "/bin/sh -c |1 TOKEN=\u202edrow\u202c /bin/sh -c true\r" + forged},
	}
	dir := t.TempDir()
	a := mWriteDocker(t, filepath.Join(dir, "a.tar"), img)
	b := mWriteDocker(t, filepath.Join(dir, "b.tar"), mPlain(mLayerTar(t, entries[2:]...)))
	for _, args := range [][]string{
		{"inspect", "-v", a},
		{"inspect", "--ci", a},
		{"diff", a, b},
		{"extract", "-o", filepath.Join(dir, "out"), a, "/"},
	} {
		r := strata(t, noEnv, args...)
		for what, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			for _, line := range strings.Split(out, "\n") {
				if strings.TrimSpace(line) == forged {
					t.Errorf("%s: %s holds a forged line %q", args[0], what, line)
				}
			}
			for _, c := range out {
				if unsafeForTerminal(c) || c == '\uFFFD' {
					t.Errorf("%s: %s holds %U:\n%s", args[0], what, c, out)
					break
				}
			}
		}
		if !strings.Contains(r.stdout+r.stderr, `\x1b`) {
			t.Errorf("%s: the names are not shown, escaped:\n%s", args[0], r)
		}
	}
}
