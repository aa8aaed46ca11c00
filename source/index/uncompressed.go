package index

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

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
			if n, ok := sizes[l.Digest]; ok {
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
			sizes[l.Digest], l.Uncompressed = n, n
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
	br := bufio.NewReaderSize(rc, 1<<20)
	head, _ := br.Peek(4)
	var r io.Reader = br
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
	case strings.Contains(string(l.MediaType), "gzip"), strings.Contains(string(l.MediaType), "zstd"):
		return 0, fmt.Errorf("the blob is not %s", l.MediaType)
	}
	return io.Copy(io.Discard, r)
}
