package index

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/source/internal/metadata"
)

// Referrer is an artifact attached to an image: a signature, an SBOM, an
// attestation, found through the OCI 1.1 referrers API (or its tag
// schema) or through cosign's tags.
type Referrer struct {
	// Manifest describes the referrer's manifest.
	Manifest v1.Descriptor
	// ArtifactType is the manifest's artifactType, else its config's
	// media type when that is no image config, else its first layer's.
	ArtifactType string
	// Kind is what the referrer is: "signature", "attestation", "sbom",
	// "sigstore-bundle" (a bundle whose content is not said) or "other".
	Kind string
	// PredicateType is an attestation's in-toto predicate type, when the
	// manifest says it.
	PredicateType string
	// Found says how: "referrers" (the API or its tag schema, or a
	// layout's manifests with a subject) or "tag" (cosign's tag scheme).
	Found string
	// Tag is the cosign tag it was found by (sha256-<hex>.sig).
	Tag string
	// Subject is the digest of the manifest it refers to.
	Subject v1.Hash
	// Size is its manifest's, config's and blobs' bytes together.
	Size int64
	// Layers are its blobs: signature payloads, bundles, SBOMs.
	Layers []v1.Descriptor
	// Annotations are the manifest's.
	Annotations map[string]string
}

// Media and artifact types of signatures and attestations.
const (
	// MediaTypeSigstoreBundle prefixes the media types of Sigstore
	// bundles (application/vnd.dev.sigstore.bundle.v0.3+json, or
	// application/vnd.dev.sigstore.bundle+json;version=0.2).
	MediaTypeSigstoreBundle = "application/vnd.dev.sigstore.bundle"
	// MediaTypeSimpleSigning is a cosign signature's payload.
	MediaTypeSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
	// MediaTypeDSSE is a DSSE envelope (cosign's attestations).
	MediaTypeDSSE = "application/vnd.dsse.envelope.v1+json"
	// MediaTypeNotarySignature is a Notary Project (notation) signature.
	MediaTypeNotarySignature = "application/vnd.cncf.notary.signature"
	// AnnotationBundleContent and AnnotationBundlePredicateType are what
	// cosign puts on a bundle's manifest.
	AnnotationBundleContent       = "dev.sigstore.bundle.content"
	AnnotationBundlePredicateType = "dev.sigstore.bundle.predicateType"
	// CosignSignaturePredicate is the predicate type of cosign's image
	// signatures in a bundle.
	CosignSignaturePredicate = "https://sigstore.dev/cosign/sign/v1"
)

// cosignSuffixes are cosign's tags, after sha256-<hex>, and the kind each
// holds.
var cosignSuffixes = []struct{ suffix, kind string }{
	{".sig", "signature"}, {".att", "attestation"}, {".sbom", "sbom"},
}

// cosignTag matches cosign's tags and the referrers tag schema's.
var cosignTag = regexp.MustCompile(`^sha256-[0-9a-f]{64}(\.sig|\.att|\.sbom)?$`)

// isCosignTag says whether an OCI layout's ref.name (a tag, or
// repository:tag) is cosign's tag or the referrers tag schema's.
func isCosignTag(refName string) bool {
	if i := strings.LastIndex(refName, ":"); i >= 0 {
		refName = refName[i+1:]
	}
	return cosignTag.MatchString(refName)
}

// TagSchema is the tag of the referrers tag schema for a digest:
// sha256-<hex>.
func TagSchema(d v1.Hash) string { return d.Algorithm + "-" + d.Hex }

