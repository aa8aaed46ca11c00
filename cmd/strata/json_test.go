package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// decodeJSON decodes a report into generic values, keeping numbers exact.
func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the report does not parse: %v", err)
	}
	return doc
}

// wantKeys checks that an object has every one of keys.
func wantKeys(t *testing.T, what string, v any, keys ...string) map[string]any {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T, want an object", what, v)
	}
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s lacks the key %q", what, k)
		}
	}
	return obj
}

// list returns v as an array.
func list(t *testing.T, what string, v any) []any {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%s is %T, want an array", what, v)
	}
	return a
}

// num returns v, a number, as written.
func num(t *testing.T, what string, v any) string {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%s is %T (%v), want a number", what, v, v)
	}
	return n.String()
}

// float returns v, a number, as a float64.
func float(t *testing.T, what string, v any) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(num(t, what, v), 64)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return f
}

func TestJSONFileHasDiveKeysAndValues(t *testing.T) {
	img := diveImage(t)
	path := filepath.Join(t.TempDir(), "report.json")

	r := strata(t, noEnv, "--json", path, img)
	wantExit(t, r, exitOK)
	// Like dive, strata says on stderr that it wrote the report.
	if want := "strata: wrote the analysis of " + img + " (14 layers) as JSON to " + path + "\n"; r.stdout != "" || r.stderr != want {
		t.Errorf("strata printed something besides the report and the line %q\n%s", want, r)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := decodeJSON(t, data)

	// dive's keys and values.
	layers := list(t, "layer", doc["layer"])
	if len(layers) != 14 {
		t.Fatalf("%d layers, want 14", len(layers))
	}
	for i, l := range layers {
		what := "layer[" + strconv.Itoa(i) + "]"
		layer := wantKeys(t, what, l,
			"index", "id", "digestId", "sizeBytes", "command", "fileList", // dive's
			"digest", "diffId", "mediaType", "compressedSizeBytes") // strata's
		if got := num(t, what+".index", layer["index"]); got != strconv.Itoa(i) {
			t.Errorf("%s.index = %s", what, got)
		}
		for _, k := range []string{"id", "digestId", "digest", "diffId", "mediaType"} {
			if s, _ := layer[k].(string); s == "" {
				t.Errorf("%s.%s = %v, want a string", what, k, layer[k])
			}
		}
		if !strings.HasPrefix(layer["digestId"].(string), "sha256:") || layer["digestId"] != layer["diffId"] {
			t.Errorf("%s: digestId %v, diffId %v: want the same sha256 digest", what, layer["digestId"], layer["diffId"])
		}
		if f := float(t, what+".compressedSizeBytes", layer["compressedSizeBytes"]); f <= 0 {
			t.Errorf("%s.compressedSizeBytes = %v", what, f)
		}
		for j, f := range list(t, what+".fileList", layer["fileList"]) {
			wantKeys(t, what+".fileList["+strconv.Itoa(j)+"]", f,
				"path", "typeFlag", "linkName", "size", "fileMode", "uid", "gid", "isDir")
		}
	}
	// Layer 1 is dive's ADD of somefile.txt: one regular file, mode 0664.
	l1 := layers[1].(map[string]any)
	wantFile := map[string]any{
		"path": "somefile.txt", "typeFlag": json.Number("48"), "linkName": "", "size": json.Number("6405"),
		"fileMode": json.Number("436"), "uid": json.Number("0"), "gid": json.Number("0"), "isDir": false,
	}
	if files := list(t, "layer[1].fileList", l1["fileList"]); len(files) != 1 || !reflect.DeepEqual(files[0], wantFile) {
		t.Errorf("layer[1].fileList = %v, want [%v]", files, wantFile)
	}
	if got := num(t, "layer[1].sizeBytes", l1["sizeBytes"]); got != "6405" {
		t.Errorf("layer[1].sizeBytes = %s, want 6405", got)
	}
	if got := l1["command"]; !strings.Contains(got.(string), "ADD file:139c3708") {
		t.Errorf("layer[1].command = %q", got)
	}

	image := wantKeys(t, "image", doc["image"],
		"sizeBytes", "inefficientBytes", "efficiencyScore", "fileReference", // dive's
		"userSizeBytes", "userWastedPercent", "reclaimableBytes", "platform", "history") // strata's
	for key, want := range map[string]string{
		"sizeBytes":        "1220598",
		"inefficientBytes": "32025",
		"userSizeBytes":    "66237",
		"reclaimableBytes": "32025",
	} {
		if got := num(t, "image."+key, image[key]); got != want {
			t.Errorf("image.%s = %s, want %s", key, got, want)
		}
	}
	if got := float(t, "image.efficiencyScore", image["efficiencyScore"]); got != 0.9844212134184309 {
		t.Errorf("image.efficiencyScore = %v, want 0.9844212134184309", got)
	}
	if got, want := float(t, "image.userWastedPercent", image["userWastedPercent"]), 32025.0/66237; got != want {
		t.Errorf("image.userWastedPercent = %v, want %v", got, want)
	}
	if got := image["platform"]; got != "linux/amd64" {
		t.Errorf("image.platform = %v, want linux/amd64", got)
	}

	type ref struct{ count, sizeBytes, file string }
	var refs []ref
	for i, f := range list(t, "image.fileReference", image["fileReference"]) {
		what := "image.fileReference[" + strconv.Itoa(i) + "]"
		fr := wantKeys(t, what, f, "count", "sizeBytes", "file")
		file, _ := fr["file"].(string)
		refs = append(refs, ref{num(t, what+".count", fr["count"]), num(t, what+".sizeBytes", fr["sizeBytes"]), file})
	}
	wantRefs := []ref{
		{"2", "12810", "/root/saved.txt"},
		{"2", "12810", "/root/example/somefile1.txt"},
		{"2", "6405", "/root/example/somefile3.txt"},
	}
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("image.fileReference = %v, want %v", refs, wantRefs)
	}

	// The history keeps the steps that made no layer, such as CMD.
	history := list(t, "image.history", image["history"])
	empty := 0
	for i, h := range history {
		entry := wantKeys(t, "image.history["+strconv.Itoa(i)+"]", h, "createdBy", "emptyLayer")
		if entry["emptyLayer"] == true {
			empty++
		}
	}
	if empty == 0 || len(history) != len(layers)+empty {
		t.Errorf("history has %d entries, %d of them empty; want the 14 layers and at least one empty step", len(history), empty)
	}
}

