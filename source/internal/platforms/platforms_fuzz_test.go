package platforms

import (
	"strconv"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// FuzzParse reads arbitrary --platform values. A value that parses
// formats back to itself and matches itself; one that does not gets an
// error quoting it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "linux/amd64", "linux/arm64/v8", "linux", "linux/", "/amd64", "a/b/c/d", "windows/amd64/10.0.17763", "//", "linux/arm/v7\n", "\xff/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if !strings.Contains(err.Error(), quoteInner(s)) {
				t.Fatalf("the error for %q does not quote it: %v", s, err)
			}
			return
		}
		if s == "" {
			if p.OS != "" || p.Architecture != "" || p.Variant != "" {
				t.Fatalf("Parse(\"\") = %+v", p)
			}
			return
		}
		if got := Format(p); got != s {
			t.Fatalf("Format(Parse(%q)) = %q", s, got)
		}
		if p.OS == "" || p.Architecture == "" || strings.Contains(p.OS+p.Architecture+p.Variant, "/") {
			t.Fatalf("Parse(%q) = %+v", s, p)
		}
		if !Matches(p, p) {
			t.Fatalf("%q does not match itself", s)
		}
		// The platform picks itself out of an index that also has others.
		c, err := Pick([]Candidate{{Platform: v1.Platform{OS: "other", Architecture: "x"}, Index: 0}, {Platform: p, Index: 1}}, p)
		if err != nil && p.OS != "other" {
			t.Fatalf("Pick(%q): %v", s, err)
		}
		if err == nil && !Matches(c.Platform, p) {
			t.Fatalf("Pick(%q) chose %+v", s, c.Platform)
		}
	})
}

// quoteInner is s as %q writes it inside an error message.
func quoteInner(s string) string {
	return strings.TrimSuffix(strings.TrimPrefix(fmtQ(s), `"`), `"`)
}

func fmtQ(s string) string { return strconv.Quote(s) }
