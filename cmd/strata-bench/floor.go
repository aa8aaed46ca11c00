package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/source"
)

// floor opens the archive and reads every layer's uncompressed bytes
// once, decompressed as strata decompresses them, with parallel layers at
// a time. It returns the time taken and the uncompressed bytes read.
func floor(path string, parallel int) (time.Duration, int64, error) {
	start := time.Now()
	img, err := source.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer img.Close()
	layers, err := img.Layers()
	if err != nil {
		return 0, 0, err
	}
	var (
		mu    sync.Mutex
		total int64
		first error
		wg    sync.WaitGroup
	)
	next := make(chan analyze.Layer)
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			for l := range next {
				n, err := readLayer(l, buf)
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
	return time.Since(start), total, first
}

func readLayer(l analyze.Layer, buf []byte) (int64, error) {
	u, err := analyze.Uncompressed(l)
	if err != nil {
		return 0, fmt.Errorf("opening layer %s: %w", l.ID, err)
	}
	defer u.Close()
	// The struct hides WriterTo/ReaderFrom, so the bytes go through buf.
	n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{u}, buf)
	if err != nil {
		return n, fmt.Errorf("reading layer %s: %w", l.ID, err)
	}
	return n, nil
}
