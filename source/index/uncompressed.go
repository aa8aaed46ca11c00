package index

import (
	"bufio"
	"context"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// MeasureUncompressed sets the uncompressed size of every layer whose size
// is not known yet, and so each platform's, by decompressing the layers
// of a store that holds them on this machine: it reads every distinct
// layer blob once and downloads nothing. A platform the store does not
// hold keeps -1. It stops between layers once ctx is done.
func MeasureUncompressed(ctx context.Context, idx *Index, store LocalStore) error {
	sizes := map[v1.Hash]int64{}
	for pi := range idx.Platforms {
		p := &idx.Platforms[pi]
		for li := range p.Layers {
			l := &p.Layers[li]
			if l.Uncompressed >= 0 {
				continue
			}
			if n, ok := sizes[l.key()]; ok {
				l.Uncompressed = n
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			n, err := uncompressedSize(ctx, store, *l)
			if err != nil {
				return fmt.Errorf("measuring layer %s: %w", l.Digest, err)
			}
			sizes[l.key()], l.Uncompressed = n, n
		}
		p.UncompressedBytes = -1
	}
	idx.computeSizes()
	return nil
}

// uncompressedSize reads a layer blob and counts the bytes of its tar.
func uncompressedSize(ctx context.Context, store LocalStore, l Layer) (int64, error) {
	rc, err := store.Open(ctx, v1.Descriptor{Digest: l.Digest, Size: l.Size, MediaType: l.MediaType})
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return tarSize(ctx, rc, l)
}

// tarSize counts the bytes of the tar a layer blob holds: gzip and zstd
// are decompressed; a plain tar is its size, read no further than its
// first bytes.
func tarSize(ctx context.Context, blob io.Reader, l Layer) (int64, error) {
	br := bufio.NewReaderSize(blob, 1<<20)
	head, _ := br.Peek(4)
	var r io.Reader
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, err
		}
		defer zr.Close()
		r = zr
	case len(head) == 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd:
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return 0, err
		}
		defer zr.Close()
		r = zr
	case l.Size >= 0:
		// A plain tar, whatever its media type says (docker save labels
		// its tars gzip).
		return l.Size, nil
	default:
		r = br
	}
	return io.Copy(io.Discard, ctxReader{ctx: ctx, r: r})
}

// ctxReader stops a long read once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
