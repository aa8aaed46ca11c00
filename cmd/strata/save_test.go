package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
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

// TestSavedByAnotherStrata: a saved analysis whose layers were kept by a
// strata that read them otherwise (another cache key) is refused with one
// line saying to save it again, and writes no report.
func TestSavedByAnotherStrata(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "demo.strata")
	if r := strata(t, noEnv, "inspect", "--save", file, "--no-tui", demoImage(t)); r.code != exitOK {
		t.Fatal(r)
	}
	other := filepath.Join(dir, "other.strata")
	rewriteSavedKey(t, file, other, "entries+packages/1/1048576")
	report := filepath.Join(dir, "r.json")
	r := strata(t, noEnv, "inspect", "--json", report, other)
	if r.code != exitError || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "another version of strata saved this analysis") ||
		!strings.Contains(r.stderr, "save it again") {
		t.Errorf("opening an analysis another strata saved: %s", r)
	}
	if _, err := os.Stat(report); !os.IsNotExist(err) {
		t.Errorf("a report was written: %v", err)
	}
}

// rewriteSavedKey copies a saved analysis with its cache key replaced.
func rewriteSavedKey(t *testing.T, from, to, key string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	tr, tw := tar.NewReader(in), tar.NewWriter(&out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == "strata-analysis.json" {
			var doc map[string]any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			if _, ok := doc["key"]; !ok {
				t.Fatal("the saved analysis has no key")
			}
			doc["key"] = key
			if b, err = json.Marshal(doc); err != nil {
				t.Fatal(err)
			}
			h.Size = int64(len(b))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
