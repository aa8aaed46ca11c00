package imagetest

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// epoch is the fixed modification time of every generated tar entry and the
// creation time of the first history step: 2024-01-01T00:00:00Z.
func epoch() time.Time {
	return time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// LayerTar renders entries, in the given order, as an uncompressed tar
// stream. Names are written without a leading "/", directories with a
// trailing "/", and every entry carries the modification time
// 2024-01-01T00:00:00Z, so
// the same entries always give the same bytes.
func LayerTar(entries ...Entry) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i, e := range entries {
		if err := writeEntry(tw, e); err != nil {
			return nil, fmt.Errorf("writing entry %d (%s): %w", i, e.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("closing layer tar: %w", err)
	}
	return buf.Bytes(), nil
}

func writeEntry(tw *tar.Writer, e Entry) error {
	hdr, body, err := header(e)
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if len(body) > 0 {
		if _, err := tw.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// header builds the tar header and body for e with defaults applied.
func header(e Entry) (*tar.Header, []byte, error) {
	name := cleanName(e.Path)
	if name == "" {
		return nil, nil, fmt.Errorf("empty path")
	}
	typ := e.Type
	if typ == 0 || typ == tar.TypeRegA {
		typ = tar.TypeReg
		if strings.HasSuffix(name, "/") {
			typ = tar.TypeDir
		}
	}
	hdr := &tar.Header{
		Typeflag: typ,
		Mode:     e.Mode,
		Uid:      e.UID,
		Gid:      e.GID,
		ModTime:  epoch(),
		Linkname: e.Linkname,
	}
	var body []byte
	switch typ {
	case tar.TypeDir:
		if !strings.HasSuffix(name, "/") {
			name += "/"
		}
		hdr.Mode = defaultMode(e.Mode, 0o755)
	case tar.TypeSymlink:
		hdr.Mode = defaultMode(e.Mode, 0o777)
	case tar.TypeLink:
		hdr.Linkname = cleanName(e.Linkname)
		hdr.Mode = defaultMode(e.Mode, 0o644)
	case tar.TypeReg:
		hdr.Mode = defaultMode(e.Mode, 0o644)
		body = e.Content
		if body == nil && e.Size > 0 {
			body = PseudoRandom(e.Path, e.Size)
		}
		hdr.Size = int64(len(body))
	default:
		hdr.Mode = defaultMode(e.Mode, 0o644)
	}
	hdr.Name = name
	return hdr, body, nil
}

func defaultMode(m, def int64) int64 {
	if m == 0 {
		return def
	}
	return m
}

// PseudoRandom returns n bytes that look random but depend only on seed.
func PseudoRandom(seed string, n int64) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8(sha256.Sum256([]byte(seed)))
	_, _ = r.Read(b) // ChaCha8.Read never fails
	return b
}