// ListReferrers lists what refers to the manifest of digest subject:
// through the store's referrers (the OCI 1.1 API, else its tag schema)
// and cosign's tags. It reads their manifests, not their blobs.
func ListReferrers(ctx context.Context, store ReferrerStore, subject v1.Hash) ([]Referrer, error) {
	descs, err := store.Referrers(ctx, subject)
	if err != nil {
		return nil, fmt.Errorf("listing the referrers of %s: %w", subject, err)
	}
	if len(descs) > MaxReferrers {
		return nil, fmt.Errorf("%s has more than %d referrers (strata lists no more)", subject, MaxReferrers)
	}
	b := newBudget("the manifests of its referrers")
	var out []Referrer
	seen := map[v1.Hash]bool{}
	for _, d := range descs {
		if seen[d.Digest] || !d.MediaType.IsImage() && d.MediaType != "" {
			continue
		}
		seen[d.Digest] = true
		if err := b.take(d); err != nil {
			return nil, err
		}
		raw, err := store.Fetch(ctx, d, metadata.MaxManifest)
		if err != nil {
			return nil, fmt.Errorf("reading referrer %s: %w", d.Digest, err)
		}
		r, err := newReferrer(d, raw, subject)
		if err != nil {
			return nil, err
		}
		r.Found = "referrers"
		out = append(out, r)
	}
	for _, c := range cosignSuffixes {
		tag := TagSchema(subject) + c.suffix
		d, raw, ok, err := store.Tagged(ctx, tag)
		if err != nil {
			return nil, fmt.Errorf("reading the tag %s: %w", tag, err)
		}
		if !ok || seen[d.Digest] {
			continue
		}
		seen[d.Digest] = true
		r, err := newReferrer(d, raw, subject)
		if err != nil {
			return nil, err
		}
		r.Found, r.Tag, r.Kind = "tag", tag, c.kind
		out = append(out, r)
	}
	return out, nil
}

// newReferrer reads a referrer's manifest.
func newReferrer(d v1.Descriptor, raw []byte, subject v1.Hash) (Referrer, error) {
	mf, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return Referrer{}, fmt.Errorf("parsing referrer %s: %w", d.Digest, err)
	}
	d.Size = int64(len(raw))
	r := Referrer{Manifest: d, Subject: subject, Layers: mf.Layers, Annotations: mf.Annotations, Size: d.Size + max(mf.Config.Size, 0)}
	if mf.MediaType != "" && r.Manifest.MediaType == "" {
		r.Manifest.MediaType = mf.MediaType
	}
	for _, l := range mf.Layers {
		r.Size += max(l.Size, 0)
	}
	switch {
	case mf.ArtifactType != "":
		r.ArtifactType = mf.ArtifactType
	case d.ArtifactType != "" && !isImageConfig(types.MediaType(d.ArtifactType)):
		r.ArtifactType = d.ArtifactType
	case !isImageConfig(mf.Config.MediaType) && mf.Config.MediaType != "application/vnd.oci.empty.v1+json":
		r.ArtifactType = string(mf.Config.MediaType)
	case len(mf.Layers) > 0:
		r.ArtifactType = string(mf.Layers[0].MediaType)
	}
	r.Kind, r.PredicateType = classify(r.ArtifactType, mf)
	return r, nil
}

// classify says what a referrer is from its artifact type and manifest.
func classify(artifactType string, mf *v1.Manifest) (kind, predicateType string) {
	at := strings.ToLower(artifactType)
	layerType := func(mt string) bool {
		for _, l := range mf.Layers {
			if string(l.MediaType) == mt {
				return true
			}
		}
		return false
	}
	switch {
	case strings.HasPrefix(at, MediaTypeSigstoreBundle):
		pt := mf.Annotations[AnnotationBundlePredicateType]
		switch {
		case pt == CosignSignaturePredicate, mf.Annotations[AnnotationBundleContent] == "message-signature":
			return "signature", pt
		case pt != "":
			return "attestation", pt
		}
		return "sigstore-bundle", ""
	case at == MediaTypeNotarySignature, layerType(MediaTypeSimpleSigning):
		return "signature", ""
	case at == MediaTypeDSSE, strings.Contains(at, "in-toto"), layerType(MediaTypeDSSE):
		pt := ""
		for _, l := range mf.Layers {
			if p := l.Annotations["predicateType"]; p != "" {
				pt = p
				break
			}
		}
		return "attestation", pt
	case strings.Contains(at, "spdx"), strings.Contains(at, "cyclonedx"), strings.Contains(at, "sbom"), strings.Contains(at, "syft"):
		return "sbom", ""
	}
	return "other", ""
}

// IsSignatureLayer says whether a referrer's blob is a signature strata
// can read: cosign's simple-signing payload or a Sigstore bundle.
func IsSignatureLayer(l v1.Descriptor) bool {
	return l.MediaType == MediaTypeSimpleSigning || strings.HasPrefix(string(l.MediaType), MediaTypeSigstoreBundle)
}
