package signtest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/sign"
	"google.golang.org/protobuf/encoding/protojson"
)

// Signer signs with one key, or, when keyless, with a fresh key and a
// certificate naming Identity and Issuer.
type Signer struct {
	kp       *sign.EphemeralKeypair
	keyless  bool
	identity string
	issuer   string
	cert     []byte // DER, when keyless
}

// NewSigner makes a key-based signer with a new ECDSA P-256 key, as
// `cosign generate-key-pair` does.
func NewSigner() (*Signer, error) {
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		return nil, err
	}
	return &Signer{kp: kp}, nil
}

// NewKeylessSigner makes a signer whose signatures carry a certificate
// for identity (an email) from issuer, as Fulcio issues one; a local CA
// stands in for Fulcio.
func NewKeylessSigner(identity, issuer string) (*Signer, error) {
	s, err := NewSigner()
	if err != nil {
		return nil, err
	}
	s.keyless, s.identity, s.issuer = true, identity, issuer
	der, err := s.GetCertificate(context.Background(), s.kp, nil)
	if err != nil {
		return nil, err
	}
	s.cert = der
	return s, nil
}

// PublicKeyPEM is the signer's public key as cosign.pub holds it.
func (s *Signer) PublicKeyPEM() []byte {
	p, _ := s.kp.GetPublicKeyPem() // marshalling an ECDSA key does not fail
	return []byte(p)
}

// oidIssuer is Fulcio's OIDC issuer extension (1.3.6.1.4.1.57264.1.8).
var oidIssuer = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 8}

// GetCertificate issues a certificate for kp's key naming the signer's
// identity and issuer, signed by a throwaway CA: it makes Signer a
// sign.CertificateProvider.
func (s *Signer) GetCertificate(_ context.Context, kp sign.Keypair, _ *sign.CertificateProviderOptions) ([]byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "strata-test fulcio"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	issuer, err := asn1.MarshalWithParams(s.issuer, "utf8")
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), NotBefore: now.Add(-time.Minute), NotAfter: now.Add(10 * time.Minute),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		ExtraExtensions: []pkix.Extension{{Id: oidIssuer, Value: issuer}}}
	if u, err := url.Parse(s.identity); err == nil && u.Scheme != "" {
		leaf.URIs = []*url.URL{u}
	} else {
		leaf.EmailAddresses = []string{s.identity}
	}
	return x509.CreateCertificate(rand.Reader, leaf, ca, kp.GetPublicKey(), caKey)
}

// SimpleSigningPayload is cosign's payload for an image signature.
func SimpleSigningPayload(ref string, digest v1.Hash) []byte {
	b, _ := json.Marshal(map[string]any{
		"critical": map[string]any{
			"identity": map[string]string{"docker-reference": ref},
			"image":    map[string]string{"docker-manifest-digest": digest.String()},
			"type":     "cosign container image signature",
		},
		"optional": nil,
	})
	return b
}

// SignPayload signs payload as cosign signs it: ECDSA over its SHA-256.
func (s *Signer) SignPayload(payload []byte) ([]byte, error) {
	sig, _, err := s.kp.SignData(context.Background(), payload)
	return sig, err
}

// SignatureImage is cosign's .sig image: one simple-signing layer a
// payload, each signed, with the signature (and, when keyless, the
// certificate) in the layer's annotations. The payloads are what is
// signed; pass a changed one in tamper to put it in place of the first,
// under the first's signature.
func (s *Signer) SignatureImage(payloads [][]byte, tamper []byte) (v1.Image, error) {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	var adds []mutate.Addendum
	for i, p := range payloads {
		sig, err := s.SignPayload(p)
		if err != nil {
			return nil, err
		}
		ann := map[string]string{"dev.cosignproject.cosign/signature": base64.StdEncoding.EncodeToString(sig)}
		if s.keyless {
			ann["dev.sigstore.cosign/certificate"] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.cert}))
		}
		body := p
		if i == 0 && tamper != nil {
			body = tamper
		}
		adds = append(adds, mutate.Addendum{
			Layer:       static.NewLayer(body, "application/vnd.dev.cosign.simplesigning.v1+json"),
			Annotations: ann,
		})
	}
	return mutate.Append(img, adds...)
}

// AttestationImage is cosign's .att image: a DSSE envelope, signed, of an
// in-toto statement of predicateType about digest.
func (s *Signer) AttestationImage(digest v1.Hash, predicateType string, predicate any) (v1.Image, error) {
	stmt, err := statement(digest, predicateType, predicate)
	if err != nil {
		return nil, err
	}
	pae := fmt.Sprintf("DSSEv1 %d %s %d %s", len("application/vnd.in-toto+json"), "application/vnd.in-toto+json", len(stmt), stmt)
	sig, err := s.SignPayload([]byte(pae))
	if err != nil {
		return nil, err
	}
	env, err := json.Marshal(map[string]any{
		"payloadType": "application/vnd.in-toto+json",
		"payload":     base64.StdEncoding.EncodeToString(stmt),
		"signatures":  []map[string]string{{"keyid": "", "sig": base64.StdEncoding.EncodeToString(sig)}},
	})
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	return mutate.Append(img, mutate.Addendum{
		Layer:       static.NewLayer(env, "application/vnd.dsse.envelope.v1+json"),
		Annotations: map[string]string{"predicateType": predicateType},
	})
}

func statement(digest v1.Hash, predicateType string, predicate any) ([]byte, error) {
	return json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": "image", "digest": map[string]string{digest.Algorithm: digest.Hex}}},
		"predicateType": predicateType,
		"predicate":     predicate,
	})
}

