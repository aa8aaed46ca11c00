package signatures

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
)

// Key is a public key signatures are verified with (cosign.pub).
type Key struct {
	// Name says where the key came from (a file's name), for messages.
	Name string
	// Fingerprint is sha256: and the hex of the SHA-256 of the key's DER.
	Fingerprint string
	pub         crypto.PublicKey
	verifier    signature.Verifier
}

// LoadKey reads a PEM public key (cosign's cosign.pub: ECDSA, RSA or
// Ed25519), named name in messages.
func LoadKey(name string, pemBytes []byte) (*Key, error) {
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("reading the public key %s: %w", name, err)
	}
	v, err := signature.LoadDefaultVerifier(pub)
	if err != nil {
		return nil, fmt.Errorf("reading the public key %s: %w", name, err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("reading the public key %s: %w", name, err)
	}
	sum := sha256.Sum256(der)
	return &Key{Name: name, Fingerprint: "sha256:" + hex.EncodeToString(sum[:]), pub: pub, verifier: v}, nil
}

// Statuses of a checked signature.
const (
	// StatusVerified: the key given verifies the signature, and it signs
	// the image.
	StatusVerified = "verified"
	// StatusOtherImage: the key verifies the signature, but it signs
	// another manifest.
	StatusOtherImage = "signs-another-image"
	// StatusNotVerified: the key given does not verify it (another key
	// made it, or its payload was changed).
	StatusNotVerified = "not-verified"
	// StatusUnchecked: a key-based signature and no key was given.
	StatusUnchecked = "unchecked"
	// StatusKeylessOffline: a keyless signature that matches its own
	// certificate's key and signs the image; the certificate's chain to
	// Fulcio and the Rekor entry were not checked.
	StatusKeylessOffline = "keyless-matches-certificate"
	// StatusKeylessInvalid: a keyless signature that does not match its
	// certificate, or signs another manifest.
	StatusKeylessInvalid = "keyless-invalid"
	// StatusUnsupported: a Notary Project signature, or one that could
	// not be read.
	StatusUnsupported = "unsupported"
)

// Check is the outcome of one signature.
type Check struct {
	Status string `json:"status"`
	// Detail says why, in one line.
	Detail string `json:"detail"`
}

// Result is what verifying an image's signatures found.
type Result struct {
	// Key is the fingerprint of the key given, empty when none was.
	Key string `json:"key,omitempty"`
	// KeyName is where the key came from.
	KeyName string `json:"keyName,omitempty"`
	// Signatures are the signatures found, and Checks their outcomes in
	// the same order.
	Signatures []Signature `json:"signatures"`
	Checks     []Check     `json:"checks"`
	// Verified is how many signatures the key verifies for the image.
	Verified int `json:"verified"`
	// NotChecked says what was not checked because it needs the network.
	NotChecked []string `json:"notChecked,omitempty"`
}

// NotChecked reasons.
const (
	notCheckedRekor   = "the Rekor transparency-log entries (their inclusion proofs and signed timestamps need the keys of Sigstore's trusted root, fetched over the network)"
	notCheckedFulcio  = "the keyless certificates' chains to Fulcio and their SCTs (they need Sigstore's trusted root, fetched over the network)"
	notCheckedTSA     = "the RFC 3161 timestamps (they need the timestamp authority's certificate)"
	notCheckedNotary  = "Notary Project signatures (strata does not verify them)"
	simpleSigningType = "cosign container image signature"
)

// Verified says whether the key given verifies at least one signature
// of the image.
func (r *Result) OK() bool { return r.Key != "" && r.Verified > 0 }

