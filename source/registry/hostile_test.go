package registry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/registry"
)

// rawManifest is a manifest pushed as the bytes it is.
type rawManifest struct {
	body []byte
	mt   types.MediaType
}

func (m rawManifest) RawManifest() ([]byte, error)        { return m.body, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return m.mt, nil }

// putRaw pushes body as a manifest of type mt to ref and returns its
// descriptor.
func putRaw(t *testing.T, ref string, body []byte, mt types.MediaType) v1.Descriptor {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Put(r, rawManifest{body, mt}); err != nil {
		t.Fatalf("putting %s: %v", ref, err)
	}
	h, size, err := v1.SHA256(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	return v1.Descriptor{MediaType: mt, Digest: h, Size: size}
}

func indexOf(t *testing.T, ds []v1.Descriptor) []byte {
	t.Helper()
	b, err := json.Marshal(v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// manifestGets counts the GETs of each manifest.
type manifestGets struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *manifestGets) wrap(next http.Handler) http.Handler {
	c.n = map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := strings.Index(r.URL.Path, "/manifests/"); i >= 0 && r.Method == http.MethodGet {
			c.mu.Lock()
			c.n[r.URL.Path[i+len("/manifests/"):]]++
			c.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// TestIndexFanOut: an index listing a child index 40 times at each of 6
// levels names 40^6 (4 billion) image descriptors; each index is fetched
// once and the image opens. An index listing more than 10,000 descriptors
// is refused with one line.
func TestIndexFanOut(t *testing.T) {
	var gets manifestGets
	host := serve(t, gets.wrap)
	img := buildImage(t)
	push(t, host+"/x/fan:img", img)
	mf, err := img.RawManifest()
	if err != nil {
		t.Fatal(err)
	}
	mt, _ := img.MediaType()
	d := putRaw(t, host+"/x/fan:img", mf, mt)
	d.Platform = &v1.Platform{OS: "linux", Architecture: "amd64"}
	const fan, levels = 40, 6
	for level := range levels {
		ds := make([]v1.Descriptor, fan)
		for i := range ds {
			ds[i] = d
		}
		d = putRaw(t, fmt.Sprintf("%s/x/fan:%d", host, level), indexOf(t, ds), types.OCIImageIndex)
	}
	gets.n = map[string]int{}
	got := openImage(t, fmt.Sprintf("%s/x/fan:%d", host, levels-1))
	if got.Platform().Architecture != "amd64" {
		t.Errorf("platform %v", got.Platform())
	}
	for m, n := range gets.n {
		if n > 1 {
			t.Errorf("manifest %s fetched %d times", m, n)
		}
	}
	t.Logf("manifest GETs: %v", gets.n)

	wide := make([]v1.Descriptor, metadata.MaxDescriptors+1)
	for i := range wide {
		wide[i] = d
	}
	putRaw(t, host+"/x/fan:wide", indexOf(t, wide), types.OCIImageIndex)
	msg := openErr(t, context.Background(), host+"/x/fan:wide", registry.ErrUnsupported)
	if !strings.Contains(msg, "more than 10000 manifests") {
		t.Errorf("error %q does not say the index lists too many", msg)
	}
}

// bigManifests answers GET …/manifests/big with 5 MiB, with a
// Content-Length, and …/manifests/chunked with as much without one.
func bigManifests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]` + strings.Repeat(" ", 5<<20) + `}`
		switch {
		case strings.HasSuffix(r.URL.Path, "/manifests/big"):
			w.Header().Set("Content-Type", string(types.OCIImageIndex))
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.Write([]byte(body))
		case strings.HasSuffix(r.URL.Path, "/manifests/chunked"):
			w.Header().Set("Content-Type", string(types.OCIImageIndex))
			for i := 0; i < len(body); i += 64 << 10 {
				w.Write([]byte(body[i:min(len(body), i+64<<10)]))
				w.(http.Flusher).Flush()
			}
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// TestManifestCap: a manifest over 4 MiB is refused, whether the registry
// says how long it is or not.
func TestManifestCap(t *testing.T) {
	host := serve(t, bigManifests)
	for _, tag := range []string{"big", "chunked"} {
		msg := openErr(t, context.Background(), host+"/x/y:"+tag, registry.ErrUnsupported)
		if !strings.Contains(msg, "the manifest is over the 4.0 MiB cap") {
			t.Errorf("%s: error %q does not name the cap", tag, msg)
		}
	}
}

// TestHostileDescriptors: manifests whose config descriptor has no size,
// a size over the cap or no digest, and an index that gives a manifest a
// wrong size, each fail with one line.
func TestHostileDescriptors(t *testing.T) {
	host := serve(t, nil)
	img := buildImage(t)
	push(t, host+"/x/img:1", img)
	mf, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	// put pushes the manifest with its config descriptor changed.
	put := func(tag string, change func(cfg map[string]any)) v1.Descriptor {
		var m map[string]any
		b, _ := json.Marshal(mf)
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		change(m["config"].(map[string]any))
		if b, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		return putRaw(t, host+"/x/img:"+tag, b, mf.MediaType)
	}
	put("nosize", func(cfg map[string]any) { cfg["size"] = -1 })
	put("huge", func(cfg map[string]any) { cfg["size"] = 1 << 40 })
	put("nodigest", func(cfg map[string]any) { delete(cfg, "digest") })
	good := put("good", func(map[string]any) {})
	good.Size++
	putRaw(t, host+"/x/img:badsize", indexOf(t, []v1.Descriptor{good}), types.OCIImageIndex)
	for tag, want := range map[string]string{
		"nosize":   "gives its config no size",
		"huge":     "is 1.0 TiB, over the 8.0 MiB cap",
		"nodigest": "names no config",
		"badsize":  fmt.Sprintf("not the %d its descriptor gives", good.Size),
	} {
		t.Run(tag, func(t *testing.T) {
			img, err := registry.Open(context.Background(), host+"/x/img:"+tag)
			if err == nil {
				img.Close()
				t.Fatal("opened")
			}
			t.Log(err)
			if !strings.Contains(err.Error(), want) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error %q does not say %q on one line", err, want)
			}
		})
	}
}
