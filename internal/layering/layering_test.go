package layering

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/strata-dev/strata/"

type pkg struct {
	ImportPath string
	Deps       []string
}

// packages lists the module's packages matching pattern, with the
// packages each depends on (tests not included).
func packages(t *testing.T, pattern string) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Deps", module+pattern)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	var ps []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		t.Fatalf("go list %s found no package", pattern)
	}
	return ps
}

// forbid fails for every package matching from that depends on a package
// of the module under one of the prefixes.
func forbid(t *testing.T, from string, prefixes ...string) {
	t.Helper()
	for _, p := range packages(t, from) {
		for _, d := range p.Deps {
			rel, ok := strings.CutPrefix(d, module)
			if !ok {
				continue
			}
			for _, prefix := range prefixes {
				if rel == prefix || strings.HasPrefix(rel, prefix+"/") {
					t.Errorf("%s depends on %s", strings.TrimPrefix(p.ImportPath, module), rel)
				}
			}
		}
	}
}

// TestSourcesImportNoAnalysis: a source only opens images.
func TestSourcesImportNoAnalysis(t *testing.T) {
	forbid(t, "source/...", "analyze", "ui", "cmd")
}

// TestAnalysisImportsNoSource: the analysis takes an image.Image and
// knows nothing of where it came from.
func TestAnalysisImportsNoSource(t *testing.T) {
	forbid(t, "analyze/...", "source", "ui", "cmd")
}

// TestImageIsALeaf: the types both sides share import nothing of strata.
func TestImageIsALeaf(t *testing.T) {
	for _, p := range packages(t, "image") {
		for _, d := range p.Deps {
			if strings.HasPrefix(d, module) {
				t.Errorf("image depends on %s", d)
			}
		}
	}
}
