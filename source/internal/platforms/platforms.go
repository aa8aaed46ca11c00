package platforms

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/internal/textsafe"
)

// Parse reads os/arch[/variant]. An empty string is the zero platform,
// which means "the host's".
func Parse(s string) (v1.Platform, error) {
	if s == "" {
		return v1.Platform{}, nil
	}
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 || slices.Contains(parts, "") {
		return v1.Platform{}, fmt.Errorf("platform %q is not of the form os/arch[/variant]", s)
	}
	p := v1.Platform{OS: parts[0], Architecture: parts[1]}
	if len(parts) == 3 {
		p.Variant = parts[2]
	}
	return p, nil
}

// Host is the platform images for this machine are built for.
func Host() v1.Platform {
	p := v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
	switch runtime.GOARCH {
	case "arm64":
		p.Variant = "v8"
	case "arm":
		p.Variant = "v7"
	}
	return p
}

// Format writes a platform as os/arch[/variant].
func Format(p v1.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// Describe writes an image's platform for a message: os/arch[/variant]
// escaped for a terminal, with "?" for a part the image leaves empty, or
// "no platform" when it names neither os nor architecture.
func Describe(p v1.Platform) string {
	if p.OS == "" && p.Architecture == "" {
		return "no platform (its config names no os or architecture)"
	}
	orUnknown := func(s string) string {
		if s == "" {
			return "?"
		}
		return s
	}
	return textsafe.Line(Format(v1.Platform{OS: orUnknown(p.OS), Architecture: orUnknown(p.Architecture), Variant: p.Variant}))
}

// Matches says whether an image's platform satisfies the wanted one. A
// variant is only compared when both give one, so linux/arm64 matches
// linux/arm64/v8.
func Matches(have, want v1.Platform) bool {
	if have.OS != want.OS || have.Architecture != want.Architecture {
		return false
	}
	return want.Variant == "" || have.Variant == "" || have.Variant == want.Variant
}

// Candidate is one image of an index.
type Candidate struct {
	Platform v1.Platform
	Index    int
}

// Pick chooses among the images of an index. With want zero (no
// --platform given) a single image is taken whatever its platform, and
// several are matched against the host. When none matches, the error lists
// the platforms there are.
func Pick(cands []Candidate, want v1.Platform) (Candidate, error) {
	if len(cands) == 0 {
		return Candidate{}, fmt.Errorf("the index holds no image")
	}
	explicit := want.OS != ""
	if !explicit {
		if len(cands) == 1 {
			return cands[0], nil
		}
		want = Host()
	}
	for _, c := range cands {
		if Matches(c.Platform, want) {
			return c, nil
		}
	}
	how := ""
	if !explicit {
		how = " (this host's; choose one with --platform)"
	}
	return Candidate{}, fmt.Errorf("no image for platform %s%s; the index has %s", Format(want), how, listPlatforms(cands))
}

// maxListed bounds how many platforms an error lists.
const maxListed = 16

// listPlatforms writes the distinct platforms of cands, escaped for a
// terminal, at most maxListed of them.
func listPlatforms(cands []Candidate) string {
	var have []string
	seen := map[string]bool{}
	for _, c := range cands {
		p := Describe(c.Platform)
		if seen[p] {
			continue
		}
		seen[p] = true
		have = append(have, p)
	}
	if len(have) > maxListed {
		return strings.Join(have[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(have)-maxListed)
	}
	return strings.Join(have, ", ")
}
