package signatures

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"

	"github.com/strata-dev/strata/source/index"
)

// MaxBlob bounds a signature's blob (a payload or a bundle) that Read
// reads: 4 MiB. Both are a few KiB.
const MaxBlob = 4 << 20

// Formats of a signature.
const (
	// FormatSimpleSigning is cosign's simple-signing payload with the
	// signature in the layer's annotations (cosign's .sig tag).
	FormatSimpleSigning = "simple-signing"
	// FormatBundle is a Sigstore bundle (cosign 3, OCI 1.1 referrers).
	FormatBundle = "sigstore-bundle"
	// FormatNotation is a Notary Project signature, which strata lists
	// but does not verify.
	FormatNotation = "notation"
)

// Annotations cosign puts on a simple-signing layer.
const (
	AnnotationSignature   = "dev.cosignproject.cosign/signature"
	AnnotationCertificate = "dev.sigstore.cosign/certificate"
	AnnotationChain       = "dev.sigstore.cosign/chain"
	AnnotationRekorBundle = "dev.sigstore.cosign/bundle"
	AnnotationTimestamp   = "dev.sigstore.cosign/rfc3161timestamp"
)

// Signature is one signature found on an image.
type Signature struct {
	// Referrer is the digest of the manifest it was found in.
	Referrer v1.Hash `json:"referrer"`
	// Blob is the digest of the blob that holds it (the payload or the
	// bundle).
	Blob v1.Hash `json:"blob"`
	// Format is FormatSimpleSigning, FormatBundle or FormatNotation.
	Format string `json:"format"`
	// Signed is the digest of the manifest the signature says it signs,
	// zero when it does not say.
	Signed v1.Hash `json:"signed"`
	// Keyless says the signature carries a certificate (Fulcio's) rather
	// than naming a key; Identity and Issuer are what the certificate
	// names: the signer (an email, a workflow's URI) and the OIDC issuer
	// that vouched for it.
	Keyless  bool   `json:"keyless"`
	Identity string `json:"identity,omitempty"`
	Issuer   string `json:"issuer,omitempty"`
	// TransparencyLog says it carries a Rekor entry; Timestamped an RFC
	// 3161 timestamp. Neither is checked offline.
	TransparencyLog bool `json:"transparencyLog"`
	Timestamped     bool `json:"timestamped"`
	// Problem says why the signature could not be read, when it could
	// not.
	Problem string `json:"problem,omitempty"`

	payload []byte            // simple signing: the signed bytes
	sig     []byte            // simple signing: the signature
	cert    *x509.Certificate // simple signing: the certificate, when keyless
	bundle  *bundle.Bundle
}

