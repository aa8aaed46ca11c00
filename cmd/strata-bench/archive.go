package main

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/strata-dev/strata/analyze/blob"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
)

// archiveStats counts what measure reports of an image it did not
// generate: its layers' tar entries, whiteouts and uncompressed bytes.
func archiveStats(p string) (imagetest.LargeStats, error) {
	var st imagetest.LargeStats
	fi, err := os.Stat(p)
	if err != nil {
		return st, err
	}
	st.ArchiveBytes = fi.Size()
	img, err := source.Open(p)
	if err != nil {
		return st, err
	}
	defer img.Close()
	layers, err := img.Layers()
	if err != nil {
		return st, err
	}
	for _, l := range layers {
		u, err := blob.Uncompressed(l)
		if err != nil {
			return st, fmt.Errorf("opening layer %s: %w", l.ID, err)
		}
		c := &countingReader{r: u}
		var ls imagetest.LargeLayerStats
		tr := tar.NewReader(c)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				u.Close()
				return st, fmt.Errorf("reading layer %s: %w", l.ID, err)
			}
			ls.Entries++
			if strings.HasPrefix(path.Base(h.Name), tarparse.WhiteoutPrefix) {
				ls.Whiteouts++
			}
		}
		// The tar's end and padding count, as a floor reads them.
		if _, err := io.Copy(io.Discard, c); err != nil {
			u.Close()
			return st, fmt.Errorf("reading layer %s: %w", l.ID, err)
		}
		u.Close()
		ls.UncompressedBytes = c.n
		st.Layers = append(st.Layers, ls)
		st.Entries += ls.Entries
		st.Whiteouts += ls.Whiteouts
		st.UncompressedBytes += c.n
	}
	return st, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
