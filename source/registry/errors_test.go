package registry_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/source/registry"
)

func TestNotFound(t *testing.T) {
	host := serve(t, nil)
	push(t, host+"/strata/demo:1", buildImage(t))

	msg := openErr(t, context.Background(), host+"/strata/demo:missing", registry.ErrNotFound)
	if want := host + "/strata/demo:missing: manifest unknown: no such repository or tag"; msg != want {
		t.Errorf("error = %q\nwant %q", msg, want)
	}
	msg = openErr(t, context.Background(), host+"/strata/nothing:1", registry.ErrNotFound)
	if want := host + "/strata/nothing:1: manifest unknown: no such repository or tag"; msg != want {
		t.Errorf("error = %q\nwant %q", msg, want)
	}
}

// answer is a handler that answers every request under /v2/x/ with status
// and an error of code, and lets the rest (the ping) through.
func answer(status int, code string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/v2/x/") {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"code": code, "message": "line one\nline two " + r.URL.String()}}})
		})
	}
}

func TestHTTPErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
		kind   error
		want   string
	}{
		{http.StatusForbidden, "DENIED", registry.ErrDenied, "denied: HOST refused access to the repository with these credentials"},
		{http.StatusTooManyRequests, "TOOMANYREQUESTS", registry.ErrTooManyRequests, "too many requests: HOST is limiting the rate of pulls (log in, or wait and try again)"},
		{http.StatusTeapot, "UNSUPPORTED", registry.ErrRegistry, "HOST answered 418 I'm a teapot reading the manifest (UNSUPPORTED)"},
		{http.StatusNotFound, "NAME_UNKNOWN", registry.ErrNotFound, "manifest unknown: no such repository or tag"},
	} {
		host := serve(t, answer(tc.status, tc.code))
		ref := host + "/x/y:1"
		msg := openErr(t, context.Background(), ref, tc.kind)
		if want := ref + ": " + strings.ReplaceAll(tc.want, "HOST", host); msg != want {
			t.Errorf("%d: error = %q\nwant %q", tc.status, msg, want)
		}
	}
}

func TestUnauthorized(t *testing.T) {
	const user, pass = "strata", "s3cret-Pa55word"
	host := serve(t, basicAuth(user, pass))
	ref := host + "/strata/private:1"
	push(t, ref, buildImage(t), remote.WithAuth(&authn.Basic{Username: user, Password: pass}))

	noCreds := registry.WithKeychain(staticKeychain("", ""))
	msg := openErr(t, context.Background(), ref, registry.ErrUnauthorized, noCreds)
	want := ref + ": unauthorized: credentials were missing or refused by " + host +
		" (log in with docker login or set DOCKER_CONFIG/REGISTRY_AUTH_FILE)"
	if msg != want {
		t.Errorf("error = %q\nwant %q", msg, want)
	}

	wrong := "wr0ng-" + pass
	msg = openErr(t, context.Background(), ref, registry.ErrUnauthorized, registry.WithKeychain(staticKeychain(user, wrong)))
	if msg != want {
		t.Errorf("error with wrong credentials = %q\nwant %q", msg, want)
	}
	noSecret(t, msg, user, wrong)

	img := openImage(t, ref, registry.WithKeychain(staticKeychain(user, pass)))
	if _, err := analyze.Analyze(context.Background(), img); err != nil {
		t.Errorf("analyzing with credentials: %v", err)
	}
}