// Read reads the signatures among an image's referrers: the blobs of
// those that are signatures, capped at MaxBlob and checked against their
// descriptors. A Sigstore bundle whose manifest does not say what it holds
// is read, and kept only when it is a signature. A signature that cannot
// be parsed is kept, with its Problem.
func Read(ctx context.Context, store index.Store, refs []index.Referrer) ([]Signature, error) {
	var out []Signature
	for _, r := range refs {
		if r.Kind != "signature" && r.Kind != "sigstore-bundle" {
			continue
		}
		if r.ArtifactType == index.MediaTypeNotarySignature {
			out = append(out, Signature{Referrer: r.Manifest.Digest, Format: FormatNotation, Signed: r.Subject})
			continue
		}
		for _, l := range r.Layers {
			if !index.IsSignatureLayer(l) {
				continue
			}
			if l.Size > MaxBlob {
				out = append(out, Signature{Referrer: r.Manifest.Digest, Blob: l.Digest, Problem: fmt.Sprintf("its blob is %d bytes, over the %d cap", l.Size, MaxBlob)})
				continue
			}
			raw, err := store.Fetch(ctx, l, MaxBlob)
			if err != nil {
				return nil, fmt.Errorf("reading signature %s: %w", l.Digest, err)
			}
			s := Signature{Referrer: r.Manifest.Digest, Blob: l.Digest}
			if l.MediaType == index.MediaTypeSimpleSigning {
				s.readSimpleSigning(raw, l.Annotations)
			} else {
				s.readBundle(raw)
				if r.Kind == "sigstore-bundle" && !s.isSignature() {
					continue // an attestation
				}
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// simpleSigning is the part of cosign's payload that names what is signed.
type simpleSigning struct {
	Critical struct {
		Image struct {
			Digest string `json:"docker-manifest-digest"`
		} `json:"image"`
		Type string `json:"type"`
	} `json:"critical"`
}

func (s *Signature) readSimpleSigning(payload []byte, ann map[string]string) {
	s.Format, s.payload = FormatSimpleSigning, payload
	var p simpleSigning
	if err := json.Unmarshal(payload, &p); err != nil {
		s.Problem = "its payload is not JSON: " + err.Error()
		return
	}
	if h, err := v1.NewHash(p.Critical.Image.Digest); err == nil {
		s.Signed = h
	}
	sig, err := base64.StdEncoding.DecodeString(ann[AnnotationSignature])
	if err != nil || len(sig) == 0 {
		s.Problem = "it carries no base64 signature in " + AnnotationSignature
		return
	}
	s.sig = sig
	s.TransparencyLog = ann[AnnotationRekorBundle] != ""
	s.Timestamped = ann[AnnotationTimestamp] != ""
	if c := ann[AnnotationCertificate]; c != "" {
		s.Keyless = true
		block, _ := pem.Decode([]byte(c))
		if block == nil {
			s.Problem = "its certificate is not PEM"
			return
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			s.Problem = "parsing its certificate: " + err.Error()
			return
		}
		s.cert = cert
		s.identify(cert)
	}
}

func (s *Signature) readBundle(raw []byte) {
	s.Format = FormatBundle
	var b bundle.Bundle
	if err := b.UnmarshalJSON(raw); err != nil {
		s.Problem = "parsing the bundle: " + oneLine(err)
		return
	}
	s.bundle = &b
	entries, _ := b.TlogEntries()
	s.TransparencyLog = len(entries) > 0
	ts, _ := b.Timestamps()
	s.Timestamped = len(ts) > 0
	if vc, err := b.VerificationContent(); err == nil && vc.Certificate() != nil {
		s.Keyless = true
		s.identify(vc.Certificate())
	}
	sc, err := b.SignatureContent()
	if err != nil {
		s.Problem = "reading the bundle's signature: " + oneLine(err)
		return
	}
	if env := sc.EnvelopeContent(); env != nil {
		st, err := env.Statement()
		if err != nil {
			s.Problem = "reading the bundle's statement: " + oneLine(err)
			return
		}
		for _, sub := range st.GetSubject() {
			if h, ok := sub.GetDigest()["sha256"]; ok {
				s.Signed = v1.Hash{Algorithm: "sha256", Hex: h}
				break
			}
		}
	} else if m := sc.MessageSignatureContent(); m != nil && strings.EqualFold(m.DigestAlgorithm(), "SHA2_256") {
		s.Signed = v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(m.Digest())}
	}
}

// isSignature says whether a bundle is an image signature: a message
// signature, or a statement of cosign's signature predicate.
func (s *Signature) isSignature() bool {
	if s.bundle == nil {
		return true // unreadable: shown, with its problem
	}
	sc, err := s.bundle.SignatureContent()
	if err != nil {
		return true
	}
	env := sc.EnvelopeContent()
	if env == nil {
		return true
	}
	st, err := env.Statement()
	return err != nil || st.GetPredicateType() == index.CosignSignaturePredicate
}

// identify takes the signer's identity and issuer from a certificate.
func (s *Signature) identify(cert *x509.Certificate) {
	sum, err := certificate.SummarizeCertificate(cert)
	if err != nil {
		s.Identity = firstSAN(cert)
		return
	}
	s.Identity, s.Issuer = sum.SubjectAlternativeName, sum.Extensions.Issuer
}

func firstSAN(cert *x509.Certificate) string {
	switch {
	case len(cert.URIs) > 0:
		return cert.URIs[0].String()
	case len(cert.EmailAddresses) > 0:
		return cert.EmailAddresses[0]
	}
	return ""
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
