package analyze

import (
	"bufio"
	"sync"
)

// layerBuffers are the buffers one pass over a layer reads through. They
// are reused from layer to layer rather than allocated for each: an image
// of many small layers would otherwise allocate and clear megabytes for
// every one.
type layerBuffers struct {
	stored *bufio.Reader       // reads the stored blob
	chunks [aheadChunks][]byte // read ahead of the tar parser
	copy   []byte              // what file contents are hashed through
}

var buffersPool = sync.Pool{New: func() any {
	b := &layerBuffers{stored: bufio.NewReaderSize(nil, readBufSize), copy: make([]byte, 256<<10)}
	for i := range b.chunks {
		b.chunks[i] = make([]byte, aheadChunk)
	}
	return b
}}

func getBuffers() *layerBuffers { return buffersPool.Get().(*layerBuffers) }

// putBuffers returns buffers nothing reads any longer.
func putBuffers(b *layerBuffers) {
	b.stored.Reset(nil)
	buffersPool.Put(b)
}
