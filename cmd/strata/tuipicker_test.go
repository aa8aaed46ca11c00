package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/strata-dev/strata/internal/imagetest"
)

// The terminal UI's picker reads the rows of an index (here an OCI
// layout's) and nothing when --platform is given or the source holds one
// platform (a docker save tarball): those open as before.
func TestPickerRowsOnlyForAnIndexWithoutPlatform(t *testing.T) {
	idx, _ := multiPlatformIndex(t)
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, idx); err != nil {
		t.Fatal(err)
	}
	env := &environment{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	rows, name, kind := pickerRows(context.Background(), env, dir, "", &sourceFlags{})
	if len(rows) != 2 || rows[0].Platform != "linux/amd64" || rows[1].Platform != "linux/arm64/v8" || rows[0].Layers != 8 || name != dir || kind != "oci" {
		t.Errorf("the layout's rows: %+v, %q, %q", rows, name, kind)
	}
	if rows, _, _ := pickerRows(context.Background(), env, dir, "", &sourceFlags{platform: "linux/arm64/v8"}); rows != nil {
		t.Errorf("with --platform the picker has rows: %+v", rows)
	}
	demo, _ := filepath.Abs("../../testdata/demo.tar")
	if rows, _, _ := pickerRows(context.Background(), env, demo, "", &sourceFlags{}); len(rows) > 1 {
		t.Errorf("a docker save tarball has %d rows", len(rows))
	}
	if rows, _, _ := pickerRows(context.Background(), env, demo, "", &sourceFlags{source: "docker-archive"}); rows != nil {
		t.Errorf("--source docker-archive has rows: %+v", rows)
	}
}