// Verify checks each signature offline: with key when it is not nil, and
// keyless ones against their certificates. subjects are the digests the
// image is known by (its manifest's, and its index's when it was picked
// from one): a signature must sign one of them.
func Verify(sigs []Signature, key *Key, subjects []v1.Hash) *Result {
	r := &Result{Signatures: sigs, Checks: make([]Check, len(sigs))}
	if key != nil {
		r.Key, r.KeyName = key.Fingerprint, key.Name
	}
	notChecked := map[string]bool{}
	for i := range sigs {
		s := &sigs[i]
		r.Checks[i] = check(s, key, subjects)
		if r.Checks[i].Status == StatusVerified {
			r.Verified++
		}
		switch {
		case s.Format == FormatNotation:
			notChecked[notCheckedNotary] = true
		case s.Keyless:
			notChecked[notCheckedFulcio] = true
		}
		if s.TransparencyLog {
			notChecked[notCheckedRekor] = true
		}
		if s.Timestamped {
			notChecked[notCheckedTSA] = true
		}
	}
	for _, n := range []string{notCheckedRekor, notCheckedFulcio, notCheckedTSA, notCheckedNotary} {
		if notChecked[n] {
			r.NotChecked = append(r.NotChecked, n)
		}
	}
	return r
}

// check checks one signature.
func check(s *Signature, key *Key, subjects []v1.Hash) Check {
	switch {
	case s.Problem != "":
		return Check{StatusUnsupported, "it could not be read: " + s.Problem}
	case s.Format == FormatNotation:
		return Check{StatusUnsupported, "a Notary Project signature: strata does not verify these"}
	case s.Keyless:
		return checkKeyless(s, subjects)
	case key == nil:
		return Check{StatusUnchecked, "signed with a key: give --verify-key to check it"}
	}
	var err error
	if s.Format == FormatSimpleSigning {
		err = verifySimpleSigning(s, key)
	} else {
		err = verifyBundle(s.bundle, key, s.Signed)
	}
	if err != nil {
		return Check{StatusNotVerified, fmt.Sprintf("%s does not verify it (another key made it, or what it signs was changed): %s", key.Name, cause(err))}
	}
	if !slices.Contains(subjects, s.Signed) {
		return Check{StatusOtherImage, fmt.Sprintf("%s verifies it, but it signs %s, not this image", key.Name, describeSigned(s.Signed))}
	}
	return Check{StatusVerified, fmt.Sprintf("%s verifies it, and it signs %s", key.Name, s.Signed)}
}

func describeSigned(h v1.Hash) string {
	if h.Hex == "" {
		return "no manifest it names"
	}
	return h.String()
}

// verifySimpleSigning verifies cosign's payload and signature with
// sigstore-go, as a bundle of a message signature over the payload.
func verifySimpleSigning(s *Signature, key *Key) error {
	var p simpleSigning
	if err := json.Unmarshal(s.payload, &p); err != nil {
		return err
	}
	if p.Critical.Type != "" && !strings.EqualFold(p.Critical.Type, simpleSigningType) && !strings.HasPrefix(p.Critical.Type, "https://sigstore.dev/cosign/sign/") {
		return fmt.Errorf("its payload is of type %q, not a container image signature", p.Critical.Type)
	}
	b, err := messageBundle(s.payload, s.sig, &protobundle.VerificationMaterial{
		Content: &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: key.Fingerprint}},
	}, key.pub)
	if err != nil {
		return err
	}
	v, err := keyVerifier(key)
	if err != nil {
		return err
	}
	_, err = v.Verify(b, verify.NewPolicy(verify.WithArtifact(bytes.NewReader(s.payload)), verify.WithKey()))
	return err
}

// verifyBundle verifies a Sigstore bundle signed with a key: its
// signature, and that it signs the digest signed.
func verifyBundle(b *bundle.Bundle, key *Key, signed v1.Hash) error {
	if b == nil {
		return errors.New("the bundle could not be read")
	}
	v, err := keyVerifier(key)
	if err != nil {
		return err
	}
	digest, err := hex.DecodeString(signed.Hex)
	if err != nil || signed.Algorithm != "sha256" {
		return fmt.Errorf("it names no sha256 digest it signs")
	}
	_, err = v.Verify(b, verify.NewPolicy(verify.WithArtifactDigest("sha256", digest), verify.WithKey()))
	return err
}

