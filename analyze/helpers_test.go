package analyze_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// analyzeSteps builds an image from steps and analyzes it.
func analyzeSteps(t *testing.T, steps []imagetest.Step, opts ...imagetest.Option) *analyze.Result {
	t.Helper()
	img, err := imagetest.Image(steps, opts...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyze.Analyze(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// render lists the paths a view shows, depth first with sorted children,
// each prefixed by its change as a letter (A, M, R, or a space).
func render(res *analyze.Result, k int, mode tree.CompareMode) []string {
	v := tree.NewView(res.Tree, res.Layers, k, mode)
	var out []string
	var walk func(n tree.NodeID)
	walk = func(n tree.NodeID) {
		var kids []tree.NodeID
		res.Tree.Children(n, func(c tree.NodeID) {
			if v.Shown(c) {
				kids = append(kids, c)
			}
		})
		slices.SortFunc(kids, func(a, b tree.NodeID) int { return strings.Compare(res.Tree.Name(a), res.Tree.Name(b)) })
		for _, c := range kids {
			letter := map[tree.ChangeType]string{tree.Added: "A", tree.Modified: "M", tree.Removed: "R", tree.Unmodified: " "}[v.Change(c)]
			line := letter + " " + res.Tree.Path(c)
			if e, ok := v.Entry(c); ok && res.Tree.Link(e) != "" {
				line += " -> " + res.Tree.Link(e)
			}
			out = append(out, line)
			walk(c)
		}
	}
	walk(tree.Root)
	return out
}

func diffLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func fmtIneff(in []metrics.Inefficiency) []string {
	var out []string
	for _, i := range in {
		out = append(out, fmt.Sprintf("%s %d %d", i.Path, i.Count, i.SizeBytes))
	}
	return out
}
