// Package index reads the whole picture of an image without downloading
// a layer: every platform of a multi-platform index (its size compressed
// and, where it can be known, uncompressed, its layers and the bytes it
// shares with the other platforms), the build attestations that describe
// each platform and their in-toto statements, the artifacts that refer to
// the image (OCI 1.1 referrers and cosign's tags: signatures, SBOMs,
// attestations), and the image's base.
//
// Every source that can reach an image's documents by digest implements
// [Store] (the registry, OCI layouts and oci-archives, containerd);
// [Read] walks the index with the capped, verified reads and the bounded
// walk of source/internal/metadata, fetching the manifests and configs
// only, so that [Index.Rows] (the rows of a platform picker) costs
// manifests + configs in bytes and nothing more in time.
//
// What a user interface needs, each computed without a download:
//
//   - [Index.Rows]: one [Row] a platform, in the index's order, ready to
//     draw (os/arch/variant, compressed and uncompressed bytes, layer count,
//     bytes shared with other platforms, whether an attestation describes
//     it);
//   - [Index.Shared] and [Index.Pull]: the layers several platforms share,
//     and what pulling all platforms costs against pulling one;
//   - [Index.Attestations] and [ReadStatement]: the in-toto statements
//     (SBOMs, SLSA provenance) a viewer shows, and [Provenance] the build
//     arguments and base images a provenance names;
//   - [ListReferrers]: the signatures and other artifacts attached;
//   - [Base]: which of an image's layers are its base's.
//
// Strings in these types are what the image holds, byte for byte: escape
// them (internal/textsafe) before they reach a terminal.
package index