// keyVerifier is a sigstore-go verifier that trusts key alone and expects
// no timestamp (a key, unlike a certificate, has no validity to check one
// against).
func keyVerifier(key *Key) (*verify.Verifier, error) {
	tm := root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) {
		return root.NewExpiringKey(key.verifier, time.Time{}, time.Time{}), nil
	})
	return verify.NewVerifier(tm, verify.WithNoObserverTimestamps())
}

// checkKeyless checks a keyless signature against its own certificate:
// what can be checked offline.
func checkKeyless(s *Signature, subjects []v1.Hash) Check {
	who := s.Identity
	if s.Issuer != "" {
		who += " (issuer " + s.Issuer + ")"
	}
	var b *bundle.Bundle
	var artifact io.Reader
	var err error
	if s.Format == FormatSimpleSigning {
		b, err = messageBundle(s.payload, s.sig, &protobundle.VerificationMaterial{
			Content: &protobundle.VerificationMaterial_Certificate{Certificate: &protocommon.X509Certificate{RawBytes: s.cert.Raw}},
		}, s.cert.PublicKey)
		artifact = bytes.NewReader(s.payload)
	} else {
		b = s.bundle
	}
	if err == nil {
		err = verifyAgainstCertificate(b, artifact, s.Signed)
	}
	if err != nil {
		return Check{StatusKeylessInvalid, fmt.Sprintf("keyless, by %s: the signature does not match its certificate: %s", who, cause(err))}
	}
	if !slices.Contains(subjects, s.Signed) {
		return Check{StatusKeylessInvalid, fmt.Sprintf("keyless, by %s: it signs %s, not this image", who, describeSigned(s.Signed))}
	}
	return Check{StatusKeylessOffline, fmt.Sprintf("keyless, by %s: the signature matches its certificate (checked offline); the certificate's chain to Fulcio was not checked", who)}
}

// verifyAgainstCertificate checks a bundle's signature with its
// certificate's key, over the artifact or, when there is none, the
// digest signed.
func verifyAgainstCertificate(b *bundle.Bundle, artifact io.Reader, signed v1.Hash) error {
	sc, err := b.SignatureContent()
	if err != nil {
		return err
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return err
	}
	if artifact != nil {
		return verify.VerifySignatureWithArtifacts(sc, vc, nil, []io.Reader{artifact})
	}
	digest, err := hex.DecodeString(signed.Hex)
	if err != nil || signed.Algorithm != "sha256" {
		return fmt.Errorf("it names no sha256 digest it signs")
	}
	return verify.VerifySignatureWithArtifactDigests(sc, vc, nil, []verify.ArtifactDigest{{Algorithm: "sha256", Digest: digest}})
}

// messageBundle makes a Sigstore bundle of a message signature over
// payload, so that sigstore-go verifies cosign's simple signing as it
// verifies its own bundles. The digest is the one pub's algorithm signs.
func messageBundle(payload, sig []byte, vm *protobundle.VerificationMaterial, pub crypto.PublicKey) (*bundle.Bundle, error) {
	alg, h := protocommon.HashAlgorithm_SHA2_256, crypto.SHA256
	if ec, ok := pub.(*ecdsa.PublicKey); ok {
		switch ec.Curve {
		case elliptic.P384():
			alg, h = protocommon.HashAlgorithm_SHA2_384, crypto.SHA384
		case elliptic.P521():
			alg, h = protocommon.HashAlgorithm_SHA2_512, crypto.SHA512
		}
	}
	hasher := h.New()
	hasher.Write(payload)
	pb := &protobundle.Bundle{
		MediaType:            "application/vnd.dev.sigstore.bundle.v0.3+json",
		VerificationMaterial: vm,
		Content: &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: alg, Digest: hasher.Sum(nil)},
			Signature:     sig,
		}},
	}
	return bundle.NewBundle(pb)
}

// cause is the innermost part of sigstore-go's error chain ("invalid
// signature when validating ASN.1 encoded signature"), which says why
// without the steps that led there.
func cause(err error) string {
	msg := oneLine(err)
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		return msg[i+2:]
	}
	return msg
}
