package main

import (
	"archive/tar"
	"context"
	"encoding/base64"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/livetest"
)

// Slow, stalled and authenticated image sources for the tests of
// --timeout, interrupts and secrets: an in-process registry (ggcr's) and a
// fake Docker Engine API, each on this machine.

// slowImage is an image whose layer blob is big enough (2 MB of random
// bytes) that, trickled, it takes minutes to download.
func slowImage(t *testing.T) v1.Image {
	t.Helper()
	img, err := imagetest.Image([]imagetest.Step{
		{CreatedBy: "ADD base", Entries: []imagetest.Entry{imagetest.Dir("/etc"), imagetest.Reg("/etc/motd", "hi\n")}},
		{CreatedBy: "ADD big", Entries: []imagetest.Entry{{Path: "/big", Size: 2 << 20}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// testRegistry runs ggcr's registry on 127.0.0.1, its handler wrapped by
// wrap, with img pushed as strata/test:1 (through the wrapper, with auth
// when given), and returns the reference to it.
func testRegistry(t *testing.T, img v1.Image, wrap func(http.Handler) http.Handler, auth authn.Authenticator) string {
	t.Helper()
	h := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	var pushing atomic.Bool
	pushing.Store(true)
	wrapped := wrap(h)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if pushing.Load() && r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.ServeHTTP(w, r) // the push is not slowed or refused
			return
		}
		wrapped.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ref := u.Host + "/strata/test:1"
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	opts := []remote.Option{}
	if auth != nil {
		opts = append(opts, remote.WithAuth(auth))
	}
	if err := remote.Write(r, img, opts...); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
	pushing.Store(false)
	return ref
}

// isLayerBlob says whether a request fetches a layer blob: a blob GET for
// anything but the config, which is small.
func isLayerBlob(r *http.Request, img v1.Image) bool {
	if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/blobs/") {
		return false
	}
	cfg, err := img.ConfigName()
	return err == nil && !strings.HasSuffix(r.URL.Path, cfg.String())
}

// stallBlobs never answers a layer blob request; started is closed when
// the first one arrives.
func stallBlobs(img v1.Image, started chan struct{}) func(http.Handler) http.Handler {
	var once atomic.Bool
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !isLayerBlob(r, img) {
				next.ServeHTTP(w, r)
				return
			}
			if once.CompareAndSwap(false, true) {
				close(started)
			}
			<-r.Context().Done()
		})
	}
}

// trickleBlobs answers layer blob requests 512 bytes every 50 ms;
// started is closed when the first one arrives.
func trickleBlobs(img v1.Image, started chan struct{}) func(http.Handler) http.Handler {
	var once atomic.Bool
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !isLayerBlob(r, img) {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			w.Header().Set("Content-Length", rec.Header().Get("Content-Length"))
			w.WriteHeader(rec.Code)
			if once.CompareAndSwap(false, true) {
				close(started)
			}
			trickle(r.Context(), w, rec.Body)
		})
	}
}

// trickle copies r to w, 512 bytes every 50 ms, until ctx is done.
func trickle(ctx context.Context, w http.ResponseWriter, r io.Reader) {
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
		if err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// fakeDaemon serves enough of the Docker Engine API on a unix socket for
// strata to save an image from it: ping, image inspect, and an image save
// that sends a tar header announcing 1 GB, then trickles zeros until the
// client goes away (or, with stall, sends nothing at all). It returns the
// DOCKER_HOST value and a channel closed when the save starts.
func fakeDaemon(t *testing.T, stall bool) (string, chan struct{}) {
	t.Helper()
	dir, err := os.MkdirTemp("", "strata-dockerd-") // short: a socket path has ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "d.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no unix socket: %v", err)
	}
	started := make(chan struct{})
	var once atomic.Bool
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.44")
		w.Header().Set("Ostype", "linux")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			io.WriteString(w, "OK")
		case strings.Contains(r.URL.Path, "/images/get"):
			if once.CompareAndSwap(false, true) {
				close(started)
			}
			w.Header().Set("Content-Type", "application/x-tar")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			if stall {
				<-r.Context().Done()
				return
			}
			tw := tar.NewWriter(w)
			tw.WriteHeader(&tar.Header{Name: "blobs/sha256/big", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1 << 30})
			trickle(r.Context(), w, &mZeros{n: 1 << 30})
		case strings.HasPrefix(r.URL.Path, "/v") && strings.HasSuffix(r.URL.Path, "/json") && strings.Contains(r.URL.Path, "/images/"):
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"Id":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","RepoTags":["slow:latest"]}`)
		default:
			http.NotFound(w, r)
		}
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "unix://" + sock, started
}

