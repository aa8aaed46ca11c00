package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/difftest"
)

// diffPair writes a pair's images as base.tar and NAME.tar in an empty
// working directory, and returns their names.
func diffPair(t *testing.T, name string) (string, string) {
	t.Helper()
	p := difftest.Lookup(t, name)
	dir := inEmptyDir(t)
	difftest.WriteArchive(t, dir, "base.tar", p.A)
	difftest.WriteArchive(t, dir, name+".tar", p.B)
	return "base.tar", name + ".tar"
}

// Every pair, as plain text: exactly testdata/diff/NAME.txt, which the
// package's own tests check too.
func TestDiffPairsText(t *testing.T) {
	for _, p := range difftest.Pairs() {
		t.Run(p.Name, func(t *testing.T) {
			a, b := diffPair(t, p.Name)
			r := strata(t, noEnv, "diff", a, b)
			wantExit(t, r, exitOK)
			if r.stderr != "" {
				t.Errorf("stderr is not empty\n%s", r)
			}
			difftest.RequireGolden(t, p.Name+".txt", r.stdout)
		})
	}
}

// Every pair as JSON on stdout, and nothing else there.
func TestDiffPairsJSON(t *testing.T) {
	for _, p := range difftest.Pairs() {
		t.Run(p.Name, func(t *testing.T) {
			a, b := diffPair(t, p.Name)
			r := strata(t, noEnv, "diff", "--json", "-", a, b)
			wantExit(t, r, exitOK)
			if r.stderr != "" {
				t.Errorf("stderr is not empty\n%s", r)
			}
			difftest.RequireGolden(t, p.Name+".json", r.stdout)
		})
	}
}

// strata diff X X: no differences, every layer shared.
func TestDiffSameImage(t *testing.T) {
	img := demoImage(t)
	r := strata(t, noEnv, "diff", img, img)
	wantExit(t, r, exitOK)
	for _, want := range []string{
		"No differences: the same 9 layers, history and files.",
		"Layers: 9 shared, 0 new in B, 0 gone from A",
		"To get B from A: nothing to download, A has every layer of B",
		"History: the same, 15 steps",
		"Files: no differences",
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("stdout lacks %q\n%s", want, r)
		}
	}
	rows := 0
	for _, l := range lines(r.stdout) {
		if strings.HasPrefix(l, "= ") {
			rows++
		} else if len(l) > 2 && strings.Contains("+-~", l[:1]) && l[1] == ' ' {
			t.Errorf("a layer row that is not shared: %q", l)
		}
	}
	if rows != 9 {
		t.Errorf("%d shared layer rows, want 9\n%s", rows, r)
	}

	r = strata(t, noEnv, "diff", "--json", "-", img, img)
	wantExit(t, r, exitOK)
	doc := decodeJSON(t, []byte(r.stdout))
	if doc["identical"] != true {
		t.Errorf("identical = %v", doc["identical"])
	}
	layers := wantKeys(t, "layers", doc["layers"], "shared", "new", "gone", "moved", "download", "rows")
	if num(t, "shared", layers["shared"]) != "9" || num(t, "new", layers["new"]) != "0" || num(t, "gone", layers["gone"]) != "0" {
		t.Errorf("layers: %v", layers)
	}
	for i, row := range list(t, "rows", layers["rows"]) {
		if s := wantKeys(t, "row", row, "status", "a", "b")["status"]; s != "shared" {
			t.Errorf("row %d is %v", i, s)
		}
	}
	files := wantKeys(t, "files", doc["files"], "added", "removed", "modified", "changes", "directories")
	if len(list(t, "changes", files["changes"])) != 0 || len(list(t, "directories", files["directories"])) != 0 {
		t.Errorf("files: %v", files)
	}
	if h := wantKeys(t, "history", doc["history"], "firstDivergence", "rows"); num(t, "firstDivergence", h["firstDivergence"]) != "-1" {
		t.Errorf("history: %v", h["firstDivergence"])
	}
}

func TestDiffJSONFile(t *testing.T) {
	a, b := diffPair(t, "changed-file")
	r := strata(t, noEnv, "diff", "--json", "out.json", a, b)
	wantExit(t, r, exitOK)
	if want := "strata: wrote the comparison of " + a + " and " + b + " as JSON to out.json\n"; r.stdout != "" || r.stderr != want {
		t.Errorf("strata printed something besides the report and the line %q\n%s", want, r)
	}
	data, err := os.ReadFile("out.json")
	if err != nil {
		t.Fatal(err)
	}
	difftest.RequireGolden(t, "changed-file.json", string(data))

	// A failed run leaves no stale report behind.
	r = strata(t, noEnv, "diff", "--json", "out.json", a, "missing.tar")
	wantExit(t, r, exitError)
	if _, err := os.Stat("out.json"); !os.IsNotExist(err) {
		t.Errorf("the report of an earlier run is still there: %v", err)
	}
}

