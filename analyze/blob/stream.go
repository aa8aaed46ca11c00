package blob

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"

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

// Option changes how [Open] reads a layer.
type Option func(*options)

type options struct {
	verify bool
	onRead func(int64)
	bufs   *Buffers
}

// WithVerify says whether the stored bytes and the tar are hashed with
// sha256 to check them against the layer's digest and diffID (the
// default). Without it, a digest the layer declares is taken as declared
// and only what it does not declare is hashed; on a layer stored
// uncompressed that is most of the work saved.
func WithVerify(verify bool) Option { return func(o *options) { o.verify = verify } }

// WithOnRead is called with the number of stored bytes each time some are
// read, for progress bars. It is called from the reading goroutine.
func WithOnRead(f func(n int64)) Option { return func(o *options) { o.onRead = f } }

// readBufSize is the size of the buffered reads from a stored blob. It is
// no larger than the read-ahead chunks, so that reading an uncompressed
// blob ahead passes straight through the buffer.
const readBufSize = aheadChunk

// counter counts, and when h is set hashes, the bytes read through it.
type counter struct {
	r      io.Reader
	h      hash.Hash
	n      int64
	onRead func(int64)
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		if c.h != nil {
			c.h.Write(p[:n])
		}
		c.n += int64(n)
		if c.onRead != nil {
			c.onRead(int64(n))
		}
	}
	return n, err
}

func sum(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", h.Sum(nil))}
}

// Stream is one pass over a stored layer: its tar, with the stored and
// uncompressed bytes hashed on the way as the options ask.
type Stream struct {
	ctx          context.Context
	stopWatching func() bool // stops closing the blob when ctx ends
	declared     image.Layer // what the source says of the blob
	compression  Compression
	blob         io.ReadCloser
	stored       *counter // the stored bytes
	plain        *counter // the tar: stored itself when the blob is not compressed
	decompress   io.Closer
	// ahead reads plain on its own goroutine; the tar is read from it.
	ahead *aheadReader
	bufs  *Buffers
}

// Open opens a layer for one pass. When ctx ends, the blob is closed, so
// that a read blocked on a slow file or connection returns at once; the
// stream's reads then fail with ctx's error.
func Open(ctx context.Context, l image.Layer, opts ...Option) (*Stream, error) {
	o := options{verify: true}
	for _, opt := range opts {
		opt(&o)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opened, err := l.Open()
	if err != nil {
		return nil, err
	}
	rc := &closeOnce{ReadCloser: opened}
	stopWatching := context.AfterFunc(ctx, func() { rc.Close() })
	bufs := take(o.bufs)
	bufs.stored.Reset(rc)
	s := &Stream{ctx: ctx, declared: l, blob: rc, bufs: bufs, stopWatching: stopWatching}
	s.compression, err = detect(bufs.stored)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.stored = &counter{r: bufs.stored, onRead: o.onRead}
	if s.compression == None {
		// The tar is the stored blob: one hash is both its digest and
		// its diffID.
		if o.verify || l.DiffID.Hex == "" {
			s.stored.h = sha256.New()
		}
		s.plain = s.stored
	} else {
		if o.verify || l.Digest.Hex == "" {
			s.stored.h = sha256.New()
		}
		u, err := decompressor(s.compression, s.stored)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.decompress = u
		s.plain = &counter{r: u}
		if o.verify || l.DiffID.Hex == "" {
			s.plain.h = sha256.New()
		}
	}
	s.ahead = readAhead(ctxReader{ctx, s.plain}, &bufs.chunks)
	return s, nil
}

// closeOnce closes a stream once, from whichever goroutine comes first.
type closeOnce struct {
	io.ReadCloser
	once sync.Once
	err  error
}

func (c *closeOnce) Close() error {
	c.once.Do(func() { c.err = c.ReadCloser.Close() })
	return c.err
}

// ctxReader fails with the context's error once it has ended, whatever
// error closing the blob under it made a read return.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF && c.ctx.Err() != nil {
		return n, context.Cause(c.ctx)
	}
	return n, err
}

// Compression is how the blob is stored.
func (s *Stream) Compression() Compression { return s.compression }

// Tar returns the layer's tar. It also has a Slice method that returns
// the next bytes without copying them (see [Slicer]).
func (s *Stream) Tar() Slicer { return s.ahead }

// Slicer is a reader that can also hand out its next bytes in place.
type Slicer interface {
	io.Reader
	// Slice returns up to max of the next bytes without copying them;
	// they are valid until the next call. It returns an error only with
	// no bytes.
	Slice(max int) ([]byte, error)
}

// Digests are what a finished stream found its bytes to be.
type Digests struct {
	Digest, DiffID v1.Hash
	// Stored and Uncompressed count the blob's and the tar's bytes.
	Stored, Uncompressed int64
}

// Finish reads what the tar reader left unread of the blob, so that the
// digests cover every byte, closes the stream, and returns the digests:
// hashed, or as declared where the stream was told not to verify them.
func (s *Stream) Finish() (Digests, error) {
	defer s.Close()
	if _, err := io.Copy(io.Discard, s.ahead); err != nil { // it stops at the end of plain
		return Digests{}, err
	}
	if s.plain != s.stored {
		if _, err := io.Copy(io.Discard, ctxReader{s.ctx, s.stored}); err != nil {
			return Digests{}, err
		}
	}
	d := Digests{Digest: s.declared.Digest, DiffID: s.declared.DiffID, Stored: s.stored.n, Uncompressed: s.plain.n}
	if s.plain.h != nil {
		d.DiffID = sum(s.plain.h)
	}
	switch {
	case s.compression != None && s.stored.h != nil:
		d.Digest = sum(s.stored.h)
	case s.compression == None && (s.stored.h != nil || d.Digest.Hex == ""):
		d.Digest = d.DiffID // the same bytes
	}
	return d, nil
}

// Close ends the stream early, or after Finish; it may be called more
// than once.
func (s *Stream) Close() {
	if s.bufs == nil {
		return
	}
	s.stopWatching()
	blobClosed := false
	if s.ahead != nil {
		// Closing the blob unblocks a read the goroutine may be waiting in.
		s.ahead.stop(func() { s.blob.Close(); blobClosed = true })
	}
	if s.decompress != nil {
		s.decompress.Close()
	}
	if !blobClosed {
		s.blob.Close()
	}
	release(s.bufs)
	s.bufs = nil
}

// Uncompressed opens a layer's tar, decompressed exactly as a [Stream]
// decompresses it but with nothing hashed and nothing read ahead: the
// floor a benchmark compares the analysis against.
func Uncompressed(l image.Layer) (io.ReadCloser, error) {
	rc, err := l.Open()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(rc, readBufSize)
	c, err := detect(br)
	if err != nil {
		rc.Close()
		return nil, err
	}
	if c == None {
		return readCloser{io.NopCloser(br), rc}, nil
	}
	u, err := decompressor(c, br)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return readCloser{u, rc}, nil
}

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
