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
	read := readPickerIndex(context.Background(), env, dir, "", &sourceFlags{})
	if read == nil {
		t.Fatal("no index read from the layout")
	}
	rows := read.Rows()
	if len(rows) != 2 || rows[0].Platform != "linux/amd64" || rows[1].Platform != "linux/arm64/v8" || rows[0].Layers != 8 ||
		rows[0].UncompressedBytes != -1 || read.Reference != dir || read.Kind != "oci" {
		t.Errorf("the layout's rows: %+v, %q, %q", rows, read.Reference, read.Kind)
	}
	// The layers are on this machine: the picker measures them in the
	// background.
	measure := measureRows(read)
	if measure == nil {
		t.Fatal("a layout's rows are not measured")
	}
	rows, err := measure(context.Background())
	if err != nil || rows[0].UncompressedBytes <= 0 || rows[1].UncompressedBytes <= 0 {
		t.Errorf("measured rows %+v, %v", rows, err)
	}
	if read := readPickerIndex(context.Background(), env, dir, "", &sourceFlags{platform: "linux/arm64/v8"}); read != nil {
		t.Errorf("with --platform the picker has rows: %+v", read.Rows())
	}
	demo, _ := filepath.Abs("../../testdata/demo.tar")
	if read := readPickerIndex(context.Background(), env, demo, "", &sourceFlags{}); read != nil {
		t.Errorf("a docker save tarball has rows: %+v", read.Rows())
	}
	if read := readPickerIndex(context.Background(), env, demo, "", &sourceFlags{source: "docker-archive"}); read != nil {
		t.Errorf("--source docker-archive has rows: %+v", read.Rows())
	}
}
