package imagetest

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// contentPool is the source of file bytes: half ChaCha8 noise, half text,
// so gzip has real work to do. Files copy chunks from random offsets.
type contentPool struct {
	buf  []byte
	seed uint64
}

func newContentPool(seed int64) *contentPool {
	const size = 1 << 20
	var key [32]byte
	copy(key[:], fmt.Sprintf("imagetest-large-%d", seed))
	b := make([]byte, size)
	_, _ = rand.NewChaCha8(key).Read(b[:size/2]) // ChaCha8.Read never fails
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	words := strings.Fields(`func return struct error string int64 package import the of and
		value config layer image file path read write buffer index manifest digest`)
	for i := size / 2; i < size; {
		w := words[r.IntN(len(words))]
		i += copy(b[i:], w)
		if i < size {
			b[i] = " \n\t("[r.IntN(4)]
			i++
		}
	}
	return &contentPool{buf: b, seed: uint64(seed)}
}

// write streams size bytes of content for blob id to w without allocating.
func (c *contentPool) write(w io.Writer, id uint64, size int64) error {
	r := rand.New(rand.NewPCG(c.seed, id))
	for size > 0 {
		n := min(size, int64(4096+r.IntN(4096)))
		off := r.IntN(len(c.buf) - int(n))
		if _, err := w.Write(c.buf[off : off+int(n)]); err != nil {
			return err
		}
		size -= n
	}
	return nil
}

// counter counts bytes written through it.
type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// writeLayer writes l as a tar (gzip-compressed if gz) to the file p,
// hashing while writing, and returns its stats.
func writeLayer(p string, l planLayer, pool *contentPool, gz bool) (st LargeLayerStats, err error) {
	f, err := os.Create(p)
	if err != nil {
		return st, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	digest, blobN := sha256.New(), &counter{}
	blobW := io.MultiWriter(bw, digest, blobN)
	var zw *gzip.Writer
	sink := blobW
	if gz {
		if zw, err = gzip.NewWriterLevel(blobW, gzip.BestSpeed); err != nil {
			return st, err
		}
		sink = zw
	}
	diff, rawN := sha256.New(), &counter{}
	tw := tar.NewWriter(io.MultiWriter(sink, diff, rawN))
	if err := writeEntries(tw, l, pool, &st); err != nil {
		return st, err
	}
	if err := tw.Close(); err != nil {
		return st, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return st, err
		}
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	st.CreatedBy = l.createdBy
	st.DiffID, st.Digest = sum(diff), sum(digest)
	st.UncompressedBytes, st.BlobBytes = rawN.n, blobN.n
	return st, nil
}

func writeEntries(tw *tar.Writer, l planLayer, pool *contentPool, st *LargeLayerStats) error {
	dirs := map[string]bool{}
	for _, e := range l.entries {
		if err := writeParents(tw, path.Dir(e.path), dirs, st); err != nil {
			return err
		}
		hdr := &tar.Header{Name: e.path, Typeflag: tar.TypeReg, Mode: 0o644, ModTime: epoch()}
		if e.whiteout {
			st.Whiteouts++
		} else {
			hdr.Mode, hdr.Uid, hdr.Gid, hdr.Size = e.mode, e.uid, e.gid, e.blob.size
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("writing header of %s: %w", e.path, err)
		}
		if e.blob != nil {
			if err := pool.write(tw, e.blob.id, e.blob.size); err != nil {
				return fmt.Errorf("writing %s: %w", e.path, err)
			}
		}
		st.Entries++
		st.ContentBytes += hdr.Size
	}
	return nil
}

// writeParents writes the directory entries above a file once per layer.
func writeParents(tw *tar.Writer, dir string, done map[string]bool, st *LargeLayerStats) error {
	if dir == "." || dir == "/" || done[dir] {
		return nil
	}
	if err := writeParents(tw, path.Dir(dir), done, st); err != nil {
		return err
	}
	done[dir] = true
	uid := 0
	if strings.HasPrefix(dir, "app/") {
		uid = 1000
	}
	hdr := &tar.Header{Name: dir + "/", Typeflag: tar.TypeDir, Mode: 0o755, Uid: uid, Gid: uid, ModTime: epoch()}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("writing directory %s: %w", dir, err)
	}
	st.Entries++
	return nil
}

func sum(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
}
