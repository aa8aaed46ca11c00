package blob

import "bufio"

// Buffers are the buffers one pass over a layer reads through: about
// 1.3 MiB. Reuse them from layer to layer ([WithBuffers]) rather than
// allocating them for each: an image of many small layers would otherwise
// allocate and clear megabytes for every one. One set serves one stream
// at a time.
type Buffers struct {
	stored *bufio.Reader       // reads the stored blob
	chunks [aheadChunks][]byte // read ahead of the tar parser
	inUse  bool
}

// NewBuffers allocates a set of buffers.
func NewBuffers() *Buffers {
	b := &Buffers{stored: bufio.NewReaderSize(nil, readBufSize)}
	for i := range b.chunks {
		b.chunks[i] = make([]byte, aheadChunk)
	}
	return b
}

// WithBuffers makes the stream read through b, which must not be in use
// by another stream, instead of buffers of its own.
func WithBuffers(b *Buffers) Option { return func(o *options) { o.bufs = b } }

// take marks b in use, or allocates new buffers when b is nil or busy.
func take(b *Buffers) *Buffers {
	if b == nil || b.inUse {
		b = NewBuffers()
	}
	b.inUse = true
	return b
}

// release makes b free for the next stream.
func release(b *Buffers) {
	b.stored.Reset(nil)
	b.inUse = false
}
