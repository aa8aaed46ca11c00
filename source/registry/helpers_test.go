package registry_test

import (
	"github.com/strata-dev/strata/image"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source/registry"
)

// steps build an image with overwrites, a whiteout, an opaque directory
// and history-only steps.
func steps() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
			imagetest.Dir("/etc"), imagetest.Reg("/etc/hostname", "demo\n"),
			imagetest.Dir("/var/cache"), imagetest.Reg("/var/cache/a", "aaaa"),
			{Path: "/usr/lib/big", Size: 200 << 10},
		}},
		{CreatedBy: "ENV PATH=/usr/bin", Empty: true},
		{CreatedBy: "RUN update", Entries: []imagetest.Entry{
			imagetest.Reg("/etc/hostname", "other\n"), imagetest.Whiteout("/usr/lib/big"),
			imagetest.Symlink("/etc/link", "hostname"),
		}},
		{CreatedBy: "RUN clean", Entries: []imagetest.Entry{
			imagetest.Dir("/var/cache/"), imagetest.Opaque("/var/cache"), imagetest.Reg("/var/cache/b", "b"),
		}},
		{CreatedBy: `CMD ["/bin/sh"]`, Empty: true},
	}
}

func buildImage(t *testing.T, opts ...imagetest.Option) v1.Image {
	t.Helper()
	img, err := imagetest.Image(steps(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// quiet keeps the in-process registry from logging every request.
var quiet = ggcrregistry.Logger(log.New(io.Discard, "", 0))

// serve runs an in-process registry on 127.0.0.1, its handler wrapped by
// wrap when wrap is not nil, and returns its host:port.
func serve(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	var h = ggcrregistry.New(quiet)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return hostOf(t, srv.URL)
}

func hostOf(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// push writes img to ref.
func push(t *testing.T, ref string, img v1.Image, opts ...remote.Option) {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img, opts...); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
}

// pushIndex writes idx to ref.
func pushIndex(t *testing.T, ref string, idx v1.ImageIndex, opts ...remote.Option) {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(r, idx, opts...); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
}

// openImage opens ref, failing the test on error.
func openImage(t *testing.T, ref string, opts ...registry.Option) *registry.Image {
	t.Helper()
	img, err := registry.Open(context.Background(), ref, opts...)
	if err != nil {
		t.Fatalf("opening %s: %v", ref, err)
	}
	t.Cleanup(func() { img.Close() })
	return img
}

// openErr opens ref, expecting an error of kind; it checks the error is one
// line and returns its text.
func openErr(t *testing.T, ctx context.Context, ref string, kind error, opts ...registry.Option) string {
	t.Helper()
	img, err := registry.Open(ctx, ref, opts...)
	if err == nil {
		img.Close()
		t.Fatalf("opening %s succeeded, want %v", ref, kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("opening %s: %v; want errors.Is %v", ref, err, kind)
	}
	var re *registry.Error
	if !errors.As(err, &re) {
		t.Errorf("error %v is a %T, not a *registry.Error", err, err)
	}
	msg := err.Error()
	t.Logf("%s", msg)
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	return msg
}

// reportOf is the JSON document of an analysis, to compare across sources.
func reportOf(t *testing.T, img image.Image) []byte {
	t.Helper()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatalf("analyzing: %v", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(report.New(res, report.Meta{})); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// basicAuth lets through only requests with user:pass. Refusals echo the
// Authorization header they got, as a careless registry might, so that a
// leak would show.
func basicAuth(user, pass string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, p, ok := r.BasicAuth()
			if ok && u == user && p == pass {
				next.ServeHTTP(w, r)
				return
			}
			refuse(w, r, `Basic realm="strata-test `+r.Header.Get("Authorization")+`"`)
		})
	}
}

// bearerAuth is a registry with its token server at /token: the token
// server wants user:pass and hands out token, the registry wants the
// token. Refusals echo the Authorization header they got.
func bearerAuth(user, pass, token string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/token" {
				if u, p, ok := r.BasicAuth(); !ok || u != user || p != pass {
					refuse(w, r, `Basic realm="token"`)
					return
				}
				json.NewEncoder(w).Encode(map[string]string{"token": token})
				return
			}
			if r.Header.Get("Authorization") == "Bearer "+token {
				next.ServeHTTP(w, r)
				return
			}
			refuse(w, r, `Bearer realm="http://`+r.Host+`/token",service="test",error="`+r.Header.Get("Authorization")+`"`)
		})
	}
}

// refuse answers 401, echoing the Authorization header.
func refuse(w http.ResponseWriter, r *http.Request, challenge string) {
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{
		"code": "UNAUTHORIZED", "message": "bad credentials " + r.Header.Get("Authorization"),
	}}})
}

// staticKeychain answers user:pass for every registry.
func staticKeychain(user, pass string) authn.Keychain {
	return authn.NewMultiKeychain(keychainFunc(func(authn.Resource) (authn.Authenticator, error) {
		return &authn.Basic{Username: user, Password: pass}, nil
	}))
}

type keychainFunc func(authn.Resource) (authn.Authenticator, error)

func (f keychainFunc) Resolve(r authn.Resource) (authn.Authenticator, error) { return f(r) }

// blobCounter counts the requests for each blob.
type blobCounter struct {
	mu   sync.Mutex
	gets map[string]int // GETs by digest
	all  map[string]int // every request by "METHOD digest"
}

func (c *blobCounter) wrap(next http.Handler) http.Handler {
	c.gets, c.all = map[string]int{}, map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := strings.Index(r.URL.Path, "/blobs/sha256:"); i >= 0 {
			d := r.URL.Path[i+len("/blobs/"):]
			c.mu.Lock()
			c.all[r.Method+" "+d]++
			if r.Method == http.MethodGet {
				c.gets[d]++
			}
			c.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (c *blobCounter) snapshot() (gets, all map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gets, all = map[string]int{}, map[string]int{}
	for k, v := range c.gets {
		gets[k] = v
	}
	for k, v := range c.all {
		all[k] = v
	}
	return gets, all
}

func (c *blobCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.gets)
	clear(c.all)
}
