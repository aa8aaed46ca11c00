package index

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Index is what an image reference names, read down to its manifests and
// configs: every platform, and the attestations that describe them.
type Index struct {
	// Root describes what the reference names: an index, or a lone image
	// manifest (then Platforms holds that one image).
	Root v1.Descriptor
	// Platforms are the runnable images, in the order the index lists
	// them.
	Platforms []Platform
	// Attestations are the build attestation manifests (buildx's
	// vnd.docker.reference.type: attestation-manifest), each with the
	// platform it describes.
	Attestations []Attestation
	// Artifacts are the other manifests the index lists that are no
	// runnable image (cosign signatures kept in a layout, artifacts with
	// an artifactType or a subject, platform unknown/unknown).
	Artifacts []v1.Descriptor
}

// Platform is one runnable image of an index.
type Platform struct {
	// Platform is the image's platform: the index's descriptor's, else
	// its config's.
	Platform v1.Platform
	// Manifest is the descriptor the index lists the image by.
	Manifest v1.Descriptor
	// Annotations are the image manifest's own annotations
	// (org.opencontainers.image.base.name, ...).
	Annotations map[string]string
	// Config is the descriptor of the image's config.
	Config v1.Descriptor
	// Labels are the config's labels.
	Labels map[string]string
	// Layers are the image's layers in order. A summary of the Docker
	// daemon's lists none (LayerCount is then -1).
	Layers []Layer
	// LayerCount is how many layers the image has, -1 when not known.
	LayerCount int
	// CompressedBytes is what its layers take to download: the sum of
	// their sizes (a blob listed twice counted once), or -1 when not known
	// (the Docker daemon's graph drivers keep no compressed layers).
	CompressedBytes int64
	// UncompressedBytes is the size of its layers' tars, or -1 when it is
	// not known (a registry's manifests and configs do not say it; see
	// [MeasureUncompressed] for local layers).
	UncompressedBytes int64
	// SharedBytes is the part of CompressedBytes in layers another
	// platform of the index uses too.
	SharedBytes int64
	// Absent, when not empty, says why the store holds no manifest or no
	// config for the platform (a platform containerd did not pull): the
	// fields read from them are empty.
	Absent string
	// Attestation is the index in [Index.Attestations] of the attestation
	// describing the image, or -1.
	Attestation int
}

// Layer is one layer of an image, as its manifest and config describe it.
type Layer struct {
	Digest    v1.Hash
	DiffID    v1.Hash
	MediaType types.MediaType
	// Size is the blob's size, compressed.
	Size int64
	// Uncompressed is the size of the layer's tar, or -1 when not known.
	Uncompressed int64
}

// DiffIDs are the diffIDs of the platform's layers, in order.
func (p Platform) DiffIDs() []v1.Hash {
	out := make([]v1.Hash, len(p.Layers))
	for i, l := range p.Layers {
		out[i] = l.DiffID
	}
	return out
}

// Attestation is a build attestation manifest: the in-toto statements a
// builder attached to one image of the index.
type Attestation struct {
	// Manifest is the descriptor the index lists the attestation by.
	Manifest v1.Descriptor
	// For is the digest of the image manifest it describes.
	For v1.Hash
	// Platform is the index in [Index.Platforms] of the image it
	// describes, or -1 when the index does not list that image.
	Platform int
	// Statements are the attestation's in-toto statements, one a layer.
	Statements []StatementRef
	// Absent, when not empty, says why the store holds no manifest for it.
	Absent string
}

// StatementRef is an in-toto statement an attestation holds, not yet
// read: [ReadStatement] reads it.
type StatementRef struct {
	// Blob is the layer descriptor of the statement.
	Blob v1.Descriptor
	// PredicateType is what the statement says (https://slsa.dev/provenance/v0.2,
	// https://spdx.dev/Document, https://cyclonedx.org/bom, ...), from the
	// layer's in-toto.io/predicate-type annotation.
	PredicateType string
}

// Kind names what a predicate type is: "provenance", "sbom-spdx",
// "sbom-cyclonedx", "vulnerabilities", "signature" or "other".
func (s StatementRef) Kind() string { return PredicateKind(s.PredicateType) }

// Annotations buildx and the OCI spec put on manifests and descriptors.
const (
	// AnnotationReferenceType is "attestation-manifest" on buildx's
	// attestation manifests.
	AnnotationReferenceType = "vnd.docker.reference.type"
	// AnnotationReferenceDigest is the digest of the image an attestation
	// manifest describes.
	AnnotationReferenceDigest = "vnd.docker.reference.digest"
	// AnnotationPredicateType is the predicate type of an in-toto layer.
	AnnotationPredicateType = "in-toto.io/predicate-type"
	// AnnotationBaseName and AnnotationBaseDigest name an image's base
	// (on its manifest, or as labels of its config).
	AnnotationBaseName   = "org.opencontainers.image.base.name"
	AnnotationBaseDigest = "org.opencontainers.image.base.digest"
	// AnnotationRefName is the tag an OCI layout gives a manifest.
	AnnotationRefName = "org.opencontainers.image.ref.name"
)

// attestationManifest is the value of AnnotationReferenceType on buildx's
// attestation manifests.
const attestationManifest = "attestation-manifest"
