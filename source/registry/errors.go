package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/strata-dev/strata/source/internal/metadata"
)

// The kinds of failure. Every error Open and the layers return is an
// *Error whose Kind is one of these (or context.Canceled), so callers pick
// exit codes with errors.Is.
var (
	ErrBadReference    = errors.New("not a valid image reference")
	ErrUnauthorized    = errors.New("unauthorized")
	ErrDenied          = errors.New("denied")
	ErrNotFound        = errors.New("not found")
	ErrTooManyRequests = errors.New("too many requests")
	ErrTLS             = errors.New("TLS certificate problem")
	ErrPlainHTTP       = errors.New("plain HTTP not allowed")
	ErrUnreachable     = errors.New("cannot reach the registry")
	ErrTimeout         = errors.New("timed out")
	ErrPlatform        = errors.New("no image for the platform")
	ErrUnsupported     = errors.New("not a supported image")
	ErrRegistry        = errors.New("registry error") // any other answer, or a broken one
)

// Error is a failure to read an image from a registry. Its text is one
// line naming the reference and never holds credentials, tokens or the
// URLs of requests.
type Error struct {
	// Ref is the canonical reference.
	Ref string
	// Kind is one of the Err sentinels, or context.Canceled.
	Kind  error
	msg   string
	cause error
}

func (e *Error) Error() string { return e.msg }

// Unwrap gives the kind and the cause, so errors.Is matches both a
// sentinel and, say, context.DeadlineExceeded. The cause's own text may
// hold request URLs; print the Error, not the cause.
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.cause}
}

// describer turns what went wrong into an *Error for one reference.
type describer struct {
	ref      name.Reference
	start    time.Time
	deadline time.Time
	secrets  []string
}

func newDescriber(ctx context.Context, ref name.Reference, start time.Time) *describer {
	d := &describer{ref: ref, start: start}
	d.deadline, _ = ctx.Deadline()
	return d
}

func (d *describer) errorf(kind, cause error, format string, args ...any) *Error {
	msg := d.ref.Name() + ": " + fmt.Sprintf(format, args...)
	return &Error{Ref: d.ref.Name(), Kind: kind, msg: d.scrub(msg), cause: cause}
}

// describe says what went wrong reading what ("the manifest", "layer blob
// sha256:…"). It never uses the text of a registry's answer, which may
// echo headers, nor that of ggcr's transport errors, which hold URLs.
func (d *describer) describe(err error, what string) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	reg := d.ref.Context().RegistryStr()
	var (
		terr     *transport.Error
		dnsErr   *net.DNSError
		opErr    *net.OpError
		netErr   net.Error
		certErr  *tls.CertificateVerificationError
		authErr  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalErr x509.CertificateInvalidError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return d.errorf(context.Canceled, err, "canceled while reading %s", what)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return d.errorf(ErrTimeout, err, "timed out after %s waiting for %s", d.waited(), reg)
	case errors.As(err, &certErr):
		return d.tlsError(err, certErr.Err.Error())
	case errors.As(err, &authErr):
		return d.tlsError(err, authErr.Error())
	case errors.As(err, &hostErr):
		return d.tlsError(err, hostErr.Error())
	case errors.As(err, &invalErr):
		return d.tlsError(err, invalErr.Error())
	case errors.Is(err, errPlainHTTP), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return d.errorf(ErrPlainHTTP, err, "%s answers in plain HTTP, which is only used for loopback registries (use --insecure to allow it)", reg)
	case errors.As(err, &terr):
		return d.httpError(terr, what)
	case errors.As(err, &dnsErr):
		return d.errorf(ErrUnreachable, err, "cannot reach %s: %s", reg, dnsErr.Err)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return d.errorf(ErrUnreachable, err, "cannot reach %s: %s", reg, errno.Error())
		}
		return d.errorf(ErrUnreachable, err, "cannot reach %s: %s", reg, opErr.Err)
	case errors.Is(err, metadata.ErrTooLarge):
		return d.errorf(ErrUnsupported, err, "%s is over the %s cap", what, humanize.IBytes(metadata.MaxManifest))
	case errors.Is(err, remote.ErrSchema1):
		return d.errorf(ErrUnsupported, err, "schema 1 manifests are not supported (push the image again with a current docker, podman or buildah)")
	}
	return d.errorf(ErrRegistry, err, "reading %s from %s: %s", what, reg, err)
}

