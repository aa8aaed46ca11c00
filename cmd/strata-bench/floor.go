package main

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"sync"
	"syscall"
	"time"

	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/source"
)

// pass is how a floor reads the layers.
type pass struct {
	parallel int // layers read at once
	// verify also hashes with sha256 what the digest checks need: the
	// uncompressed bytes, and the stored ones when they are not the same
	// (a compressed blob, whose digest is not its diffID).
	verify bool
}

// timing is a measured pass: wall and CPU time.
type timing struct{ wall, cpu time.Duration }

// floor opens the archive and reads every layer's uncompressed bytes
// once, decompressed as strata decompresses them. It returns the time
// taken and the uncompressed bytes read.
func floor(path string, p pass) (timing, int64, error) {
	cpu0 := cpuTime()
	start := time.Now()
	img, err := source.Open(path)
	if err != nil {
		return timing{}, 0, err
	}
	defer img.Close()
	layers, err := img.Layers()
	if err != nil {
		return timing{}, 0, err
	}
	var (
		mu    sync.Mutex
		total int64
		first error
		wg    sync.WaitGroup
	)
	next := make(chan image.Layer)
	for range p.parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			for l := range next {
				n, err := readLayer(l, p, buf)
				mu.Lock()
				total += n
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, l := range layers {
		next <- l
	}
	close(next)
	wg.Wait()
	return timing{time.Since(start), cpuTime() - cpu0}, total, first
}

func readLayer(l image.Layer, p pass, buf []byte) (int64, error) {
	var w io.Writer = discard{}
	if p.verify {
		w = sha256.New()
		if l.Digest.Hex != "" && l.Digest != l.DiffID {
			h, open := sha256.New(), l.Open
			l.Open = func() (io.ReadCloser, error) {
				rc, err := open()
				return hashedReader{rc, h}, err
			}
		}
	}
	u, err := blob.Uncompressed(l)
	if err != nil {
		return 0, fmt.Errorf("opening layer %s: %w", l.ID, err)
	}
	defer u.Close()
	// The struct hides u's WriterTo, and discard has no ReadFrom (unlike
	// io.Discard, whose ReadFrom reads 8 KiB at a time), so the bytes go
	// through buf, in reads as large as strata's.
	n, err := io.CopyBuffer(w, struct{ io.Reader }{u}, buf)
	if err != nil {
		return n, fmt.Errorf("reading layer %s: %w", l.ID, err)
	}
	return n, nil
}

// discard is io.Discard without its ReadFrom.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// hashedReader hashes the stored bytes as they are read.
type hashedReader struct {
	io.ReadCloser
	h hash.Hash
}

func (r hashedReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.h.Write(p[:n])
	return n, err
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
