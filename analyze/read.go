package analyze

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// DigestError says that a layer's bytes do not match a digest the image
// declares for them.
type DigestError struct {
	Layer    int     // index of the layer, bottom first
	What     string  // "digest" (stored blob) or "diffID" (uncompressed tar)
	Expected v1.Hash // what the manifest or config declares
	Actual   v1.Hash // what the bytes hash to
}

func (e *DigestError) Error() string {
	src := "manifest"
	if e.What == "diffID" {
		src = "config"
	}
	return fmt.Sprintf("layer %d: content %s %s does not match %s %s from the image %s",
		e.Layer, e.What, e.Actual, e.What, e.Expected, src)
}

// countingHasher counts and hashes everything read through it.
type countingHasher struct {
	r     io.Reader
	h     hash.Hash
	n     int64
	onAdd func(int64)
}

func (c *countingHasher) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.h.Write(p[:n])
		c.n += int64(n)
		if c.onAdd != nil {
			c.onAdd(int64(n))
		}
	}
	return n, err
}

func (c *countingHasher) sum() v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", c.h.Sum(nil))}
}

// blob adapts a stored blob to ggcr's partial.CompressedLayer so that ggcr
// detects the compression and decompresses it.
type blob struct {
	rc io.ReadCloser
	mt types.MediaType
}

func (b *blob) Compressed() (io.ReadCloser, error) { return b.rc, nil }
func (b *blob) Digest() (v1.Hash, error) {
	return v1.Hash{}, errors.New("digest not known before reading")
}
func (b *blob) Size() (int64, error) { return -1, errors.New("size not known before reading") }
func (b *blob) MediaType() (types.MediaType, error) {
	return b.mt, nil
}

// layerStream is one pass over a stored layer: the uncompressed tar, with
// the stored and uncompressed bytes both hashed on the way.
type layerStream struct {
	stored, plain *countingHasher
	tar           io.ReadCloser
	closeStored   io.Closer
}

func openLayer(l Layer, onRead func(int64)) (*layerStream, error) {
	rc, err := l.Open()
	if err != nil {
		return nil, err
	}
	stored := &countingHasher{r: rc, h: sha256.New(), onAdd: onRead}
	cl, err := partial.CompressedToLayer(&blob{rc: io.NopCloser(stored), mt: l.MediaType})
	if err != nil {
		rc.Close()
		return nil, err
	}
	u, err := cl.Uncompressed()
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	plain := &countingHasher{r: u, h: sha256.New()}
	return &layerStream{stored: stored, plain: plain, tar: u, closeStored: rc}, nil
}

// finish reads what the tar reader left unread of both streams, so that the
// digests cover every byte, and closes them.
func (s *layerStream) finish() error {
	_, err := io.Copy(io.Discard, s.plain)
	if err == nil {
		_, err = io.Copy(io.Discard, s.stored)
	}
	s.tar.Close()
	if cerr := s.closeStored.Close(); err == nil {
		err = cerr
	}
	return err
}

func (s *layerStream) close() {
	s.tar.Close()
	s.closeStored.Close()
}