func TestJSONToStdout(t *testing.T) {
	img := diveImage(t)

	t.Run("alone", func(t *testing.T) {
		r := strata(t, noEnv, "--json", "-", img)
		wantExit(t, r, exitOK)
		if !json.Valid([]byte(r.stdout)) {
			t.Fatalf("stdout is not one JSON document\n%s", r)
		}
		doc := decodeJSON(t, []byte(r.stdout))
		if got := num(t, "image.sizeBytes", doc["image"].(map[string]any)["sizeBytes"]); got != "1220598" {
			t.Errorf("image.sizeBytes = %s", got)
		}
		if r.stderr != "" {
			t.Errorf("stderr is not empty\n%s", r)
		}
	})

	t.Run("with --ci the rules go to stderr", func(t *testing.T) {
		inEmptyDir(t)
		r := strata(t, noEnv, "-j", "-", "--ci", img)
		wantExit(t, r, exitRuleFailed)
		if !json.Valid([]byte(r.stdout)) {
			t.Fatalf("stdout is not one JSON document\n%s", r)
		}
		if !hasLine(r.stderr, resultDefaultRules) || !hasLine(r.stderr, failUserWasted) {
			t.Errorf("stderr lacks the rules' results\n%s", r)
		}
	})
}

func TestJSONFailedRunRemovesStaleReport(t *testing.T) {
	notImage := diveFixture(t, "test-gzip-image.tar")
	for _, tt := range []struct{ name, image string }{
		{"missing image", filepath.Join(t.TempDir(), "missing.tar")},
		{"not an image", notImage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "report.json", `{"image":{"sizeBytes":1}}`)

			r := strata(t, noEnv, "--json", path, tt.image)
			wantOneError(t, r, tt.image)
			if _, err := os.Lstat(path); !os.IsNotExist(err) {
				t.Errorf("the old report is still at %s (%v)", path, err)
			}
			if names := dirNames(t, dir); len(names) != 0 {
				t.Errorf("the directory still holds %q", names)
			}
		})
	}
}

func TestJSONReplacesOldReport(t *testing.T) {
	img := diveImage(t)
	inEmptyDir(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "report.json", "old")

	// A failed rule is a result, not an error: the report stays.
	r := strata(t, noEnv, "--ci", "--json", path, img)
	wantExit(t, r, exitRuleFailed)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Fatalf("the report is not JSON: %.100q", data)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"report.json"}) {
		t.Errorf("the directory holds %q, want only report.json", names)
	}
}

func TestJSONDirectoryMissing(t *testing.T) {
	img := diveImage(t)
	parent := t.TempDir()
	path := filepath.Join(parent, "no-such-dir", "report.json")

	r := strata(t, noEnv, "--json", path, img)
	wantOneError(t, r, path, "no such file or directory")
	if strings.Contains(r.stderr, ".tmp") {
		t.Errorf("the error names the temporary file: %s", r.stderr)
	}
	if names := dirNames(t, parent); len(names) != 0 {
		t.Errorf("%s holds %q", parent, names)
	}
}

// TestJSONFileIsStdout checks that the report streamed into a file while
// the layers are stacked is the report written to stdout after them.
func TestJSONFileIsStdout(t *testing.T) {
	for _, img := range []string{"../../testdata/demo.tar", diveImage(t)} {
		path := filepath.Join(t.TempDir(), "report.json")
		r := strata(t, noEnv, "--json", path, img)
		wantExit(t, r, exitOK)
		file, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r = strata(t, noEnv, "--json", "-", img)
		wantExit(t, r, exitOK)
		if string(file) != r.stdout {
			t.Errorf("%s: the report file (%d bytes) differs from stdout's (%d bytes)", img, len(file), len(r.stdout))
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) > 0 {
			t.Errorf("%s: temporary files left: %v", img, left)
		}
	}
}
