package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSaveAndOpen: inspect --save writes the analysis; inspect FILE shows
// the same summary and findings and --json the same report, with the
// source named as saved; extract says a saved analysis holds no contents.
func TestSaveAndOpen(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "demo.strata")
	demoTar := demoImage(t)
	first := strata(t, noEnv, "inspect", "--save", file, "--json", filepath.Join(dir, "a.json"), demoTar)
	if first.code != exitOK || !strings.Contains(first.stderr, "saved the analysis of "+demoTar+" to "+file) {
		t.Fatalf("inspect --save: %s", first)
	}
	text := strata(t, noEnv, "inspect", demoTar)
	again := strata(t, noEnv, "inspect", file)
	if again.code != exitOK || again.stdout != strings.Replace(text.stdout, "(docker-archive,", "(saved docker-archive,", 1) {
		t.Errorf("the saved analysis's summary differs:\n%s\nthe image's:\n%s", again, text)
	}
	if r := strata(t, noEnv, "inspect", "--json", filepath.Join(dir, "b.json"), file); r.code != exitOK {
		t.Fatal(r)
	}
	a, b := readFile(t, filepath.Join(dir, "a.json")), readFile(t, filepath.Join(dir, "b.json"))
	if b != strings.Replace(a, `"source": "docker-archive"`, `"source": "saved docker-archive"`, 1) {
		t.Error("the saved analysis's report differs from the image's")
	}
	r := strata(t, noEnv, "extract", "-o", filepath.Join(dir, "out"), file, "/etc/passwd")
	if r.code != exitError || !strings.Contains(r.stderr, "a saved analysis holds no file contents") {
		t.Errorf("extract from a saved analysis: %s", r)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