func TestDiffUsageErrors(t *testing.T) {
	inEmptyDir(t)
	for _, tt := range []struct {
		args     []string
		mentions []string
	}{
		{[]string{"diff"}, []string{"exactly two images", "strata diff --help"}},
		{[]string{"diff", "a.tar"}, []string{"exactly two images"}},
		{[]string{"diff", "a.tar", "b.tar", "c.tar"}, []string{"exactly two images"}},
		{[]string{"diff", "", "b.tar"}, []string{"IMAGE_A is empty"}},
		{[]string{"diff", "a.tar", ""}, []string{"IMAGE_B is empty"}},
		{[]string{"diff", "--source", "floppy", "a.tar", "b.tar"}, []string{`unknown source "floppy"`}},
		{[]string{"diff", "--platform", "x", "a.tar", "b.tar"}, []string{"x"}},
		{[]string{"diff", "./missing-a.tar", "./missing-b.tar"}, []string{"missing-a.tar"}},
		{[]string{"diff", "--ci", "--highest-size-increase", "lots", "a.tar", "b.tar"}, []string{"--highest-size-increase", `invalid value "lots"`}},
		{[]string{"diff", "--ci", "--ci-report", "xml=r.xml", "a.tar", "b.tar"}, []string{"give junit=PATH"}},
		{[]string{"diff", "--no-such-flag", "a.tar", "b.tar"}, []string{"--no-such-flag"}},
	} {
		r := strata(t, noEnv, tt.args...)
		wantOneError(t, r, tt.mentions...)
	}
}

// The second image missing: one error naming it, nothing on stdout.
func TestDiffMissingB(t *testing.T) {
	a, _ := diffPair(t, "chmod")
	r := strata(t, noEnv, "diff", a, "./nope.tar")
	wantOneError(t, r, "nope.tar")
}

func TestDiffCI(t *testing.T) {
	tests := []struct {
		name  string
		pair  string
		args  []string
		rules string // .strata-ci.yaml, when not empty
		env   map[string]string
		exit  int
		want  []string
	}{
		{
			name: "default rules", pair: "added-package", args: []string{"--ci"}, exit: exitOK,
			want: []string{
				"CI (default diff rules):",
				"  SKIP  highestSizeIncrease: rule disabled",
				"  SKIP  highestNewLayerBytes: rule disabled",
				"  PASS  lowestEfficiency: 100 % (1) >= threshold 90 % (0.9)",
				"Result: PASS [total:3] [passed:1] [failed:0] [skipped:2]",
			},
		},
		{
			name: "flags", pair: "added-package", exit: exitRuleFailed,
			args: []string{"--ci", "--highest-size-increase", "10kB", "--highest-new-layer-bytes", "20kB", "--lowest-efficiency", "off"},
			want: []string{
				"  FAIL  highestSizeIncrease: image B grew too much: +16 kB (+16114 bytes) > threshold 10 kB (10000 bytes)",
				"  PASS  highestNewLayerBytes: 17 kB (16846 bytes) <= threshold 20 kB (20000 bytes)",
				"  SKIP  lowestEfficiency: rule disabled",
				"Result: FAIL [total:3] [passed:1] [failed:1] [skipped:1]",
			},
		},
		{
			name: "percent", pair: "chmod", args: []string{"--ci", "--highest-size-increase", "2%"}, exit: exitRuleFailed,
			want: []string{
				"  FAIL  highestSizeIncrease: image B grew too much: +2.3163 % of 2.2 kB (2245 bytes) > threshold 2 %",
				"  PASS  lowestEfficiency: 97.7362 % (0.9773617762298651) >= threshold 90 % (0.9)",
			},
		},
		{
			name: "rules file", pair: "deleted-file", exit: exitRuleFailed, env: map[string]string{"CI": "true"},
			rules: "rules:\n  lowestEfficiency: 0.99\ndiff:\n  highestNewLayerBytes: 100\n",
			want: []string{
				"CI (diff rules from .strata-ci.yaml):",
				"  FAIL  highestNewLayerBytes: too many bytes in layers new in B: 147 B > threshold 100 B",
				"  FAIL  lowestEfficiency: image B's efficiency is too low: 98.2183 % (0.9821826280623608) < threshold 99 % (0.99)",
				"Result: FAIL [total:3] [passed:0] [failed:2] [skipped:1]",
			},
		},
		{
			name: "a flag over the rules file", pair: "deleted-file", exit: exitOK,
			args:  []string{"--ci", "--highest-new-layer-bytes=1kB", "--lowest-efficiency=0.98"},
			rules: "diff:\n  highestNewLayerBytes: 100\n",
			want: []string{
				"  PASS  highestNewLayerBytes: 147 B <= threshold 1.0 kB (1000 bytes)",
				"Result: PASS [total:3] [passed:2] [failed:0] [skipped:1]",
			},
		},
		{
			name: "the same image", pair: "identical", exit: exitOK,
			args: []string{"--ci", "--highest-size-increase", "0", "--highest-new-layer-bytes", "0"},
			want: []string{
				"  PASS  highestSizeIncrease: 0 B <= threshold 0 B",
				"  PASS  highestNewLayerBytes: 0 B <= threshold 0 B",
				"Result: PASS [total:3] [passed:3] [failed:0] [skipped:0]",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := diffPair(t, tt.pair)
			if tt.rules != "" {
				writeFile(t, ".", ".strata-ci.yaml", tt.rules)
			}
			r := strata(t, tt.env, append(append([]string{"diff"}, tt.args...), a, b)...)
			wantExit(t, r, tt.exit)
			for _, w := range tt.want {
				if !hasLine(r.stdout, w) {
					t.Errorf("stdout lacks %q\n%s", w, r)
				}
			}
			// The diff itself comes first.
			if !strings.HasPrefix(r.stdout, "A: base.tar (docker-archive, linux/amd64)\n") {
				t.Errorf("stdout does not start with the diff\n%s", r)
			}
			if r.stderr != "" {
				t.Errorf("stderr is not empty\n%s", r)
			}
		})
	}
}

