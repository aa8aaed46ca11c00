package blob

import "io"

// aheadChunk is the size of the chunks an aheadReader reads, and
// aheadChunks how many it may hold: read, or waiting to be.
const (
	aheadChunk  = 256 << 10
	aheadChunks = 4
)

// aheadReader reads a stream on a goroutine of its own, a few chunks ahead
// of its reader, so that whatever the stream does to produce its bytes
// (read a file, decompress, hash) runs alongside what the reader does with
// them (parse the tar, hash the files) — two cores busy on one layer. The
// chunk buffers are reused.
type aheadReader struct {
	full   chan aheadRead
	free   chan []byte
	done   chan struct{} // closed to stop the goroutine
	exited chan struct{} // closed when it has stopped
	cur    []byte        // the unread part of the current chunk
	buf    []byte        // the current chunk's buffer
	err    error         // the error after cur, io.EOF at the end
}

type aheadRead struct {
	b   []byte
	err error
}

// readAhead starts reading r into chunks, which must not be used
// otherwise until stop has returned.
func readAhead(r io.Reader, chunks *[aheadChunks][]byte) *aheadReader {
	a := &aheadReader{
		full:   make(chan aheadRead, aheadChunks),
		free:   make(chan []byte, aheadChunks),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for _, c := range chunks {
		a.free <- c
	}
	go a.run(r)
	return a
}

func (a *aheadReader) run(r io.Reader) {
	defer close(a.exited)
	for {
		select {
		case <-a.done:
			return
		default:
		}
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.done:
			return
		}
		// Reads as large as the buffer let a buffered stream below pass
		// them straight through instead of copying.
		n, err := 0, error(nil)
		for n < len(buf)/2 && err == nil {
			var m int
			m, err = r.Read(buf[n:])
			n += m
		}
		select {
		case a.full <- aheadRead{buf[:n], err}:
		case <-a.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *aheadReader) Read(p []byte) (int, error) {
	b, err := a.Slice(len(p))
	return copy(p, b), err
}

// Slice returns up to max of the next bytes without copying them; they
// are valid until the next call. It returns an error only with no bytes.
func (a *aheadReader) Slice(max int) ([]byte, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return nil, a.err
		}
		if a.buf != nil {
			a.free <- a.buf[:cap(a.buf)] // never blocks: free holds every buffer
			a.buf = nil
		}
		c := <-a.full
		a.cur, a.buf, a.err = c.b, c.b, c.err
	}
	b := a.cur[:min(max, len(a.cur))]
	a.cur = a.cur[len(b):]
	return b, nil
}

// stop ends the goroutine. Closing the stream first unblocks a read it
// may be waiting in.
func (a *aheadReader) stop(closeStream func()) {
	select {
	case <-a.done:
		return
	default:
	}
	close(a.done)
	closeStream()
	<-a.exited
	a.cur, a.buf, a.err = nil, nil, io.ErrClosedPipe
}