// TestNoSecretsInErrors fails authenticated runs every way it can, with
// basic and with bearer authentication, against servers that echo what
// they were sent, and checks that no error text holds the password, the
// basic credentials or the token.
func TestNoSecretsInErrors(t *testing.T) {
	const user, pass = "strata", "hunter2-Secret"
	const token = "tok-" + pass
	schemes := map[string]func(http.Handler) http.Handler{
		"basic":  basicAuth(user, pass),
		"bearer": bearerAuth(user, pass, token),
	}
	var msgs []string
	collect := func(ctx context.Context, ref string, opts ...registry.Option) {
		t.Helper()
		img, err := registry.Open(ctx, ref, opts...)
		if err != nil {
			msgs = append(msgs, err.Error())
			return
		}
		defer img.Close()
		if _, err := analyze.Analyze(context.Background(), img); err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	good := registry.WithKeychain(staticKeychain(user, pass))
	for _, auth := range schemes {
		for _, wrong := range []string{pass + "x", "x" + pass, "another " + pass} {
			host := serve(t, auth)
			collect(context.Background(), host+"/x/y:1", registry.WithKeychain(staticKeychain(user, wrong)))
		}
		for _, status := range []int{401, 403, 404, 418, 500} {
			host := serve(t, func(next http.Handler) http.Handler { return auth(answer(status, "UNKNOWN")(next)) })
			collect(context.Background(), host+"/x/y:1", good)
		}
		// A registry that sends a layer blob cut short.
		host := serve(t, func(next http.Handler) http.Handler { return auth(cutLayers(next)) })
		push(t, host+"/x/cut:1", buildImage(t), remote.WithAuth(&authn.Basic{Username: user, Password: pass}))
		collect(context.Background(), host+"/x/cut:1", good)
		// A deadline while authenticated.
		ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
		collect(ctx, host+"/x/cut:1", good)
		cancel()
	}
	// A token server whose answer is broken and quotes the password.
	host := serve(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/token" {
				io.WriteString(w, `{"token": "`+pass+` `+r.Header.Get("Authorization"))
				return
			}
			bearerAuth(user, pass, token)(next).ServeHTTP(w, r)
		})
	})
	collect(context.Background(), host+"/x/y:1", good)

	if len(msgs) < 20 {
		t.Fatalf("only %d failures: %q", len(msgs), msgs)
	}
	for _, m := range msgs {
		t.Log(m)
		noSecret(t, m, user, pass)
		if strings.Contains(m, token) {
			t.Errorf("error leaks the token: %q", m)
		}
		if strings.ContainsAny(m, "\r\n") {
			t.Errorf("error is not one line: %q", m)
		}
	}
}

// cutLayers sends the layer blobs (the big ones) cut short.
func cutLayers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "/blobs/") || r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if rec.Body.Len() > 10000 {
			w.Header().Set("Content-Length", "100000")
			w.Write(rec.Body.Bytes()[:50])
			return
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// TestTLS checks that a certificate the system does not trust is refused
// with a hint, and accepted with WithInsecure.
func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(ggcrregistry.New(quiet))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ref := hostOf(t, srv.URL) + "/strata/tls:1"
	push(t, ref, buildImage(t), remote.WithTransport(srv.Client().Transport))

	msg := openErr(t, context.Background(), ref, registry.ErrTLS)
	for _, want := range []string{ref + ": TLS certificate problem with " + hostOf(t, srv.URL), "x509:", "--insecure"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}

	img := openImage(t, ref, registry.WithInsecure(true))
	if _, err := analyze.Analyze(context.Background(), img); err != nil {
		t.Errorf("analyzing over TLS with WithInsecure: %v", err)
	}
}

// TestTimeout talks to a server that never answers.
func TestTimeout(t *testing.T) {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	ref := hostOf(t, srv.URL) + "/strata/slow:1"
	msg := openErr(t, ctx, ref, registry.ErrTimeout)
	if want := ref + ": timed out after 300ms waiting for " + hostOf(t, srv.URL); msg != want {
		t.Errorf("error = %q\nwant %q", msg, want)
	}
	if _, err := registry.Open(ctx, ref); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not match context.DeadlineExceeded", err)
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := ln.Addr().String()
	ln.Close()
	ref := host + "/strata/none:1"
	msg := openErr(t, context.Background(), ref, registry.ErrUnreachable)
	if want := ref + ": cannot reach " + host + ": connection refused"; msg != want {
		t.Errorf("error = %q\nwant %q", msg, want)
	}

	// A name that does not resolve, without asking a DNS server.
	noDNS := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		h, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: h, IsNotFound: true}}
	}}
	ref = "registry.example.invalid/strata/none:1"
	msg = openErr(t, context.Background(), ref, registry.ErrUnreachable, registry.WithTransport(noDNS))
	if want := ref + ": cannot reach registry.example.invalid: no such host"; msg != want {
		t.Errorf("error = %q\nwant %q", msg, want)
	}
}

// noSecret fails when msg holds the password or the basic credentials.
func noSecret(t *testing.T, msg, user, pass string) {
	t.Helper()
	for _, secret := range []string{pass, base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))} {
		if strings.Contains(msg, secret) {
			t.Errorf("error leaks a secret %q: %q", secret, msg)
		}
	}
}
