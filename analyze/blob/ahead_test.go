package blob

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestAheadReaderReadsEverything(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 3*aheadChunk/16+1000)
	a := readAhead(iotest.HalfReader(bytes.NewReader(data)), &NewBuffers().chunks)
	got, err := io.ReadAll(iotest.OneByteReader(io.LimitReader(a, 100)))
	if err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(got, rest...), data) {
		t.Error("read ahead bytes differ from the stream's")
	}
	a.stop(func() {})
}

func TestAheadReaderError(t *testing.T) {
	boom := errors.New("boom")
	a := readAhead(io.MultiReader(bytes.NewReader(make([]byte, aheadChunk+5)), iotest.ErrReader(boom)), &NewBuffers().chunks)
	n, err := io.Copy(io.Discard, a)
	if !errors.Is(err, boom) || n != aheadChunk+5 {
		t.Errorf("read %d bytes and then %v, want %d and %v", n, err, aheadChunk+5, boom)
	}
	a.stop(func() {})
}

// endless never ends until closed.
type endless struct{ closed chan struct{} }

func (e endless) Read(p []byte) (int, error) {
	select {
	case <-e.closed:
		return 0, errors.New("closed")
	default:
		return len(p), nil
	}
}

func TestAheadReaderStops(t *testing.T) {
	e := endless{closed: make(chan struct{})}
	a := readAhead(e, &NewBuffers().chunks)
	if _, err := io.ReadFull(a, make([]byte, 3*aheadChunk)); err != nil {
		t.Fatal(err)
	}
	a.stop(func() { close(e.closed) }) // returns once the goroutine has ended
	a.stop(func() { t.Error("stopped twice") })
}
