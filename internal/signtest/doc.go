// Package signtest signs images in code, as cosign does, for tests: cosign's
// simple-signing .sig images and DSSE attestations (.att), Sigstore bundles
// attached as OCI 1.1 referrers (pushed to a registry or written into an OCI
// layout), and keyless signatures with a certificate from a local stand-in
// for Fulcio. Keys come from sigstore-go's sign package.
package signtest
