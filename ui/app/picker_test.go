package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// byteCounter counts the body bytes a registry sends for manifests and
// for blobs, by the last element of the path (a digest or a tag).
type byteCounter struct {
	mu        sync.Mutex
	manifests map[string]int64
	blobs     map[string]int64
}

type countingWriter struct {
	http.ResponseWriter
	add func(int)
}

func (w countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.add(n)
	return n, err
}

func (c *byteCounter) wrap(next http.Handler) http.Handler {
	c.manifests, c.blobs = map[string]int64{}, map[string]int64{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		into := map[bool]map[string]int64{true: c.manifests, false: c.blobs}[strings.Contains(r.URL.Path, "/manifests/")]
		if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/manifests/") && !strings.Contains(r.URL.Path, "/blobs/") {
			next.ServeHTTP(w, r)
			return
		}
		key := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		next.ServeHTTP(countingWriter{w, func(n int) {
			c.mu.Lock()
			into[key] += int64(n)
			c.mu.Unlock()
		}}, r)
	})
}

func (c *byteCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.manifests)
	clear(c.blobs)
}

// pushedIndex pushes an index of 2 platforms × 8 layers of 16 KiB (the
// first 3 shared), linux/amd64 attested by an SPDX SBOM and SLSA
// provenance as buildx attests, to an in-process registry whose bytes c
// counts, and returns its reference and images.
func pushedIndex(t testing.TB, c *byteCounter) (string, v1.ImageIndex, []v1.Image) {
	t.Helper()
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64", "linux/arm64/v8"}, 8, 3, 16<<10, imagetest.WithOCIMediaTypes())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := imagetest.AttestedIndex(imgs, func(i int) []imagetest.Statement {
		if i != 0 {
			return nil
		}
		return []imagetest.Statement{
			{PredicateType: "https://spdx.dev/Document", Predicate: map[string]any{"spdxVersion": "SPDX-2.3", "name": "strata-test",
				"packages": []any{map[string]string{"name": "musl"}, map[string]string{"name": "busybox"}}}},
			{PredicateType: "https://slsa.dev/provenance/v0.2", Predicate: map[string]any{
				"builder": map[string]string{"id": "https://github.com/docker/buildx"},
				"materials": []any{
					map[string]any{"uri": "pkg:docker/docker/dockerfile@1", "digest": map[string]string{"sha256": strings.Repeat("b", 64)}},
					map[string]any{"uri": "pkg:docker/alpine@3.20?platform=linux%2Famd64", "digest": map[string]string{"sha256": strings.Repeat("a", 64)}},
				},
				"invocation": map[string]any{"parameters": map[string]any{"frontend": "gateway.v0", "args": map[string]string{
					"source": "docker/dockerfile:1", "build-arg:VERSION": "1.2.3", "build-arg:EVIL": "\x1b]0;pwned\x07"}}},
			}},
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	if c != nil {
		h = c.wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ref := strings.TrimPrefix(srv.URL, "http://") + "/strata/multi:2x8"
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(r, idx); err != nil {
		t.Fatal(err)
	}
	return "registry://" + ref, idx, imgs
}

// newPicker reads the index's rows and attestations and makes the picker
// at w×h, reading statements from the index's store (open until the test
// ends) and opening platforms from the registry as --platform does.
func newPicker(t testing.TB, ref string, w, h int) Picker {
	t.Helper()
	idx, err := source.ReadIndex(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return pickerFrom(t, ref, PickerOptions{Reference: idx.Reference, Rows: idx.Rows(), Attestations: idx.Attestations, Store: idx.Store}, w, h)
}

func pickerOf(t testing.TB, ref, name string, rows []index.Row, w, h int) Picker {
	return pickerFrom(t, ref, PickerOptions{Reference: name, Rows: rows}, w, h)
}

// pickerFrom makes the picker of o at w×h, with the test's styles and
// keys, opening platforms from ref as --platform does.
func pickerFrom(t testing.TB, ref string, o PickerOptions, w, h int) Picker {
	st := panetest.Styles(t, common.Plain)
	o.Source, o.Styles, o.Keys = "registry", st, DefaultKeys()
	o.Open = func(ctx context.Context, row index.Row) (Options, func(), error) {
		pl, err := source.ParsePlatform(row.Platform)
		if err != nil {
			return Options{}, nil, err
		}
		img, err := source.OpenContext(ctx, ref, source.WithPlatform(pl))
		if err != nil {
			return Options{}, nil, err
		}
		return Options{Reference: img.Reference, Source: string(img.Kind), Platform: source.FormatPlatform(img.Platform), Image: img,
			Analysis: []analyze.Option{analyze.WithParallelism(2)}, Styles: st, Keys: DefaultKeys()}, func() { img.Close() }, nil
	}
	p := NewPicker(context.Background(), o)
	if tb, ok := t.(*testing.T); ok {
		tb.Cleanup(p.Close)
	}
	next, _ := p.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return next.(Picker)
}

func pickerScreen(p Picker) []string { return strings.Split(ansi.Strip(p.Render()), "\n") }

// The picker lists one row a platform, read from the manifests and
// configs alone; enter opens the platform, whose layers arrive in the
// layers pane; the back key returns to the picker.
func TestPickerOpensAPlatformAndGoesBack(t *testing.T) {
	var c byteCounter
	ref, idx, imgs := pushedIndex(t, &c)
	c.reset()
	p := newPicker(t, ref, 200, 50)
	s := pickerScreen(p)

	// Before the first frame: the index, the image and attestation
	// manifests and the configs, not a byte of a layer or a statement.
	im, _ := idx.IndexManifest()
	rawIndex, _ := idx.RawManifest()
	var wantManifests, wantBlobs int64 = int64(len(rawIndex)), 0
	for _, d := range im.Manifests {
		wantManifests += d.Size
	}
	var compressed [2]int64
	for i, img := range imgs {
		mf, _ := img.Manifest()
		wantBlobs += mf.Config.Size
		for _, l := range mf.Layers {
			compressed[i] += l.Size
		}
	}
	c.mu.Lock()
	var manifests, blobs int64
	for _, n := range c.manifests {
		manifests += n
	}
	for _, n := range c.blobs {
		blobs += n
	}
	c.mu.Unlock()
	if manifests != wantManifests || blobs != wantBlobs {
		t.Errorf("before the picker's first frame the registry sent %d bytes of manifests and %d of blobs; want %d and %d (the configs)",
			manifests, blobs, wantManifests, wantBlobs)
	}
	t.Logf("the picker's first frame cost %d bytes of manifests and %d of configs", manifests, blobs)

	read, err := source.ReadIndex(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	read.Close()
	r := read.Rows()
	want := []string{
		"  Platform        Compressed  Uncompressed  Layers    Shared  Attestations",
		"> linux/amd64         134 kB       unknown       8     50 kB  sbom, provenance",
		"  linux/arm64/v8      134 kB       unknown       8     50 kB  -",
	}
	var got []string
	for _, l := range s[2:5] {
		got = append(got, strings.TrimRight(strings.Trim(l, "│┃"), " "))
	}
	panetest.RequireLines(t, got, want...)
	if r[0].CompressedBytes != compressed[0] || r[1].CompressedBytes != compressed[1] {
		t.Errorf("rows %+v", r)
	}
	if !strings.Contains(s[0], "2 platforms") || !strings.Contains(s[len(s)-1], "enter open platform") {
		t.Errorf("summary %q, help bar %q", s[0], s[len(s)-1])
	}

	// Enter opens linux/arm64/v8, and its layers arrive.
	p = panetest.Run(t, p, panetest.Key(DefaultKeys().Picker.Down), panetest.Key(DefaultKeys().Picker.Open))
	m, ok := p.Image()
	if !ok {
		t.Fatalf("enter opened nothing:\n%s", strings.Join(pickerScreen(p), "\n"))
	}
	m = load(t, m)
	p.image = &m
	if !strings.Contains(screen(m)[0], "linux/arm64/v8") {
		t.Errorf("the summary line is %q", screen(m)[0])
	}
	var layerRows int
	for _, l := range rows(m, paneLayers)[1:] {
		if f := strings.Fields(strings.TrimPrefix(l, "> ")); len(f) > 1 && f[1] != "…" && f[0] >= "0" && f[0] <= "9" {
			layerRows++
		}
	}
	if layerRows != 8 {
		t.Errorf("the layers pane shows %d analyzed layers, want 8:\n%s", layerRows, strings.Join(rows(m, paneLayers), "\n"))
	}
	if bar := screen(m)[len(screen(m))-1]; !strings.Contains(bar, "p platforms") {
		t.Errorf("the help bar lacks the back key: %q", bar)
	}

	// The back key returns to the picker, the cursor where it was.
	p = panetest.Run(t, p, panetest.Key(DefaultKeys().Picker.Back))
	if _, ok := p.Image(); ok {
		t.Fatal("the back key left the image open")
	}
	s = pickerScreen(p)
	if l := strings.TrimRight(strings.Trim(s[4], "│┃"), " "); l != "> linux/arm64/v8      134 kB       unknown       8     50 kB  -" {
		t.Errorf("back in the picker, the second row is %q", l)
	}
}

// Rows measured in the background replace the unknown sizes; the cursor
// stays where it was.
func TestPickerRowsMeasured(t *testing.T) {
	rows := []index.Row{
		{Platform: "linux/amd64", CompressedBytes: 1000, UncompressedBytes: -1, Layers: 1},
		{Platform: "linux/arm64", CompressedBytes: 2000, UncompressedBytes: -1, Layers: 2},
	}
	p := pickerOf(t, "unused", "layout", rows, 100, 10)
	p = panetest.Run(t, p, panetest.Key(DefaultKeys().Picker.Down))
	measured := slices.Clone(rows)
	measured[0].UncompressedBytes, measured[1].UncompressedBytes = 5000, 7000
	p.opts.Measure = func(context.Context) ([]index.Row, error) { return measured, nil }
	p = panetest.Run(t, p, tea.BatchMsg{p.Init()})
	var got []string
	for _, l := range pickerScreen(p)[2:5] {
		got = append(got, strings.TrimRight(strings.Trim(l, "│┃"), " "))
	}
	panetest.RequireLines(t, got,
		"  Platform     Compressed  Uncompressed  Layers    Shared  Attestations",
		"  linux/amd64      1.0 kB        5.0 kB       1       0 B  -",
		"> linux/arm64      2.0 kB        7.0 kB       2       0 B  -")
}

// ? opens the picker's own help page — its keys and the global ones — over
// the list, and ? closes it again; the help bar says so both ways.
func TestPickerHelpPage(t *testing.T) {
	rows := []index.Row{{Platform: "linux/amd64", CompressedBytes: 1000, UncompressedBytes: -1, Layers: 2},
		{Platform: "linux/arm64", CompressedBytes: 1000, UncompressedBytes: -1, Layers: 2}}
	p := pickerOf(t, "unused", "example/app:1", rows, 80, 24)
	keys := DefaultKeys()
	if bar := pickerScreen(p)[23]; !strings.Contains(bar, "? keys") {
		t.Errorf("the picker's help bar %q does not offer ? keys", bar)
	}
	press := func(b key.Binding) {
		next, _ := p.Update(panetest.Key(b))
		p = next.(Picker)
	}
	press(keys.Global.Help)
	s := pickerScreen(p)
	page := strings.Join(s, "\n")
	for _, want := range []string{"Everywhere", "Platforms", "open platform", "attestations", "Attestation viewer"} {
		if !strings.Contains(page, want) {
			t.Errorf("the help page lacks %q:\n%s", want, page)
		}
	}
	if regexp.MustCompile(`\bp\s+platforms\b`).MatchString(page) {
		t.Errorf("the picker's help page offers the key back to the picker:\n%s", page)
	}
	if strings.Contains(page, "linux/arm64") {
		t.Errorf("the help page still shows the rows:\n%s", page)
	}
	if bar := s[23]; !strings.Contains(bar, "close") {
		t.Errorf("the help page's bar %q does not say how to close it", bar)
	}
	press(keys.Global.Help)
	if s := pickerScreen(p); !strings.Contains(strings.Join(s, "\n"), "linux/arm64") {
		t.Errorf("? did not close the help page:\n%s", strings.Join(s, "\n"))
	}
}

// a shows the selected platform's attestation statements in the viewer,
// read only then: each summarised (the SBOM's format and packages, the
// provenance's builder, build arguments and base image, every string of
// the image escaped), then each one's JSON indented, under a header line;
// esc returns to the picker, the cursor where it was. On a platform
// without attestations a says so in the status bar.
func TestPickerShowsAttestations(t *testing.T) {
	var c byteCounter
	ref, _, _ := pushedIndex(t, &c)
	p := newPicker(t, ref, 160, 40)
	keys := DefaultKeys()
	s := pickerScreen(p)
	var rowLines []string
	for _, l := range s[3:5] {
		rowLines = append(rowLines, strings.TrimRight(strings.Trim(l, "│┃"), " "))
	}
	panetest.RequireLines(t, rowLines,
		"> linux/amd64         134 kB       unknown       8     50 kB  sbom, provenance",
		"  linux/arm64/v8      134 kB       unknown       8     50 kB  -")
	if bar := s[len(s)-1]; !strings.Contains(bar, "a attestations") {
		t.Errorf("the help bar %q does not offer the attestations key", bar)
	}

	c.reset()
	p = panetest.Run(t, p, panetest.Key(keys.Picker.Attestations))
	s = pickerScreen(p)
	if !strings.Contains(s[1], "Attestations of linux/amd64 · 2 statements") {
		t.Fatalf("a opened no attestation viewer:\n%s", strings.Join(s, "\n"))
	}
	read, err := source.ReadIndex(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	read.Close()
	sts := read.Attestations[0].Statements
	head := func(i int) string {
		return fmt.Sprintf("%s · %s · %s · %d B", sts[i].Kind(), sts[i].PredicateType, sts[i].Blob.Digest.String()[:19], sts[i].Blob.Size)
	}
	panetest.RequireLines(t, panetest.Unframe(s[2:19]),
		head(0),
		"  subject      pkg:docker/strata-test@latest",
		"  sbom         SPDX-2.3, 2 packages · strata-test",
		head(1),
		"  subject      pkg:docker/strata-test@latest",
		"  builder      https://github.com/docker/buildx",
		"  frontend     docker/dockerfile:1",
		`  build arg    EVIL=\x1b]0;pwned\x07`,
		"  build arg    VERSION=1.2.3",
		"  base image   docker.io/library/alpine:3.20@sha256:"+strings.Repeat("a", 64)+" (linux/amd64)",
		"",
		"── sbom-spdx · "+sts[0].Blob.Digest.String()[:19],
		"{",
		`  "_type": "https://in-toto.io/Statement/v0.1",`,
		`  "predicate": {`,
		`    "name": "strata-test",`,
		`    "packages": [`)
	if strings.Contains(p.Render(), "\x1b]0;pwned") {
		t.Error("a build argument's escape reached the screen")
	}
	c.mu.Lock()
	for _, st := range sts {
		if c.blobs[st.Blob.Digest.String()] != st.Blob.Size {
			t.Errorf("statement %s: the registry sent %d bytes, want %d", st.Blob.Digest, c.blobs[st.Blob.Digest.String()], st.Blob.Size)
		}
	}
	c.mu.Unlock()
	// The search finds the provenance's JSON below the SBOM's.
	p = panetest.Run(t, p, append(append([]tea.Msg{panetest.Key(keys.Viewer.Search)}, panetest.Type("── provenance")...), panetest.Key(keys.Input.Apply))...)
	if s := pickerScreen(p); !strings.Contains(s[2], "── provenance · "+sts[1].Blob.Digest.String()[:19]) || !strings.Contains(s[len(s)-3], "1 match") {
		t.Errorf("the search did not reach the provenance's JSON:\n%s", strings.Join(s, "\n"))
	}

	// esc closes the viewer: the picker again, the cursor where it was.
	p = panetest.Run(t, p, panetest.Key(keys.Viewer.Close))
	s = pickerScreen(p)
	if !strings.Contains(s[1], "Platforms (2)") || !strings.HasPrefix(strings.Trim(s[3], "│┃"), "> linux/amd64") {
		t.Fatalf("esc did not return to the picker:\n%s", strings.Join(s, "\n"))
	}

	// linux/arm64/v8 has none: a says so, and nothing opens.
	p = panetest.Run(t, p, panetest.Key(keys.Picker.Down), panetest.Key(keys.Picker.Attestations))
	s = pickerScreen(p)
	if !strings.Contains(s[1], "Platforms (2)") || !strings.Contains(s[len(s)-1], "linux/arm64/v8 has no attestations") {
		t.Errorf("a on a platform without attestations:\n%s", strings.Join(s, "\n"))
	}
}

// failingStore is a store whose every read fails.
type failingStore struct{}

func (failingStore) Root(context.Context) (v1.Descriptor, []byte, error) {
	return v1.Descriptor{}, nil, errors.New("the registry is down")
}

func (failingStore) Fetch(context.Context, v1.Descriptor, int64) ([]byte, error) {
	return nil, errors.New("the registry is down")
}

func (failingStore) Close() error { return nil }

// A statement that cannot be read is one line in the status bar, and the
// picker stays.
func TestPickerAttestationReadError(t *testing.T) {
	d := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("c", 64)}
	p := pickerFrom(t, "unused", PickerOptions{Reference: "example/app:1",
		Rows:         []index.Row{{Platform: "linux/amd64", CompressedBytes: 1000, UncompressedBytes: -1, Layers: 2, Attested: true}},
		Attestations: []index.Attestation{{Platform: 0, Statements: []index.StatementRef{{Blob: v1.Descriptor{Digest: d, Size: 10}, PredicateType: "https://slsa.dev/provenance/v1"}}}},
		Store:        failingStore{}}, 160, 12)
	p = panetest.Run(t, p, panetest.Key(DefaultKeys().Picker.Attestations))
	s := pickerScreen(p)
	if !strings.Contains(s[1], "Platforms (1)") {
		t.Errorf("a read error opened the viewer:\n%s", strings.Join(s, "\n"))
	}
	if bar := s[len(s)-1]; !strings.Contains(bar, "reading statement sha256:cccc") || !strings.Contains(bar, "the registry is down") {
		t.Errorf("the status bar is %q", bar)
	}
}
