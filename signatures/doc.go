// Package signatures reads the signatures attached to an image and
// verifies them with github.com/sigstore/sigstore-go, offline.
//
// Two forms are read: cosign's simple-signing payload (the tag scheme,
// sha256-<hex>.sig, a signature and, when keyless, a certificate in each
// layer's annotations) and Sigstore bundles (cosign 3 and other tools
// attach them as OCI 1.1 referrers: a DSSE envelope of an in-toto
// statement with predicate type https://sigstore.dev/cosign/sign/v1, or a
// message signature). Notary Project signatures are listed, not verified.
//
// [Verify] checks what can be checked without the network:
//
//   - a key-based signature against the public key given (cosign.pub):
//     the signature over the payload or the envelope, and that what it
//     signs is the image (its manifest's digest, or its index's);
//   - a keyless signature (a Fulcio certificate) against its own
//     certificate's key, and the identity and issuer the certificate
//     names. Whether Fulcio issued the certificate, its SCT, and the Rekor
//     entry of any signature need Sigstore's trusted root, fetched over
//     the network: they are not checked, and [Result] says so.
//
// Strings from signatures (identities, issuers) are what the image holds:
// escape them before they reach a terminal.
package signatures
