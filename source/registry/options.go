package registry

import (
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Option changes how an image is read from its registry.
type Option func(*options)

type options struct {
	platform  v1.Platform
	insecure  bool
	keychain  authn.Keychain
	transport http.RoundTripper
	userAgent string
}

// WithPlatform picks the image for this platform out of an index. The zero
// platform means the host's: a lone image is taken whatever its platform,
// and the images of an index are matched against the host.
func WithPlatform(p v1.Platform) Option { return func(o *options) { o.platform = p } }

// WithInsecure allows plain HTTP to any registry and skips the
// verification of TLS certificates. Without it plain HTTP is only used for
// loopback registries (localhost, 127.0.0.0/8, ::1).
func WithInsecure(insecure bool) Option { return func(o *options) { o.insecure = insecure } }

// WithKeychain sets where credentials come from. The default is the docker
// configuration (authn.DefaultKeychain), then the podman and skopeo auth
// file: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json,
// else ~/.config/containers/auth.json.
func WithKeychain(k authn.Keychain) Option { return func(o *options) { o.keychain = k } }

// WithTransport sets the HTTP transport underneath authentication, retries
// and the user agent; tests use it to reach servers in-process. With
// WithInsecure, an *http.Transport is copied to skip TLS verification;
// another kind of RoundTripper is used as it is.
func WithTransport(t http.RoundTripper) Option { return func(o *options) { o.transport = t } }

// WithUserAgent puts ua in front of the User-Agent header of every request.
func WithUserAgent(ua string) Option { return func(o *options) { o.userAgent = ua } }

// DefaultKeychain returns the docker configuration, then the podman and
// skopeo auth file.
func DefaultKeychain() authn.Keychain {
	return authn.NewMultiKeychain(authn.DefaultKeychain, authFileKeychain{})
}
