package registry_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/strata-dev/strata/analyze"
)

// byteCounter counts the body bytes the registry sends for blob GETs.
type byteCounter struct {
	mu       sync.Mutex
	bytes    map[string]int64 // by digest
	inflight sync.WaitGroup   // blob requests the server is still answering
}

type countingWriter struct {
	http.ResponseWriter
	add func(int)
}

func (w countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.add(n)
	return n, err
}

func (c *byteCounter) wrap(next http.Handler) http.Handler {
	c.bytes = map[string]int64{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := strings.Index(r.URL.Path, "/blobs/sha256:")
		if i < 0 || r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		d := r.URL.Path[i+len("/blobs/"):]
		c.inflight.Add(1)
		defer c.inflight.Done()
		next.ServeHTTP(countingWriter{w, func(n int) {
			c.mu.Lock()
			c.bytes[d] += int64(n)
			c.mu.Unlock()
		}}, r)
	})
}

// TestBytesFetchedAreTheCompressedSize checks that an analysis downloads
// each layer blob's bytes once: the bytes sent are the image's compressed
// size, no more.
func TestBytesFetchedAreTheCompressedSize(t *testing.T) {
	var c byteCounter
	host := serve(t, c.wrap)
	ref := host + "/strata/demo:bytes"
	want := buildImage(t)
	push(t, ref, want)
	img := openImage(t, ref)
	mf, err := want.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	c.inflight.Wait() // the config, which Open fetched
	c.mu.Lock()
	clear(c.bytes)
	c.mu.Unlock()

	if _, err := analyze.Analyze(context.Background(), img); err != nil {
		t.Fatal(err)
	}
	// The client can have read a blob's last bytes before the server's
	// handler has counted them.
	c.inflight.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var got, size int64
	for _, l := range mf.Layers {
		size += l.Size
		if n := c.bytes[l.Digest.String()]; n != l.Size {
			t.Errorf("layer %s: %d bytes sent, its size is %d", l.Digest, n, l.Size)
		}
	}
	for _, n := range c.bytes {
		got += n
	}
	if got != size {
		t.Errorf("the analysis fetched %d bytes of blobs; the layers' compressed size is %d", got, size)
	}
}