// --ci=false wins over $CI; the rules file's unknown diff keys warn once.
func TestDiffCIFlagAndWarnings(t *testing.T) {
	a, b := diffPair(t, "chmod")
	r := strata(t, map[string]string{"CI": "true"}, "diff", "--ci=false", a, b)
	wantExit(t, r, exitOK)
	if strings.Contains(r.stdout, "CI (") {
		t.Errorf("--ci=false still checked the rules\n%s", r)
	}
	writeFile(t, ".", ".strata-ci.yaml", "diff:\n  highestSizeIncrease: 1MB\n  colour: blue\n")
	r = strata(t, noEnv, "diff", "--ci", a, b)
	wantExit(t, r, exitOK)
	if want := "strata: warning: .strata-ci.yaml: ignoring unknown keys: diff.colour\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
	writeFile(t, ".", ".strata-ci.yaml", "diff:\n  highestSizeIncrease: lots\n")
	r = strata(t, noEnv, "diff", "--ci", a, b)
	wantOneError(t, r, ".strata-ci.yaml:2", `invalid value "lots" for rule diff.highestSizeIncrease`)
}

func TestDiffCIJUnitAndJSON(t *testing.T) {
	a, b := diffPair(t, "all")
	r := strata(t, noEnv, "diff", "--ci", "--json", "-", "--ci-report", "junit=report.xml",
		"--highest-size-increase", "1kB", a, b)
	wantExit(t, r, exitRuleFailed)
	// stdout holds the JSON alone; the text and the verdict go to stderr.
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not the JSON: %v\n%s", err, r)
	}
	difftest.RequireGolden(t, "all.json", r.stdout)
	if !hasLine(r.stderr, "Result: FAIL [total:3] [passed:1] [failed:1] [skipped:1]") {
		t.Errorf("stderr lacks the verdict\n%s", r)
	}
	data, err := os.ReadFile(filepath.Join(".", "report.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
		} `xml:"testcase"`
	}
	if err := xml.Unmarshal(data, &suite); err != nil {
		t.Fatalf("junit: %v\n%s", err, data)
	}
	if suite.Name != "strata diff base.tar all.tar" || suite.Tests != 3 || suite.Failures != 1 ||
		suite.Cases[0].Name != "highestSizeIncrease" || suite.Cases[0].Failure == nil {
		t.Errorf("junit report:\n%s", data)
	}
}
