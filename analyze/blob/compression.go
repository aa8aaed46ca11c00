package blob

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Compression is how a layer blob is stored, told from its first bytes.
type Compression string

// The compressions a layer blob may have.
const (
	None Compression = "none" // a plain tar
	Gzip Compression = "gzip"
	Zstd Compression = "zstd"
)

// magic numbers of the stored forms, and of two that layers do not use
// but that a hand-made image might.
const (
	gzipMagic  = "\x1f\x8b"
	zstdMagic  = "\x28\xb5\x2f\xfd"
	bzip2Magic = "BZh"
	xzMagic    = "\xfd7zXZ\x00"
)

// ErrUnsupportedCompression says a layer is compressed in a form strata
// does not read.
var ErrUnsupportedCompression = errors.New("compression not supported")

// detect tells the compression from the first bytes of br without
// consuming them.
func detect(br *bufio.Reader) (Compression, error) {
	head, err := br.Peek(len(xzMagic))
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return "", err
	}
	s := string(head)
	switch {
	case hasPrefix(s, gzipMagic):
		return Gzip, nil
	case hasPrefix(s, zstdMagic):
		return Zstd, nil
	case hasPrefix(s, bzip2Magic) && len(s) > 3 && s[3] >= '1' && s[3] <= '9':
		return "", fmt.Errorf("the layer is compressed with bzip2: %w (strata reads gzip, zstd and uncompressed layers)", ErrUnsupportedCompression)
	case hasPrefix(s, xzMagic):
		return "", fmt.Errorf("the layer is compressed with xz: %w (strata reads gzip, zstd and uncompressed layers)", ErrUnsupportedCompression)
	}
	return None, nil
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// decompressor returns the tar inside a compressed blob. Closing it does
// not close r.
func decompressor(c Compression, r io.Reader) (io.ReadCloser, error) {
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("decompressing: %w", err)
		}
		return zr, nil
	case Zstd:
		zr, err := zstd.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("decompressing: %w", err)
		}
		return zstdReader{zr}, nil
	}
	return nil, fmt.Errorf("decompressing: unknown compression %q", c)
}

// zstdReader closes a zstd decoder, which has no Close returning an
// error, and stops its goroutines.
type zstdReader struct{ *zstd.Decoder }

func (z zstdReader) Close() error {
	z.Decoder.Close()
	return nil
}
