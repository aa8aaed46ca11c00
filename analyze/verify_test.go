package analyze_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/image"
)

func sha(b []byte) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sha256.Sum256(b))}
}

// TestVerify checks what a layer's digests are with and without
// verification: hashed and checked, or taken as declared, and hashed
// only where nothing is declared.
func TestVerify(t *testing.T) {
	plain := rawTar(t, []hdr{{name: "etc/", typ: '5'}, {name: "etc/os-release", body: "ID=test\n"}})
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	wrong := v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%064x", 7)}
	wrong2 := v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%064x", 8)}
	layer := func(stored []byte, mt types.MediaType, digest, diffID v1.Hash) image.Layer {
		return image.Layer{Digest: digest, DiffID: diffID, MediaType: mt, Size: int64(len(stored)),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(stored)), nil }}
	}
	for _, c := range []struct {
		name           string
		l              image.Layer
		verify         bool
		digest, diffID v1.Hash
		mismatch       string // the DigestError's What, when verifying fails
	}{
		{name: "plain, right diffID, verified", l: layer(plain, types.DockerLayer, v1.Hash{}, sha(plain)), verify: true,
			digest: sha(plain), diffID: sha(plain)},
		{name: "plain, wrong diffID, verified", l: layer(plain, types.DockerLayer, v1.Hash{}, wrong), verify: true,
			mismatch: "diffID"},
		{name: "plain, wrong diffID, not verified", l: layer(plain, types.DockerLayer, v1.Hash{}, wrong),
			digest: wrong, diffID: wrong},
		{name: "plain, wrong digest and diffID, not verified", l: layer(plain, types.OCIUncompressedLayer, wrong2, wrong),
			digest: wrong2, diffID: wrong},
		{name: "plain, nothing declared, not verified", l: layer(plain, types.DockerLayer, v1.Hash{}, v1.Hash{}),
			digest: sha(plain), diffID: sha(plain)},
		{name: "gzip, wrong digest, verified", l: layer(gz.Bytes(), types.OCILayer, wrong2, sha(plain)), verify: true,
			mismatch: "digest"},
		{name: "gzip, wrong digest, not verified", l: layer(gz.Bytes(), types.OCILayer, wrong2, sha(plain)),
			digest: wrong2, diffID: sha(plain)},
		{name: "gzip, no digest declared, not verified", l: layer(gz.Bytes(), types.OCILayer, v1.Hash{}, wrong),
			digest: sha(gz.Bytes()), diffID: wrong},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := analyze.ParseLayer(context.Background(), 0, c.l, analyze.WithVerify(c.verify))
			if c.mismatch != "" {
				var de *blob.DigestError
				if !errors.As(err, &de) || de.What != c.mismatch {
					t.Fatalf("got error %v, want a %s mismatch", err, c.mismatch)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Digest != c.digest || p.DiffID != c.diffID {
				t.Errorf("digest %s diffID %s, want %s and %s", p.Digest, p.DiffID, c.digest, c.diffID)
			}
			if p.UncompressedSize != int64(len(plain)) || p.CompressedSize != c.l.Size {
				t.Errorf("sizes %d stored, %d uncompressed; want %d and %d", p.CompressedSize, p.UncompressedSize, c.l.Size, len(plain))
			}
			b := analyze.NewStack(nil, 1)
			if _, err := b.Push(p); err != nil {
				t.Fatal(err)
			}
			if n := b.Tree().Entries(); n != 2 {
				t.Errorf("%d entries, want 2", n)
			}
		})
	}
}
