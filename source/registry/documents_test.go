package registry_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/registry"
)

// docCounter counts the body bytes the registry sends for each manifest
// and blob GET, by digest or tag.
type docCounter struct {
	mu        sync.Mutex
	manifests map[string]int64
	blobs     map[string]int64
	inflight  sync.WaitGroup
}

func (c *docCounter) wrap(next http.Handler) http.Handler {
	c.manifests, c.blobs = map[string]int64{}, map[string]int64{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var into map[string]int64
		var key string
		switch {
		case r.Method != http.MethodGet:
		case strings.Contains(r.URL.Path, "/manifests/"):
			into, key = c.manifests, r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		case strings.Contains(r.URL.Path, "/blobs/"):
			into, key = c.blobs, r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		}
		if into == nil {
			next.ServeHTTP(w, r)
			return
		}
		c.inflight.Add(1)
		defer c.inflight.Done()
		next.ServeHTTP(countingWriter{w, func(n int) {
			c.mu.Lock()
			into[key] += int64(n)
			c.mu.Unlock()
		}}, r)
	})
}

func (c *docCounter) reset() {
	c.inflight.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.manifests)
	clear(c.blobs)
}

// multiPlatform is 2 platforms × 8 layers of 64 KiB, the first 3 shared,
// each with a buildx attestation manifest.
func multiPlatform(t testing.TB) (v1.ImageIndex, []v1.Image) {
	t.Helper()
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64", "linux/arm64/v8"}, 8, 3, 64<<10, imagetest.WithOCIMediaTypes())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := imagetest.AttestedIndex(imgs, func(int) []imagetest.Statement {
		return []imagetest.Statement{{PredicateType: "https://spdx.dev/Document", Predicate: map[string]any{"spdxVersion": "SPDX-2.3"}}}
	})
	if err != nil {
		t.Fatal(err)
	}
	return idx, imgs
}

// TestIndexFetchesManifestsAndConfigsOnly: reading the picker's rows of
// an index of 2 platforms × 8 layers fetches the index, the image and
// attestation manifests and the two configs, each once, and not one byte
// of a layer or a statement.
func TestIndexFetchesManifestsAndConfigsOnly(t *testing.T) {
	var c docCounter
	host := serve(t, c.wrap)
	ref := host + "/strata/multi:2x8"
	idx, imgs := multiPlatform(t)
	pushIndex(t, ref, idx)
	c.reset()

	docs, err := registry.OpenDocuments(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	defer docs.Close()
	got, err := index.Read(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	rows := got.Rows()
	c.inflight.Wait()

	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	rawIndex, _ := idx.RawManifest()
	wantManifests := map[string]int64{"2x8": int64(len(rawIndex))}
	for _, d := range im.Manifests {
		wantManifests[d.Digest.String()] = d.Size
	}
	wantBlobs := map[string]int64{}
	var layerBytes int64
	for _, img := range imgs {
		mf, _ := img.Manifest()
		wantBlobs[mf.Config.Digest.String()] = mf.Config.Size
		for _, l := range mf.Layers {
			layerBytes += l.Size
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !mapsEqual(c.manifests, wantManifests) {
		t.Errorf("manifest bytes sent %v, want %v", c.manifests, wantManifests)
	}
	if !mapsEqual(c.blobs, wantBlobs) {
		t.Errorf("blob bytes sent %v, want the configs only: %v", c.blobs, wantBlobs)
	}
	var sent, manifests, configs int64
	for _, n := range c.manifests {
		sent += n
		manifests += n
	}
	for _, n := range c.blobs {
		sent += n
		configs += n
	}
	t.Logf("the picker's rows cost %d bytes: %d of manifests, %d of configs (the layers are %d bytes)", sent, manifests, configs, layerBytes)
	if len(rows) != 2 || rows[0].Layers != 8 || rows[1].Layers != 8 || !rows[0].Attested || rows[0].SharedBytes == 0 {
		t.Errorf("rows %+v", rows)
	}
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestDocumentsFetch: a blob is checked against its descriptor, and a
// manifest or blob the registry lacks is index.ErrAbsent.
func TestDocumentsFetch(t *testing.T) {
	host := serve(t, nil)
	ref := host + "/strata/multi:fetch"
	idx, imgs := multiPlatform(t)
	pushIndex(t, ref, idx)
	docs, err := registry.OpenDocuments(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	defer docs.Close()
	mf, _ := imgs[0].Manifest()
	cfg := mf.Config
	raw, err := docs.Fetch(context.Background(), cfg, 1<<20)
	if err != nil || int64(len(raw)) != cfg.Size {
		t.Fatalf("fetching the config: %d bytes, %v", len(raw), err)
	}
	if _, err := docs.Fetch(context.Background(), cfg, 10); err == nil || !strings.Contains(err.Error(), "over the 10 B cap") {
		t.Errorf("a config over the cap: %v", err)
	}
	lying := cfg
	lying.Digest.Hex = strings.Repeat("0", 64)
	if _, err := docs.Fetch(context.Background(), lying, 1<<20); !errors.Is(err, index.ErrAbsent) {
		t.Errorf("a blob the registry lacks: %v, want index.ErrAbsent", err)
	}
	short := cfg
	short.Size--
	if _, err := docs.Fetch(context.Background(), short, 1<<20); err == nil || !strings.Contains(err.Error(), "its digest is") {
		t.Errorf("a blob longer than its descriptor says: %v", err)
	}
	if _, _, ok, err := docs.Tagged(context.Background(), "no-such-tag"); ok || err != nil {
		t.Errorf("a missing tag: %v, %v", ok, err)
	}
	d, _, ok, err := docs.Tagged(context.Background(), "fetch")
	if want, _ := idx.Digest(); !ok || err != nil || d.Digest != want {
		t.Errorf("the tag fetch: %v %v %v", d.Digest, ok, err)
	}
}

// BenchmarkPickerRows measures the picker's rows once the index and the
// configs have arrived: Rows computes nothing Read did not.
func BenchmarkPickerRows(b *testing.B) {
	srv := httptest.NewServer(ggcrregistry.New(quiet))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref := host + "/strata/multi:bench"
	idx, _ := multiPlatform(b)
	r, _ := name.ParseReference(ref)
	if err := remote.WriteIndex(r, idx); err != nil {
		b.Fatal(err)
	}
	docs, err := registry.OpenDocuments(context.Background(), ref)
	if err != nil {
		b.Fatal(err)
	}
	defer docs.Close()
	got, err := index.Read(context.Background(), docs)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			if len(got.Rows()) != 2 {
				b.Fatal("not 2 rows")
			}
		}
	})
	b.Run("read+rows", func(b *testing.B) {
		for b.Loop() {
			got, err := index.Read(context.Background(), docs)
			if err != nil || len(got.Rows()) != 2 {
				b.Fatal(err)
			}
		}
	})
}
