package extract

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// The analysis cleans every name, so no image can hand Extract a name that
// leads out; these check the second line of defence directly.
func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"passwd": true, ".hidden": true, "..x": true, "a b": true,
		"": false, ".": false, "..": false, "a/b": false, "/": false, "nul\x00": false,
	} {
		if got := validName(name); got != want {
			t.Errorf("validName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestPlanRefusesPathsLeadingOut(t *testing.T) {
	img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "x", Entries: []imagetest.Entry{imagetest.Reg("f", "x")}}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyze.Analyze(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := res.Tree.Lookup("/f")
	id, _ := res.Tree.VersionAt(n, 0)
	for _, rel := range []string{"../f", "a/../../f", "/f", ".."} {
		pl := &plan{byRel: map[string]*item{}, reads: map[int32]map[string][]*read{}}
		err := pl.add(res.Tree, id, rel, map[tree.EntryID]*read{})
		if err == nil || !strings.Contains(err.Error(), "leads out of the output directory") {
			t.Errorf("add(%q): error %v, want a refusal", rel, err)
		}
		if len(pl.items) != 0 {
			t.Errorf("add(%q) planned %d items", rel, len(pl.items))
		}
	}
}
