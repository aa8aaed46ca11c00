package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/strata-dev/strata/source/internal/metadata"
)

// plainHTTPAllowed says whether a registry host (host[:port]) may be
// spoken to without TLS: always with --insecure, otherwise only when it is
// a loopback host: localhost, 127.0.0.0/8 or ::1.
func plainHTTPAllowed(host string, insecure bool) bool {
	if insecure {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// errPlainHTTP is what the guard answers a plain HTTP request it refuses.
var errPlainHTTP = errors.New("plain HTTP is only used for loopback registries")

// plainHTTPGuard refuses plain HTTP requests to hosts that may not have
// them. ggcr itself falls back to HTTP for private networks and *.local
// names; strata does not without --insecure.
type plainHTTPGuard struct {
	inner    http.RoundTripper
	insecure bool
}

func (g plainHTTPGuard) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Scheme == "http" && !plainHTTPAllowed(r.URL.Host, g.insecure) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, fmt.Errorf("%w: %s", errPlainHTTP, r.URL.Host)
	}
	return g.inner.RoundTrip(r)
}

// manifestCap holds the body of every manifest, and of every list of
// referrers, the registry sends to metadata.MaxManifest bytes: ggcr reads
// up to 100 MiB of one. An answer that says it is longer is refused
// before it is read.
type manifestCap struct{ inner http.RoundTripper }

func (c manifestCap) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.inner.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/manifests/") && !strings.Contains(r.URL.Path, "/referrers/") {
		return resp, err
	}
	if resp.ContentLength > metadata.MaxManifest {
		resp.Body.Close()
		return nil, metadata.TooLarge("the manifest", resp.ContentLength, metadata.MaxManifest)
	}
	resp.Body = &cappedBody{r: io.LimitReader(resp.Body, metadata.MaxManifest+1), c: resp.Body}
	return resp, nil
}

// cappedBody fails a read that goes past metadata.MaxManifest bytes.
type cappedBody struct {
	r io.Reader
	c io.Closer
	n int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > metadata.MaxManifest {
		return 0, metadata.TooLarge("the manifest", -1, metadata.MaxManifest)
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.c.Close() }

// retryCodes are the answers worth asking again, as ggcr's remote retries.
var retryCodes = []int{
	http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
	http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout,
}

// newTransport pings the registry of repo and returns a transport that
// authenticates every request to it with auth, for pulling from repo. When
// it had to copy the base transport, to skip TLS verification, it returns
// the copy too, whose idle connections are the image's to close.
func newTransport(ctx context.Context, repo name.Repository, auth authn.Authenticator, o options) (http.RoundTripper, *http.Transport, error) {
	base := o.transport
	if base == nil {
		base = remote.DefaultTransport
	}
	var own *http.Transport
	if t, ok := base.(*http.Transport); ok && o.insecure {
		own = t.Clone()
		if own.TLSClientConfig == nil {
			own.TLSClientConfig = &tls.Config{}
		}
		own.TLSClientConfig.InsecureSkipVerify = true
		base = own
	}
	var rt http.RoundTripper = plainHTTPGuard{inner: manifestCap{base}, insecure: o.insecure}
	rt = transport.NewRetry(rt, transport.WithRetryStatusCodes(retryCodes...))
	rt = transport.NewUserAgent(rt, o.userAgent)
	rt, err := transport.NewWithContext(ctx, repo.Registry, auth, rt, []string{repo.Scope(transport.PullScope)})
	if err != nil && own != nil {
		own.CloseIdleConnections()
	}
	return rt, own, err
}

// checkRedirect refuses redirects from the registry to another host that
// is a loopback, private or link-local address, as ggcr's remote does.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if len(via) == 0 || req.URL.Hostname() == via[0].URL.Hostname() {
		return nil
	}
	host := req.URL.Hostname()
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err == nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified()) {
		return fmt.Errorf("refusing a redirect from %s to the private address %s", via[0].URL.Hostname(), ip)
	}
	return nil
}
