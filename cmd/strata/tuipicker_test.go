package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/config"
	"github.com/strata-dev/strata/ui/keymap"
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
	defer read.Close()
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

// The picker of an index in a registry gets its attestations, and its
// store still reads a statement once the index has been read: the
// timeout bounded the reading, not the store (which lives until the
// picker ends).
func TestPickerOptionsReadStatementsAfterTheIndex(t *testing.T) {
	host := serveRegistry(t, true)
	idx, _ := multiPlatformIndex(t)
	tag, err := name.NewTag(host + "/strata/multi:v1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(tag, idx); err != nil {
		t.Fatal(err)
	}
	env := &environment{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	f := &sourceFlags{timeout: 5 * time.Second}
	read := readPickerIndex(context.Background(), env, "registry://"+tag.String(), "", f)
	if read == nil {
		t.Fatal("no index read from the registry")
	}
	defer read.Close()
	o := pickerOptions(env, config.Config{}, "registry://"+tag.String(), f, &supplyFlags{}, common.Styles{}, keymap.Default(), read)
	if len(o.Attestations) != 2 || o.Attestations[1].Platform != 1 || o.Store == nil || o.Timeout != f.timeout || o.Measure != nil {
		t.Fatalf("picker options: %d attestations, store %v, timeout %s", len(o.Attestations), o.Store, o.Timeout)
	}
	raw, err := index.ReadStatement(context.Background(), o.Store, o.Attestations[1].Statements[0])
	if err != nil || !strings.Contains(string(raw), "https://slsa.dev/provenance/v0.2") {
		t.Errorf("reading linux/arm64/v8's provenance after the index: %v, %q", err, raw)
	}
}