// TestTimeoutBoundsALoad: a registry that never sends a layer and a daemon
// that never sends its save both end, after --timeout, in one line that
// names the timeout, exit 2.
func TestTimeoutBoundsALoad(t *testing.T) {
	img := slowImage(t)
	for _, tt := range []struct {
		name string
		open func(t *testing.T) (ref string, env map[string]string, started chan struct{})
	}{
		{"registry", func(t *testing.T) (string, map[string]string, chan struct{}) {
			started := make(chan struct{})
			return "registry://" + testRegistry(t, img, stallBlobs(img, started), nil), nil, started
		}},
		{"docker daemon", func(t *testing.T) (string, map[string]string, chan struct{}) {
			host, started := fakeDaemon(t, true)
			return "docker://slow:latest", map[string]string{"DOCKER_HOST": host}, started
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ref, env, started := tt.open(t)
			t.Setenv("TMPDIR", t.TempDir()) // where the daemon's save is spooled
			start := time.Now()
			r := strata(t, env, "inspect", "--timeout", "1s", ref)
			took := time.Since(start)
			t.Logf("after %s: exit %d, %s", took.Round(time.Millisecond), r.code, strings.TrimSpace(r.stderr))
			select {
			case <-started:
			default:
				t.Fatal("the load never reached the stalled request")
			}
			wantOneError(t, r, "timed out after 1s loading the image (raise --timeout)")
			if took > 5*time.Second {
				t.Errorf("strata took %s to give up after --timeout 1s", took)
			}
			if names := dirNames(t, os.Getenv("TMPDIR")); len(names) > 0 {
				t.Errorf("temporary files left: %v", names)
			}
		})
	}
}

// basicOnly lets through only requests that log in as user:pass. A refusal
// echoes the Authorization header it got, as a careless registry might, so
// that strata repeating it would show.
func basicOnly(user, pass string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); ok && u == user && p == pass {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="strata-test `+r.Header.Get("Authorization")+`"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials: `+r.Header.Get("Authorization")+`"}]}`)
	})
}

// TestNoSecretsInOutput runs strata against a registry that wants basic
// auth, with the login in a DOCKER_CONFIG, the way a user would: runs that
// succeed (text, --json, --ci with a JUnit report) and runs that fail
// (wrong password, missing image, a layer cut short, a timeout). No output
// stream and no file written holds the password or the encoded login.
func TestNoSecretsInOutput(t *testing.T) {
	const user, pass = "strata", "s3cret-Pa55word"
	encoded := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	img := slowImage(t)
	var cut atomic.Bool // send layer blobs cut short
	var stall atomic.Bool
	ref := testRegistry(t, img, func(next http.Handler) http.Handler {
		return basicOnly(user, pass, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case stall.Load() && isLayerBlob(r, img):
				<-r.Context().Done()
			case cut.Load() && isLayerBlob(r, img):
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				w.Header().Set("Content-Length", rec.Header().Get("Content-Length"))
				w.Write(rec.Body.Bytes()[:100])
			default:
				next.ServeHTTP(w, r)
			}
		}))
	}, &authn.Basic{Username: user, Password: pass})
	host := strings.SplitN(ref, "/", 2)[0]
	out := t.TempDir()
	t.Chdir(out)
	t.Setenv("REGISTRY_AUTH_FILE", filepath.Join(out, "none.json"))
	t.Setenv("TMPDIR", t.TempDir())
	login := livetest.DockerConfigWithAuth(t, host, user, pass)
	wrong := livetest.DockerConfigWithAuth(t, host, user, pass+"-not")

	for _, tt := range []struct {
		name   string
		config string
		args   []string
		code   int
		setup  func()
	}{
		{"text summary", login, []string{"registry://" + ref}, exitOK, nil},
		{"--json to a file", login, []string{"inspect", "--json", "report.json", "registry://" + ref}, exitOK, nil},
		{"--json to stdout", login, []string{"inspect", "--json", "-", "registry://" + ref}, exitOK, nil},
		{"--ci with a JUnit report", login, []string{"inspect", "--ci", "--lowest-efficiency", "0", "--highest-user-wasted-percent", "1", "--ci-report", "junit=junit.xml", "registry://" + ref}, exitOK, nil},
		{"extract", login, []string{"extract", "-o", "x", "registry://" + ref, "/etc"}, exitOK, nil},
		{"wrong password", wrong, []string{"registry://" + ref}, exitError, nil},
		{"wrong password, --json", wrong, []string{"inspect", "--json", "failed.json", "registry://" + ref}, exitError, nil},
		{"no such image", login, []string{"registry://" + host + "/strata/none:1"}, exitError, nil},
		{"a layer cut short", login, []string{"inspect", "--json", "cut.json", "registry://" + ref}, exitError, func() { cut.Store(true) }},
		{"a stalled layer and --timeout", login, []string{"inspect", "--timeout", "1s", "registry://" + ref}, exitError, func() { cut.Store(false); stall.Store(true) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			t.Setenv("DOCKER_CONFIG", tt.config)
			env := map[string]string{"DOCKER_CONFIG": tt.config, "REGISTRY_AUTH_FILE": os.Getenv("REGISTRY_AUTH_FILE")}
			r := strata(t, env, tt.args...)
			t.Logf("exit %d, stderr %q", r.code, r.stderr)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tt.code, r)
			}
			if tt.code == exitError {
				wantOneError(t, r)
			}
			streams := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
			filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					b, _ := os.ReadFile(p)
					streams[p] = string(b)
				}
				return nil
			})
			for where, s := range streams {
				for _, secret := range []string{pass, encoded} {
					if strings.Contains(s, secret) {
						t.Errorf("%s holds the secret %q:\n%s", where, secret, s)
					}
				}
			}
		})
	}
}
