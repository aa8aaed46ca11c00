package report

// Supply is what an image carries besides its layers: its base, the
// artifacts that refer to it, and what checking its signatures found.
// cmd/strata fills it (from source.ReadAttached and package signatures);
// each part is a top-level key of the report, after the findings, when it
// is set.
type Supply struct {
	// Base is the "base" key.
	Base *Base
	// Referrers is the "referrers" key, left out when there are none.
	Referrers []Referrer
	// Signature is the "signature" key.
	Signature *Verification
}

// Base is the image's base: the image it was built FROM.
type Base struct {
	// Reference names the base as found, empty when only its digest is.
	Reference string `json:"reference,omitempty"`
	// Digest is the base's manifest (or index) digest, when known.
	Digest string `json:"digest,omitempty"`
	// LayerCount is how many of the image's first layers are the base's,
	// null when the base was named but not compared with the image (give
	// --base auto or --base REF).
	LayerCount *int `json:"layerCount"`
	// SizeBytes is the compressed size of those layers, null with
	// LayerCount.
	SizeBytes *int64 `json:"sizeBytes"`
	// From says where the base was found: "annotation", "label",
	// "provenance" or "flag".
	From string `json:"from"`
	// Verified says the base's diffIDs were read and are a prefix of the
	// image's.
	Verified bool `json:"verified"`
	// YourLayers are the metrics of the layers above the base alone, when
	// its layers are known.
	YourLayers *LayerMetrics `json:"yourLayers,omitempty"`
}

// LayerMetrics are the figures of some of an image's layers (see
// metrics.ForLayers).
type LayerMetrics struct {
	FirstLayer        int     `json:"firstLayer"`
	SizeBytes         uint64  `json:"sizeBytes"`
	InefficientBytes  uint64  `json:"inefficientBytes"`
	EfficiencyScore   float64 `json:"efficiencyScore"`
	UserWastedPercent float64 `json:"userWastedPercent"`
	ReclaimableBytes  uint64  `json:"reclaimableBytes"`
}

// Referrer is an artifact that refers to the image: a signature, an
// SBOM, an attestation.
type Referrer struct {
	// Kind is "signature", "attestation", "sbom", "sigstore-bundle" or
	// "other".
	Kind          string `json:"kind"`
	ArtifactType  string `json:"artifactType"`
	PredicateType string `json:"predicateType,omitempty"`
	Digest        string `json:"digest"`
	MediaType     string `json:"mediaType"`
	// SizeBytes is its manifest's, config's and blobs' bytes together.
	SizeBytes int64 `json:"sizeBytes"`
	// Subject is the digest of the manifest it refers to.
	Subject string `json:"subject"`
	// Found is "referrers" (the OCI 1.1 API or its tag schema) or "tag"
	// (cosign's tag scheme); Tag is the cosign tag.
	Found string `json:"found"`
	Tag   string `json:"tag,omitempty"`
	// Signatures are the signatures it holds, with their signers.
	Signatures []Signature `json:"signatures,omitempty"`
}

// Signature is one signature an image carries.
type Signature struct {
	// Format is "simple-signing", "sigstore-bundle" or "notation".
	Format string `json:"format"`
	Blob   string `json:"blob,omitempty"`
	// Signed is the digest the signature says it signs.
	Signed string `json:"signed,omitempty"`
	// Keyless says it carries a certificate; Identity and Issuer are the
	// signer and the OIDC issuer the certificate names.
	Keyless         bool   `json:"keyless"`
	Identity        string `json:"identity,omitempty"`
	Issuer          string `json:"issuer,omitempty"`
	TransparencyLog bool   `json:"transparencyLog"`
	// Status and Detail are what checking it found (see package
	// signatures: verified, not-verified, unchecked, ...).
	Status string `json:"status"`
	Detail string `json:"detail"`
}

// Verification is what checking the image's signatures found: the
// "signature" key.
type Verification struct {
	// Key is the fingerprint of the --verify-key given, empty when none
	// was.
	Key string `json:"key,omitempty"`
	// Verified says the key verifies a signature of this image.
	Verified bool `json:"verified"`
	// Signatures is how many were found; VerifiedCount how many the key
	// verifies.
	Signatures    int `json:"signatures"`
	VerifiedCount int `json:"verifiedCount"`
	// Summary is the line the text output shows.
	Summary string `json:"summary"`
	// NotChecked says what was not checked because it needs the network
	// (Rekor entries, Fulcio certificate chains).
	NotChecked []string `json:"notChecked,omitempty"`
}

// supply writes the supply-chain keys that are set.
func (e *reportWriter) supply(s *Supply) {
	if s == nil {
		return
	}
	if s.Base != nil {
		e.str(",\n  \"base\": ")
		e.json(s.Base, "  ")
	}
	if len(s.Referrers) > 0 {
		e.str(",\n  \"referrers\": ")
		e.json(s.Referrers, "  ")
	}
	if s.Signature != nil {
		e.str(",\n  \"signature\": ")
		e.json(s.Signature, "  ")
	}
}