// SignatureBundle is a Sigstore bundle, as cosign 3 signs an image: a
// DSSE envelope of an in-toto statement with cosign's signature predicate
// about digest, signed by s (with its certificate when keyless).
func (s *Signer) SignatureBundle(digest v1.Hash) ([]byte, error) {
	stmt, err := statement(digest, "https://sigstore.dev/cosign/sign/v1", map[string]any{})
	if err != nil {
		return nil, err
	}
	opts := sign.BundleOptions{}
	if s.keyless {
		opts.CertificateProvider = fixedCertificate(s.cert)
	}
	pb, err := sign.Bundle(&sign.DSSEData{Data: stmt, PayloadType: "application/vnd.in-toto+json"}, s.kp, opts)
	if err != nil {
		return nil, err
	}
	if _, err := bundle.NewBundle(pb); err != nil {
		return nil, err
	}
	return protojson.Marshal(pb)
}

// fixedCertificate hands out one certificate, the keyless signer's.
type fixedCertificate []byte

func (c fixedCertificate) GetCertificate(context.Context, sign.Keypair, *sign.CertificateProviderOptions) ([]byte, error) {
	return c, nil
}

// Artifact is an OCI 1.1 artifact manifest with a subject, and its blobs.
type Artifact struct {
	raw   []byte
	blobs []v1.Layer
}

// BundleArtifact attaches a bundle to subject as cosign 3 does: an
// artifact of type application/vnd.dev.sigstore.bundle.v0.3+json with the
// empty config, the bundle its one layer, annotated with its content.
func BundleArtifact(bundleJSON []byte, subject v1.Descriptor, predicateType string) (*Artifact, error) {
	const bundleType = "application/vnd.dev.sigstore.bundle.v0.3+json"
	cfg := static.NewLayer([]byte("{}"), "application/vnd.oci.empty.v1+json")
	layer := static.NewLayer(bundleJSON, bundleType)
	cd, err := descriptor(cfg)
	if err != nil {
		return nil, err
	}
	ld, err := descriptor(layer)
	if err != nil {
		return nil, err
	}
	subject.Platform, subject.Annotations = nil, nil
	raw, err := json.Marshal(map[string]any{
		"schemaVersion": 2,
		"mediaType":     types.OCIManifestSchema1,
		"artifactType":  bundleType,
		"config":        cd,
		"layers":        []v1.Descriptor{ld},
		"subject":       subject,
		"annotations": map[string]string{
			"dev.sigstore.bundle.content":       "dsse-envelope",
			"dev.sigstore.bundle.predicateType": predicateType,
		},
	})
	if err != nil {
		return nil, err
	}
	return &Artifact{raw: raw, blobs: []v1.Layer{cfg, layer}}, nil
}

func descriptor(l v1.Layer) (v1.Descriptor, error) {
	d, err := l.Digest()
	if err != nil {
		return v1.Descriptor{}, err
	}
	size, err := l.Size()
	if err != nil {
		return v1.Descriptor{}, err
	}
	mt, err := l.MediaType()
	if err != nil {
		return v1.Descriptor{}, err
	}
	return v1.Descriptor{MediaType: mt, Digest: d, Size: size}, nil
}

// RawManifest is the artifact's manifest.
func (a *Artifact) RawManifest() ([]byte, error) { return a.raw, nil }

// MediaType is an OCI image manifest's.
func (a *Artifact) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }

// Digest is the digest of the artifact's manifest.
func (a *Artifact) Digest() (v1.Hash, error) {
	h, _, err := v1.SHA256(bytesReader(a.raw))
	return h, err
}

// Push writes the artifact's blobs and manifest to repo, by digest. On a
// registry without the referrers API, go-containerregistry adds it to the
// subject's referrers tag (sha256-<hex>).
func (a *Artifact) Push(repo name.Repository, opts ...remote.Option) error {
	for _, b := range a.blobs {
		if err := remote.WriteLayer(repo, b, opts...); err != nil {
			return fmt.Errorf("pushing a blob of the artifact: %w", err)
		}
	}
	d, err := a.Digest()
	if err != nil {
		return err
	}
	return remote.Put(repo.Digest(d.String()), a, opts...)
}

// Descriptor describes a manifest, for a subject.
func Descriptor(m interface {
	RawManifest() ([]byte, error)
	MediaType() (types.MediaType, error)
}) (v1.Descriptor, error) {
	raw, err := m.RawManifest()
	if err != nil {
		return v1.Descriptor{}, err
	}
	mt, err := m.MediaType()
	if err != nil {
		return v1.Descriptor{}, err
	}
	h, size, err := v1.SHA256(bytesReader(raw))
	if err != nil {
		return v1.Descriptor{}, err
	}
	return v1.Descriptor{MediaType: mt, Digest: h, Size: size}, nil
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// WriteLayout writes the artifact's blobs and manifest into an OCI
// layout, listed in its index.json, as oras and cosign save referrers.
func (a *Artifact) WriteLayout(p layout.Path) error {
	for _, b := range a.blobs {
		if err := p.WriteBlob(mustDigest(b), mustCompressed(b)); err != nil {
			return fmt.Errorf("writing a blob of the artifact: %w", err)
		}
	}
	d, err := Descriptor(a)
	if err != nil {
		return err
	}
	if err := p.WriteBlob(d.Digest, io.NopCloser(bytes.NewReader(a.raw))); err != nil {
		return err
	}
	d.ArtifactType = "application/vnd.dev.sigstore.bundle.v0.3+json"
	return p.AppendDescriptor(d)
}

func mustDigest(l v1.Layer) v1.Hash {
	d, _ := l.Digest() // static layers know theirs
	return d
}

func mustCompressed(l v1.Layer) io.ReadCloser {
	rc, _ := l.Compressed() // static layers do not fail
	return rc
}
