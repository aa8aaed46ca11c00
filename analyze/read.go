package analyze

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"

	"github.com/strata-dev/strata/image"
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

// readBufSize is the size of the buffered reads from a stored blob. It is
// no larger than the read-ahead chunks, so that reading an uncompressed
// blob ahead passes straight through the buffer.
const readBufSize = aheadChunk

// storedReader reads a stored blob, hashing and counting its bytes. It can
// Peek, so ggcr detects the compression on it directly; when the blob is
// not compressed, ggcr hands the uncompressed reader's buffers straight
// through to Read, and the bytes are hashed once, by the uncompressed
// side, instead of twice.
type storedReader struct {
	br     *bufio.Reader
	h      hash.Hash
	n      int64
	onRead func(int64)
	// through is the first byte of the buffer the uncompressed side reads
	// into. Decompressors may read from their own goroutine (zstd does).
	through atomic.Pointer[byte]
	direct  int64 // bytes read here (and hashed, when h is set)
	passed  int64 // bytes passed through to the uncompressed side
}

func (s *storedReader) Peek(n int) ([]byte, error) { return s.br.Peek(n) }

func (s *storedReader) Read(p []byte) (int, error) {
	n, err := s.br.Read(p)
	if n > 0 {
		if &p[0] == s.through.Load() {
			s.passed += int64(n)
		} else {
			if s.h != nil {
				s.h.Write(p[:n])
			}
			s.direct += int64(n)
		}
		s.n += int64(n)
		if s.onRead != nil {
			s.onRead(int64(n))
		}
	}
	return n, err
}

// plainReader reads the uncompressed tar, hashing (when h is set) and
// counting it.
type plainReader struct {
	r      io.Reader
	h      hash.Hash
	n      int64
	stored *storedReader
}

func (p *plainReader) Read(b []byte) (int, error) {
	if len(b) > 0 {
		p.stored.through.Store(&b[0])
	}
	n, err := p.r.Read(b)
	p.stored.through.Store(nil)
	if n > 0 {
		if p.h != nil {
			p.h.Write(b[:n])
		}
		p.n += int64(n)
	}
	return n, err
}

func sum(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", h.Sum(nil))}
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
	declared image.Layer // what the source says of the blob
	stored   *storedReader
	plain    *plainReader
	tar      io.ReadCloser
	blob     io.Closer
	// ahead, when set, reads plain on its own goroutine; readers then read
	// the tar from ahead.
	ahead *aheadReader
	bufs  *layerBuffers
}

// Uncompressed opens a layer's tar, decompressed exactly as the analysis
// decompresses it but with nothing hashed: the floor a benchmark compares
// the analysis against.
func Uncompressed(l image.Layer) (io.ReadCloser, error) {
	rc, err := l.Open()
	if err != nil {
		return nil, err
	}
	u, err := decompress(bufio.NewReaderSize(rc, readBufSize), l.MediaType)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return readCloser{u, rc}, nil
}

// peekReader is a stream whose first bytes can be looked at before they
// are read.
type peekReader interface {
	io.Reader
	Peek(n int) ([]byte, error)
}

// gzipMagic starts every gzip stream.
const gzipMagic = "\x1f\x8b"

// decompress returns the uncompressed bytes of a stored blob. A gzip blob
// is decompressed by klauspost/compress, 1.4 times as fast as the standard
// library that go-containerregistry uses; go-containerregistry handles
// everything else (zstd, and blobs stored uncompressed), telling them
// apart by their first bytes, as it does gzip. Closing the result does not
// close r.
func decompress(r peekReader, mt types.MediaType) (io.ReadCloser, error) {
	if magic, _ := r.Peek(len(gzipMagic)); string(magic) == gzipMagic {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("decompressing: %w", err)
		}
		return zr, nil
	}
	// The blob keeps Peek, so that go-containerregistry peeks at r itself
	// instead of reading it through a buffer of its own.
	cl, err := partial.CompressedToLayer(&blob{rc: peekNopCloser{r}, mt: mt})
	if err != nil {
		return nil, err
	}
	u, err := cl.Uncompressed()
	if err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	return u, nil
}

// peekNopCloser is a peekReader with a Close that does nothing.
type peekNopCloser struct{ peekReader }

func (peekNopCloser) Close() error { return nil }

// readCloser reads from one stream and closes both.
type readCloser struct {
	io.ReadCloser
	under io.Closer
}

func (r readCloser) Close() error {
	err := r.ReadCloser.Close()
	if uerr := r.under.Close(); err == nil {
		err = uerr
	}
	return err
}

// openLayer opens a layer for one pass. With verify, the stored and the
// uncompressed bytes are hashed; without it, only where the layer does not
// declare their digest.
func openLayer(l image.Layer, onRead func(int64), verify bool) (*layerStream, error) {
	rc, err := l.Open()
	if err != nil {
		return nil, err
	}
	bufs := getBuffers()
	bufs.stored.Reset(rc)
	stored := &storedReader{br: bufs.stored, onRead: onRead}
	if verify || l.Digest.Hex == "" {
		stored.h = sha256.New()
	}
	u, err := decompress(stored, l.MediaType)
	if err != nil {
		rc.Close()
		putBuffers(bufs)
		return nil, err
	}
	plain := &plainReader{r: u, stored: stored}
	if verify || l.DiffID.Hex == "" {
		plain.h = sha256.New()
	}
	return &layerStream{declared: l, stored: stored, plain: plain, tar: u, blob: rc, bufs: bufs}, nil
}

// readAhead moves the reading, decompressing and hashing of the layer to a
// goroutine of its own, and returns the tar to read.
func (s *layerStream) readAhead() io.Reader {
	s.ahead = readAhead(s.plain, &s.bufs.chunks)
	return s.ahead
}

// finish reads what the tar reader left unread of both streams, so that the
// digests cover every byte, closes them, and returns the digests.
func (s *layerStream) finish() (digest, diffID v1.Hash, err error) {
	defer s.close()
	var rest io.Reader = s.plain
	if s.ahead != nil {
		rest = s.ahead // the goroutine stops at the end of plain
	}
	if _, err := io.Copy(io.Discard, rest); err != nil {
		return digest, diffID, err
	}
	if _, err := io.Copy(io.Discard, s.stored); err != nil {
		return digest, diffID, err
	}
	diffID = s.declared.DiffID
	if s.plain.h != nil {
		diffID = sum(s.plain.h)
	}
	switch {
	case s.stored.passed == 0 && s.stored.h != nil:
		digest = sum(s.stored.h)
	case s.stored.passed == 0:
		digest = s.declared.Digest // not verified
	case s.stored.direct == 0 && s.plain.h == nil && s.declared.Digest.Hex != "":
		digest = s.declared.Digest // not compressed, and not verified
	case s.stored.direct == 0:
		digest = diffID // not compressed: the same bytes
	default:
		return digest, diffID, errors.New("internal error: stored bytes were hashed only in part")
	}
	return digest, diffID, nil
}

func (s *layerStream) close() {
	blobClosed := false
	if s.ahead != nil {
		s.ahead.stop(func() { s.blob.Close(); blobClosed = true })
	}
	s.tar.Close()
	if !blobClosed {
		s.blob.Close()
	}
	if s.bufs != nil {
		putBuffers(s.bufs)
		s.bufs = nil
	}
}
