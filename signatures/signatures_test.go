package signatures_test

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/signtest"
	"github.com/strata-dev/strata/signatures"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/registry"
)

// serve runs an in-process registry, with or without the OCI 1.1
// referrers API, and returns its host:port.
func serve(t *testing.T, referrersAPI bool) string {
	t.Helper()
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)), ggcrregistry.WithReferrersSupport(referrersAPI)))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// signed is an image pushed with what signs and attests it.
type signed struct {
	ref    string
	digest v1.Hash
	signer *signtest.Signer
}

// pushImage pushes an image to ref: one of its own, by ref.
func pushImage(t *testing.T, ref string) v1.Hash {
	t.Helper()
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64"}, 2, 0, 1000, imagetest.WithOCIMediaTypes(),
		imagetest.WithConfig(v1.Config{Labels: map[string]string{"ref": ref}}))
	if err != nil {
		t.Fatal(err)
	}
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, imgs[0]); err != nil {
		t.Fatal(err)
	}
	d, _ := imgs[0].Digest()
	return d
}

func newSigner(t *testing.T) *signtest.Signer {
	t.Helper()
	s, err := signtest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func key(t *testing.T, s *signtest.Signer, name string) *signatures.Key {
	t.Helper()
	k, err := signatures.LoadKey(name, s.PublicKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// pushSig pushes cosign's .sig image for digest, with the first payload
// replaced by tamper when it is not nil.
func pushSig(t *testing.T, repo name.Repository, s *signtest.Signer, digest v1.Hash, tamper []byte) {
	t.Helper()
	img, err := s.SignatureImage([][]byte{signtest.SimpleSigningPayload(repo.Name(), digest)}, tamper)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(repo.Tag(index.TagSchema(digest)+".sig"), img); err != nil {
		t.Fatal(err)
	}
}

func pushBundle(t *testing.T, repo name.Repository, s *signtest.Signer, subject v1.Descriptor, signs v1.Hash) {
	t.Helper()
	b, err := s.SignatureBundle(signs)
	if err != nil {
		t.Fatal(err)
	}
	a, err := signtest.BundleArtifact(b, subject, index.CosignSignaturePredicate)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Push(repo); err != nil {
		t.Fatal(err)
	}
}

// found lists and reads the signatures of ref's image.
func found(t *testing.T, ref string, digest v1.Hash) ([]index.Referrer, []signatures.Signature) {
	t.Helper()
	docs, err := registry.OpenDocuments(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	defer docs.Close()
	refs, err := index.ListReferrers(context.Background(), docs, digest)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := signatures.Read(context.Background(), docs, refs)
	if err != nil {
		t.Fatal(err)
	}
	return refs, sigs
}

func subjectOf(t *testing.T, ref string) v1.Descriptor {
	t.Helper()
	r, _ := name.ParseReference(ref)
	d, err := remote.Head(r)
	if err != nil {
		t.Fatal(err)
	}
	return *d
}

// TestSimpleSigning: cosign's .sig tag is found, verifies with the key
// that made it, not with another, and not once its payload is changed.
func TestSimpleSigning(t *testing.T) {
	host := serve(t, false)
	good, other := newSigner(t), newSigner(t)
	for _, tt := range []struct {
		name   string
		tamper bool
		key    *signtest.Signer
		want   string
	}{
		{"good key", false, good, signatures.StatusVerified},
		{"wrong key", false, other, signatures.StatusNotVerified},
		{"tampered payload", true, good, signatures.StatusNotVerified},
		{"no key", false, nil, signatures.StatusUnchecked},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ref := host + "/strata/signed:" + strings.ReplaceAll(tt.name, " ", "-")
			digest := pushImage(t, ref)
			repo, _ := name.NewRepository(host + "/strata/signed")
			var tamper []byte
			if tt.tamper {
				tamper = signtest.SimpleSigningPayload(repo.Name(), v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("e", 64)})
			}
			pushSig(t, repo, good, digest, tamper)
			refs, sigs := found(t, ref, digest)
			if len(refs) != 1 || refs[0].Found != "tag" || refs[0].Kind != "signature" || refs[0].Tag != index.TagSchema(digest)+".sig" {
				t.Fatalf("referrers %+v, want the .sig tag", refs)
			}
			if len(sigs) != 1 || sigs[0].Format != signatures.FormatSimpleSigning || sigs[0].Keyless {
				t.Fatalf("signatures %+v", sigs)
			}
			var k *signatures.Key
			if tt.key != nil {
				k = key(t, tt.key, "cosign.pub")
			}
			res := signatures.Verify(sigs, k, []v1.Hash{digest})
			if got := res.Checks[0].Status; got != tt.want {
				t.Errorf("status %s (%s), want %s", got, res.Checks[0].Detail, tt.want)
			}
			if res.OK() != (tt.want == signatures.StatusVerified) {
				t.Errorf("OK() = %v with status %s", res.OK(), res.Checks[0].Status)
			}
			t.Logf("%s", res.Line())
			if tt.key != nil && res.OK() != strings.HasPrefix(res.Line(), "verified with cosign.pub") {
				t.Errorf("line %q", res.Line())
			}
		})
	}
}

// TestBundleReferrer: a Sigstore bundle attached as an OCI 1.1 referrer
// is found through the referrers API and, on a registry without it,
// through the referrers tag schema; a bundle that signs another image
// verifies but is not this image's.
func TestBundleReferrer(t *testing.T) {
	for _, api := range []bool{true, false} {
		t.Run(map[bool]string{true: "referrers API", false: "tag schema"}[api], func(t *testing.T) {
			host := serve(t, api)
			ref := host + "/strata/bundled:v1"
			digest := pushImage(t, ref)
			repo, _ := name.NewRepository(host + "/strata/bundled")
			s := newSigner(t)
			subject := subjectOf(t, ref)
			pushBundle(t, repo, s, subject, digest)
			refs, sigs := found(t, ref, digest)
			if len(refs) != 1 || refs[0].Found != "referrers" || refs[0].Kind != "signature" ||
				refs[0].ArtifactType != "application/vnd.dev.sigstore.bundle.v0.3+json" || refs[0].Size <= 0 {
				t.Fatalf("referrers %+v", refs)
			}
			if len(sigs) != 1 || sigs[0].Format != signatures.FormatBundle || sigs[0].Signed != digest {
				t.Fatalf("signatures %+v", sigs)
			}
			if res := signatures.Verify(sigs, key(t, s, "cosign.pub"), []v1.Hash{digest}); !res.OK() {
				t.Errorf("the signer's key: %s", res.Line())
			}
			if res := signatures.Verify(sigs, key(t, newSigner(t), "other.pub"), []v1.Hash{digest}); res.OK() || res.Checks[0].Status != signatures.StatusNotVerified {
				t.Errorf("another key: %s", res.Line())
			}
			if res := signatures.Verify(sigs, key(t, s, "cosign.pub"), []v1.Hash{{Algorithm: "sha256", Hex: strings.Repeat("0", 64)}}); res.OK() ||
				res.Checks[0].Status != signatures.StatusOtherImage {
				t.Errorf("checked for another image: %+v", res.Checks)
			}
		})
	}
}

// TestKeyless: a keyless signature names its signer and issuer, matches
// its certificate offline, and says what it left for the network.
func TestKeyless(t *testing.T) {
	host := serve(t, true)
	ref := host + "/strata/keyless:v1"
	digest := pushImage(t, ref)
	repo, _ := name.NewRepository(host + "/strata/keyless")
	s, err := signtest.NewKeylessSigner("dev@example.com", "https://accounts.example.com")
	if err != nil {
		t.Fatal(err)
	}
	pushSig(t, repo, s, digest, nil)
	pushBundle(t, repo, s, subjectOf(t, ref), digest)
	refs, sigs := found(t, ref, digest)
	if len(refs) != 2 || len(sigs) != 2 {
		t.Fatalf("%d referrers, %d signatures: %+v", len(refs), len(sigs), refs)
	}
	formats := []string{sigs[0].Format, sigs[1].Format}
	slices.Sort(formats)
	if !slices.Equal(formats, []string{signatures.FormatBundle, signatures.FormatSimpleSigning}) {
		t.Errorf("formats %v", formats)
	}
	res := signatures.Verify(sigs, nil, []v1.Hash{digest})
	for i, s := range sigs {
		if !s.Keyless || s.Identity != "dev@example.com" || s.Issuer != "https://accounts.example.com" {
			t.Errorf("signature %d: %+v", i, s)
		}
		if res.Checks[i].Status != signatures.StatusKeylessOffline {
			t.Errorf("signature %d: %+v", i, res.Checks[i])
		}
	}
	if len(res.NotChecked) == 0 || !strings.Contains(res.Line(), "not checked offline: Fulcio certificate chains") ||
		!strings.Contains(res.Line(), "2 keyless signatures by dev@example.com") {
		t.Errorf("line %q, not checked %q", res.Line(), res.NotChecked)
	}
	// A key given does not apply to keyless signatures: nothing is
	// verified with it.
	if res := signatures.Verify(sigs, key(t, newSigner(t), "cosign.pub"), []v1.Hash{digest}); res.OK() {
		t.Errorf("a key verified a keyless signature: %s", res.Line())
	}

	// Its payload changed, a keyless signature no longer matches its
	// certificate.
	ref2 := host + "/strata/keyless:tampered"
	digest2 := pushImage(t, ref2)
	pushSig(t, repo, s, digest2, signtest.SimpleSigningPayload(repo.Name(), digest))
	_, sigs = found(t, ref2, digest2)
	if res := signatures.Verify(sigs, nil, []v1.Hash{digest2}); len(sigs) != 1 || res.Checks[0].Status != signatures.StatusKeylessInvalid {
		t.Errorf("a tampered keyless signature: %+v", res.Checks)
	}
}

// TestAttestationsAreNotSignatures: cosign's .att and .sbom tags and an
// attestation bundle are listed as what they are, and Read keeps no
// signature of them.
func TestAttestationsAreNotSignatures(t *testing.T) {
	host := serve(t, true)
	ref := host + "/strata/attested:v1"
	digest := pushImage(t, ref)
	repo, _ := name.NewRepository(host + "/strata/attested")
	s := newSigner(t)
	att, err := s.AttestationImage(digest, "https://slsa.dev/provenance/v1", map[string]any{"buildDefinition": map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(repo.Tag(index.TagSchema(digest)+".att"), att); err != nil {
		t.Fatal(err)
	}
	b, err := s.SignatureBundle(digest)
	if err != nil {
		t.Fatal(err)
	}
	a, err := signtest.BundleArtifact(b, subjectOf(t, ref), "https://spdx.dev/Document")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Push(repo); err != nil {
		t.Fatal(err)
	}
	refs, sigs := found(t, ref, digest)
	kinds := map[string]string{}
	for _, r := range refs {
		kinds[r.Found] = r.Kind + " " + r.PredicateType
	}
	if kinds["tag"] != "attestation https://slsa.dev/provenance/v1" || kinds["referrers"] != "attestation https://spdx.dev/Document" {
		t.Errorf("referrers %v", kinds)
	}
	if len(sigs) != 0 {
		t.Errorf("attestations read as signatures: %+v", sigs)
	}
	if res := signatures.Verify(sigs, key(t, s, "cosign.pub"), []v1.Hash{digest}); res.OK() || res.Line() != "none found, so none verified with cosign.pub" {
		t.Errorf("line %q", res.Line())
	}
}

func TestLoadKey(t *testing.T) {
	if _, err := signatures.LoadKey("cosign.pub", []byte("not a key")); err == nil || !strings.Contains(err.Error(), "reading the public key cosign.pub") {
		t.Errorf("a file that is no key: %v", err)
	}
	k := key(t, newSigner(t), "cosign.pub")
	if !strings.HasPrefix(k.Fingerprint, "sha256:") || len(k.Fingerprint) != 71 {
		t.Errorf("fingerprint %q", k.Fingerprint)
	}
}
