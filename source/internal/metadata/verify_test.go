package metadata

import (
	"errors"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestVerify(t *testing.T) {
	blob := []byte(`{"schemaVersion":2}`)
	h, size, err := v1.SHA256(strings.NewReader(string(blob)))
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(v1.Descriptor{Digest: h, Size: size}, blob); err != nil {
		t.Errorf("a matching blob: %v", err)
	}
	tampered := []byte(`{"schemaVersion":3}`)
	for _, tt := range []struct {
		d    v1.Descriptor
		b    []byte
		says string
	}{
		{v1.Descriptor{Digest: h, Size: size}, tampered, "its digest is sha256:"},
		{v1.Descriptor{Digest: h, Size: size + 1}, blob, "it is 19 bytes, not the 20 its descriptor gives"},
		{v1.Descriptor{Digest: h}, blob, "not the 0 its descriptor gives"},
	} {
		err := Verify(tt.d, tt.b)
		if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("Verify(%v, %q) = %v, want a mismatch saying %q", tt.d, tt.b, err, tt.says)
		}
	}
	if err := VerifyDigest(v1.Hash{Algorithm: "md5", Hex: "00"}, blob); err == nil {
		t.Error("an unknown algorithm passed")
	}
}
