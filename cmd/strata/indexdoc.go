package main

import (
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/index"
)

// indexDoc is the document `strata index --json` writes. Strings are the
// image's, byte for byte; a size that is not known is null.
type indexDoc struct {
	Reference string `json:"reference"`
	Source    string `json:"source"`
	// MediaType, Digest and SizeBytes describe what the reference names:
	// an index, or a lone image manifest.
	MediaType    string             `json:"mediaType"`
	Digest       string             `json:"digest,omitempty"`
	SizeBytes    int64              `json:"sizeBytes"`
	Platforms    []indexPlatform    `json:"platforms"`
	SharedLayers []indexSharedLayer `json:"sharedLayers"`
	Pull         indexPull          `json:"pull"`
	Attestations []indexAttestation `json:"attestations"`
	// Referrers and Signature are the index's own (a multi-platform
	// image is signed by its index's digest).
	Referrers []report.Referrer    `json:"referrers,omitempty"`
	Signature *report.Verification `json:"signature,omitempty"`
}

type indexPlatform struct {
	// Platform is os/arch[/variant].
	Platform     string `json:"platform"`
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Variant      string `json:"variant,omitempty"`
	OSVersion    string `json:"osVersion,omitempty"`
	// Digest and SizeBytes are the image manifest's.
	Digest                string       `json:"digest,omitempty"`
	SizeBytes             int64        `json:"sizeBytes"`
	ConfigDigest          string       `json:"configDigest,omitempty"`
	CompressedSizeBytes   *int64       `json:"compressedSizeBytes"`
	UncompressedSizeBytes *int64       `json:"uncompressedSizeBytes"`
	LayerCount            *int         `json:"layerCount"`
	SharedSizeBytes       int64        `json:"sharedSizeBytes"`
	Attestation           string       `json:"attestation,omitempty"`
	Absent                string       `json:"absent,omitempty"`
	Base                  *report.Base `json:"base,omitempty"`
	Layers                []indexLayer `json:"layers"`
}

type indexLayer struct {
	Digest                string `json:"digest,omitempty"`
	DiffID                string `json:"diffId"`
	MediaType             string `json:"mediaType,omitempty"`
	SizeBytes             *int64 `json:"sizeBytes"`
	UncompressedSizeBytes *int64 `json:"uncompressedSizeBytes"`
}

type indexSharedLayer struct {
	Digest    string   `json:"digest"`
	SizeBytes int64    `json:"sizeBytes"`
	Platforms []string `json:"platforms"`
}

type indexPull struct {
	// AllBytes is pulling every platform, shared blobs once;
	// SeparatelyBytes pulling each platform into an empty store.
	AllBytes        int64 `json:"allBytes"`
	SeparatelyBytes int64 `json:"separatelyBytes"`
	// OnePlatformBytes is pulling one platform, in the order of platforms.
	OnePlatformBytes []int64 `json:"onePlatformBytes"`
	// Known is false when a platform's size is not known (absent, or the
	// Docker daemon's summary): the sums count what is.
	Known bool `json:"known"`
}

type indexAttestation struct {
	Digest string `json:"digest"`
	// For is the digest of the image it describes, Platform that image's
	// platform (empty when the index does not list it).
	For        string           `json:"for"`
	Platform   string           `json:"platform,omitempty"`
	Absent     string           `json:"absent,omitempty"`
	Statements []indexStatement `json:"statements"`
}

type indexStatement struct {
	Digest        string            `json:"digest"`
	MediaType     string            `json:"mediaType"`
	SizeBytes     int64             `json:"sizeBytes"`
	PredicateType string            `json:"predicateType"`
	Kind          string            `json:"kind"`
	Provenance    *index.Provenance `json:"provenance,omitempty"`
	SBOM          *index.SBOM       `json:"sbom,omitempty"`
}

func known64(n int64) *int64 {
	if n < 0 {
		return nil
	}
	return &n
}

// newIndexDoc describes an index; summaries holds the statements read,
// by their blob's digest.
func newIndexDoc(idx *source.Index, summaries map[string]statementSummary) *indexDoc {
	doc := &indexDoc{Reference: idx.Reference, Source: string(idx.Kind), MediaType: string(idx.Root.MediaType),
		SizeBytes: idx.Root.Size, Platforms: []indexPlatform{}, SharedLayers: []indexSharedLayer{}, Attestations: []indexAttestation{}}
	if idx.Root.Digest.Hex != "" {
		doc.Digest = idx.Root.Digest.String()
	}
	names := make([]string, len(idx.Platforms))
	for i, p := range idx.Platforms {
		names[i] = source.FormatPlatform(p.Platform)
		ip := indexPlatform{Platform: names[i], OS: p.Platform.OS, Architecture: p.Platform.Architecture, Variant: p.Platform.Variant,
			OSVersion: p.Platform.OSVersion, SizeBytes: p.Manifest.Size, CompressedSizeBytes: known64(p.CompressedBytes),
			UncompressedSizeBytes: known64(p.UncompressedBytes), SharedSizeBytes: p.SharedBytes, Absent: p.Absent, Layers: []indexLayer{}}
		if p.Manifest.Digest.Hex != "" {
			ip.Digest = p.Manifest.Digest.String()
		}
		if p.Config.Digest.Hex != "" {
			ip.ConfigDigest = p.Config.Digest.String()
		}
		if p.LayerCount >= 0 {
			n := p.LayerCount
			ip.LayerCount = &n
		}
		if p.Attestation >= 0 {
			ip.Attestation = idx.Attestations[p.Attestation].Manifest.Digest.String()
		}
		if b, ok := index.BaseFromMetadata(p.Annotations, p.Labels); ok {
			ip.Base = baseReport(b, nil)
		}
		for _, l := range p.Layers {
			il := indexLayer{DiffID: l.DiffID.String(), MediaType: string(l.MediaType), SizeBytes: known64(l.Size), UncompressedSizeBytes: known64(l.Uncompressed)}
			if l.Digest.Hex != "" {
				il.Digest = l.Digest.String()
			}
			ip.Layers = append(ip.Layers, il)
		}
		doc.Platforms = append(doc.Platforms, ip)
	}
	for _, s := range idx.Shared() {
		sl := indexSharedLayer{Digest: s.Digest.String(), SizeBytes: s.Size}
		for _, i := range s.Platforms {
			sl.Platforms = append(sl.Platforms, names[i])
		}
		doc.SharedLayers = append(doc.SharedLayers, sl)
	}
	pull := idx.Pull()
	doc.Pull = indexPull{AllBytes: pull.All, SeparatelyBytes: pull.Separately, OnePlatformBytes: pull.One, Known: pull.Known}
	if doc.Pull.OnePlatformBytes == nil {
		doc.Pull.OnePlatformBytes = []int64{}
	}
	for _, a := range idx.Attestations {
		ia := indexAttestation{Digest: a.Manifest.Digest.String(), For: a.For.String(), Absent: a.Absent, Statements: []indexStatement{}}
		if a.Platform >= 0 {
			ia.Platform = names[a.Platform]
		}
		for _, s := range a.Statements {
			is := indexStatement{Digest: s.Blob.Digest.String(), MediaType: string(s.Blob.MediaType), SizeBytes: s.Blob.Size,
				PredicateType: s.PredicateType, Kind: s.Kind()}
			if sum, ok := summaries[is.Digest]; ok {
				is.Provenance, is.SBOM = sum.provenance, sum.sbom
			}
			ia.Statements = append(ia.Statements, is)
		}
		doc.Attestations = append(doc.Attestations, ia)
	}
	return doc
}
