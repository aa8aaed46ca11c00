package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// diveLayerKeys are the keys of a layer in dive's --json document besides
// fileList, which strata's keeps with dive's values.
func diveLayerKeys() []string { return []string{"index", "id", "digestId", "sizeBytes", "command"} }

// TestJSONMatchesDive compares strata's report of dive's test image with
// the one dive writes (testdata/dive-export.json, dive's own snapshot), on
// every key dive has. The one difference is on purpose: strata sorts each
// layer's fileList by path, dive lists it children before their directory,
// so the lists are compared as sets.
func TestJSONMatchesDive(t *testing.T) {
	img := diveImage(t)
	want := decodeJSON(t, readTestdata(t, "dive-export.json"))
	path := filepath.Join(t.TempDir(), "report.json")
	r := strata(t, noEnv, "--json", path, img)
	wantExit(t, r, exitOK)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := decodeJSON(t, data)

	gotImage, wantImage := got["image"].(map[string]any), want["image"].(map[string]any)
	for key := range wantImage {
		if !reflect.DeepEqual(gotImage[key], wantImage[key]) {
			t.Errorf("image.%s = %v, dive says %v", key, gotImage[key], wantImage[key])
		}
	}
	gotLayers, wantLayers := list(t, "layer", got["layer"]), list(t, "dive's layer", want["layer"])
	if len(gotLayers) != len(wantLayers) {
		t.Fatalf("%d layers, dive has %d", len(gotLayers), len(wantLayers))
	}
	for i := range wantLayers {
		g, w := gotLayers[i].(map[string]any), wantLayers[i].(map[string]any)
		for _, key := range diveLayerKeys() {
			if !reflect.DeepEqual(g[key], w[key]) {
				t.Errorf("layer[%d].%s = %v, dive says %v", i, key, g[key], w[key])
			}
		}
		gotFiles, wantFiles := fileSet(t, g["fileList"]), fileSet(t, w["fileList"])
		if !slices.Equal(gotFiles, wantFiles) {
			t.Errorf("layer[%d].fileList differs from dive's:\n got %v\nwant %v", i, gotFiles, wantFiles)
		}
		if !slices.IsSortedFunc(list(t, "fileList", g["fileList"]), func(a, b any) int {
			return strings.Compare(a.(map[string]any)["path"].(string), b.(map[string]any)["path"].(string))
		}) {
			t.Errorf("layer[%d].fileList is not sorted by path", i)
		}
	}
}

// fileSet returns a fileList's entries, each as canonical JSON, sorted.
func fileSet(t *testing.T, v any) []string {
	t.Helper()
	var set []string
	for _, f := range list(t, "fileList", v) {
		b, err := json.Marshal(f) // encoding/json sorts map keys
		if err != nil {
			t.Fatal(err)
		}
		set = append(set, string(b))
	}
	slices.Sort(set)
	return set
}

// readTestdata reads a file of testdata/.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestJSONWhiteoutsAndIDsAsDive checks, on the demo image, the two values
// dive takes from the archive as it is: a whiteout's fileMode, uid and
// gid are its tar header's (0644 there), and a layer's id is its member's
// name in the docker save archive, ".tar" included.
func TestJSONWhiteoutsAndIDsAsDive(t *testing.T) {
	r := strata(t, noEnv, "--json", "-", demoImage(t))
	wantExit(t, r, exitOK)
	doc := decodeJSON(t, []byte(r.stdout))
	whiteouts := 0
	for i, l := range list(t, "layer", doc["layer"]) {
		layer := l.(map[string]any)
		what := "layer[" + strconv.Itoa(i) + "]"
		id, _ := layer["id"].(string)
		hex := strings.TrimPrefix(layer["digest"].(string), "sha256:")
		if id != hex+".tar" {
			t.Errorf("%s.id = %q, want %q, the member's name as dive gives it", what, id, hex+".tar")
		}
		for _, f := range list(t, what+".fileList", layer["fileList"]) {
			file := f.(map[string]any)
			if !strings.Contains(file["path"].(string), ".wh.") {
				continue
			}
			whiteouts++
			want := map[string]any{"path": file["path"], "typeFlag": json.Number("48"), "linkName": "", "size": json.Number("0"),
				"fileMode": json.Number("420"), "uid": json.Number("0"), "gid": json.Number("0"), "isDir": false}
			if !reflect.DeepEqual(file, want) {
				t.Errorf("%s: whiteout %v, want %v", what, file, want)
			}
		}
	}
	if whiteouts != 10 { // 9 files of /var/lib/apt/lists and /app/static's opaque marker
		t.Errorf("%d whiteouts and opaque markers, want 10", whiteouts)
	}
}