func (d *describer) tlsError(err error, detail string) error {
	return d.errorf(ErrTLS, err, "TLS certificate problem with %s: %s (use --insecure to skip verification)",
		d.ref.Context().RegistryStr(), detail)
}

// httpError describes an answer of the registry by its status and error
// codes alone.
func (d *describer) httpError(e *transport.Error, what string) error {
	reg := d.ref.Context().RegistryStr()
	codes := map[transport.ErrorCode]bool{}
	var list []string
	for _, diag := range e.Errors {
		if !codes[diag.Code] {
			codes[diag.Code] = true
			list = append(list, string(diag.Code))
		}
	}
	switch {
	case e.StatusCode == http.StatusUnauthorized || codes[transport.UnauthorizedErrorCode]:
		return d.errorf(ErrUnauthorized, e, "unauthorized: credentials were missing or refused by %s (log in with docker login or set DOCKER_CONFIG/REGISTRY_AUTH_FILE)", reg)
	case e.StatusCode == http.StatusForbidden || codes[transport.DeniedErrorCode]:
		return d.errorf(ErrDenied, e, "denied: %s refused access to the repository with these credentials", reg)
	case e.StatusCode == http.StatusTooManyRequests || codes[transport.TooManyRequestsErrorCode]:
		return d.errorf(ErrTooManyRequests, e, "too many requests: %s is limiting the rate of pulls (log in, or wait and try again)", reg)
	case e.StatusCode == http.StatusNotFound || codes[transport.ManifestUnknownErrorCode] ||
		codes[transport.NameUnknownErrorCode] || codes[transport.BlobUnknownErrorCode]:
		if what != topManifest {
			return d.errorf(ErrNotFound, e, "%s unknown: %s does not have it", what, reg)
		}
		if _, ok := d.ref.(name.Digest); ok {
			return d.errorf(ErrNotFound, e, "manifest unknown: no such repository or digest")
		}
		return d.errorf(ErrNotFound, e, "manifest unknown: no such repository or tag")
	}
	msg := fmt.Sprintf("%s answered %d %s reading %s", reg, e.StatusCode, http.StatusText(e.StatusCode), what)
	if len(list) > 0 {
		msg += " (" + strings.Join(list, ", ") + ")"
	}
	return d.errorf(ErrRegistry, e, "%s", msg)
}

// topManifest is what describe calls the manifest the reference names.
const topManifest = "the manifest"

// waited is how long the caller let the registry take.
func (d *describer) waited() time.Duration {
	t := time.Since(d.start)
	if set := d.deadline.Sub(d.start); !d.deadline.IsZero() && set > 0 {
		t = set
	}
	// Coarse enough that the moment between setting the deadline and
	// calling Open does not show.
	switch {
	case t >= time.Second:
		return t.Round(100 * time.Millisecond)
	case t >= 100*time.Millisecond:
		return t.Round(10 * time.Millisecond)
	case t >= time.Millisecond:
		return t.Round(time.Millisecond)
	}
	return t.Round(time.Microsecond)
}

// urlPattern finds URLs in error texts.
var urlPattern = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+`)

// scrub makes a message one line with no credentials in it: URLs lose
// their user information and query, and the secrets of the credentials in
// use are masked wherever they appear.
func (d *describer) scrub(s string) string {
	s = urlPattern.ReplaceAllStringFunc(s, func(raw string) string {
		trimmed := strings.TrimRight(raw, ":,.;)")
		u, err := url.Parse(trimmed)
		if err != nil {
			return "<url>"
		}
		u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
		return u.String() + raw[len(trimmed):]
	})
	for _, sec := range d.secrets {
		s = strings.ReplaceAll(s, sec, "****")
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// secretsOf lists what of the credentials must never be printed.
func secretsOf(ctx context.Context, auth authn.Authenticator) []string {
	cfg, err := authn.Authorization(ctx, auth)
	if err != nil || cfg == nil {
		return nil
	}
	var out []string
	for _, s := range []string{cfg.Password, cfg.Auth, cfg.IdentityToken, cfg.RegistryToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	if cfg.Username != "" || cfg.Password != "" {
		out = append(out, base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password)))
	}
	return out
}
