package metadata

import (
	"encoding/hex"
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ErrMismatch says a blob's bytes do not match the descriptor that named
// it: it was changed after it was written, or the layout is corrupt.
var ErrMismatch = errors.New("the blob does not match its descriptor")

// mismatch is an error of kind ErrMismatch.
type mismatch struct{ msg string }

func (e *mismatch) Error() string        { return e.msg }
func (e *mismatch) Is(target error) bool { return target == ErrMismatch }

// Verify checks a blob's bytes against the size and the digest of the
// descriptor that named it.
func Verify(d v1.Descriptor, b []byte) error {
	if int64(len(b)) != d.Size {
		return &mismatch{fmt.Sprintf("it is %d bytes, not the %d its descriptor gives (the blob was changed or is corrupt)", len(b), d.Size)}
	}
	return VerifyDigest(d.Digest, b)
}

// VerifyDigest checks a blob's bytes against a digest.
func VerifyDigest(want v1.Hash, b []byte) error {
	h, err := v1.Hasher(want.Algorithm)
	if err != nil {
		return fmt.Errorf("digest %s: %w", want, err)
	}
	h.Write(b)
	if got := hex.EncodeToString(h.Sum(nil)); got != want.Hex {
		return &mismatch{fmt.Sprintf("its digest is %s:%s, not %s (the blob was changed or is corrupt)", want.Algorithm, got, want)}
	}
	return nil
}
