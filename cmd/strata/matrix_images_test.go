package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The bad-input matrix builds its images by hand, so that every part of an
// archive or layout can be broken on purpose: these are the pieces.

// mLayer is one layer of a test image.
type mLayer struct {
	tar    []byte  // the uncompressed tar
	stored []byte  // the blob as stored; nil means tar
	file   string  // or: the stored blob, already on disk (big layers)
	size   int64   // the size of file
	diffID v1.Hash // zero: the digest of tar
	media  types.MediaType
}

func (l mLayer) blob() []byte {
	if l.stored != nil {
		return l.stored
	}
	return l.tar
}

func (l mLayer) blobSize() int64 {
	if l.file != "" {
		return l.size
	}
	return int64(len(l.blob()))
}

func (l mLayer) diff() v1.Hash {
	if l.diffID.Hex != "" {
		return l.diffID
	}
	return mDigest(l.tar)
}

// mImage is a test image: its layers and, when not nil, its history (else
// one step per layer).
type mImage struct {
	layers  []mLayer
	history []v1.History
}

func (img mImage) config(t *testing.T) []byte {
	t.Helper()
	cfg := v1.ConfigFile{OS: "linux", Architecture: "amd64", RootFS: v1.RootFS{Type: "layers"}, History: img.history}
	for i, l := range img.layers {
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, l.diff())
		if img.history == nil {
			cfg.History = append(cfg.History, v1.History{CreatedBy: fmt.Sprintf("RUN step %d", i)})
		}
	}
	return mJSON(t, cfg)
}

func mDigest(b []byte) v1.Hash {
	s := sha256.Sum256(b)
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(s[:])}
}

func mSumOf(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
}

func mJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mEntry is one tar member of a layer: a header (Size is set from body for
// regular files when zero) and its body.
type mEntry struct {
	tar.Header
	body string
}

func mFile(name, body string) mEntry {
	return mEntry{Header: tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644}, body: body}
}

func mDir(name string) mEntry {
	return mEntry{Header: tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755}}
}

func mSymlink(name, target string) mEntry {
	return mEntry{Header: tar.Header{Name: name, Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777}}
}

func mHardlink(name, target string) mEntry {
	return mEntry{Header: tar.Header{Name: name, Typeflag: tar.TypeLink, Linkname: target, Mode: 0o644}}
}

// layerTar writes entries as a tar, names exactly as given.
func mLayerTar(t *testing.T, entries ...mEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := e.Header
		h.ModTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		if h.Typeflag == tar.TypeReg && h.Size == 0 {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatalf("writing %q: %v", h.Name, err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// headerBlocks is the header of h as a tar writer writes it (PAX or GNU
// blocks included), without the data it announces.
func mHeaderBlocks(t *testing.T, h tar.Header) []byte {
	t.Helper()
	var b bytes.Buffer
	h.ModTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := tar.NewWriter(&b).WriteHeader(&h); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ustarBlock is a raw 512-byte ustar header whose name field holds name
// byte for byte (NULs included), as no tar writer would write it.
func mUstarBlock(name string, typ byte, size int64) []byte {
	b := make([]byte, 512)
	copy(b[0:100], name)
	copy(b[100:108], "0000644\x00")
	copy(b[108:116], "0000000\x00")
	copy(b[116:124], "0000000\x00")
	copy(b[124:136], fmt.Sprintf("%011o\x00", size))
	copy(b[136:148], "15000000000\x00")
	b[156] = typ
	copy(b[257:265], "ustar\x0000")
	copy(b[148:156], "        ")
	var sum int64
	for _, c := range b {
		sum += int64(c)
	}
	copy(b[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

// rawLayer is raw header blocks, each followed by its body padded to 512
// bytes, and the two zero blocks that end a tar.
func mRawLayer(blocks ...[]byte) []byte {
	var b bytes.Buffer
	for _, blk := range blocks {
		b.Write(blk)
		if pad := len(blk) % 512; pad != 0 {
			b.Write(make([]byte, 512-pad))
		}
	}
	b.Write(make([]byte, 1024))
	return b.Bytes()
}

func mGzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// plain is an image of uncompressed layer tars.
func mPlain(tars ...[]byte) mImage {
	var img mImage
	for _, b := range tars {
		img.layers = append(img.layers, mLayer{tar: b})
	}
	return img
}

// mMember is one member of an outer archive.
type mMember struct {
	name string
	data []byte
	file string // or the contents of this file
	size int64
}

// dockerMembers lays img out as `docker save` does: L<i>/layer.tar,
// config.json and manifest.json.
func mDockerMembers(t *testing.T, img mImage) []mMember {
	t.Helper()
	var ms []mMember
	var names []string
	for i, l := range img.layers {
		name := fmt.Sprintf("L%d/layer.tar", i)
		ms = append(ms, mMember{name: name, data: l.blob(), file: l.file, size: l.size})
		names = append(names, name)
	}
	ms = append(ms, mMember{name: "config.json", data: img.config(t)})
	ms = append(ms, mMember{name: "manifest.json", data: mJSON(t, []map[string]any{
		{"Config": "config.json", "RepoTags": []string{"matrix:latest"}, "Layers": names},
	})})
	return ms
}

// writeArchive writes members as a tar file.
func mWriteArchive(t *testing.T, path string, ms []mMember) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	for _, m := range ms {
		size := int64(len(m.data))
		if m.file != "" {
			size = m.size
		}
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: size}); err != nil {
			t.Fatal(err)
		}
		if m.file != "" {
			src, err := os.Open(m.file)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.Copy(tw, src)
			src.Close()
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := tw.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeDocker writes img as a docker save archive.
func mWriteDocker(t *testing.T, path string, img mImage) string {
	t.Helper()
	return mWriteArchive(t, path, mDockerMembers(t, img))
}

// writeLayout writes img as an OCI layout directory and returns the path
// of each layer's blob.
func mWriteLayout(t *testing.T, dir string, img mImage) []string {
	t.Helper()
	blobs := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		t.Fatal(err)
	}
	put := func(b []byte) v1.Hash {
		h := mDigest(b)
		if err := os.WriteFile(filepath.Join(blobs, h.Hex), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return h
	}
	cfg := img.config(t)
	mf := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
		Config: v1.Descriptor{MediaType: types.OCIConfigJSON, Digest: put(cfg), Size: int64(len(cfg))}}
	var paths []string
	for _, l := range img.layers {
		media := l.media
		if media == "" {
			media = types.OCIUncompressedLayer
		}
		h := put(l.blob())
		mf.Layers = append(mf.Layers, v1.Descriptor{MediaType: media, Digest: h, Size: l.blobSize()})
		paths = append(paths, filepath.Join(blobs, h.Hex))
	}
	rawMf := mJSON(t, mf)
	idx := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex,
		Manifests: []v1.Descriptor{{MediaType: types.OCIManifestSchema1, Digest: put(rawMf), Size: int64(len(rawMf))}}}
	for name, data := range map[string][]byte{
		"oci-layout": []byte(`{"imageLayoutVersion":"1.0.0"}`),
		"index.json": mJSON(t, idx),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// bigGzipLayer streams a layer tar written by fill through gzip into a
// file, and returns the layer with its diffID, without holding either in
// memory.
func mBigGzipLayer(t *testing.T, path string, fill func(tw *tar.Writer) error) mLayer {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	tw := tar.NewWriter(io.MultiWriter(zw, h))
	if err := fill(tw); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return mLayer{file: path, size: st.Size(), diffID: mSumOf(h), media: types.OCILayer}
}

// mZeros is a reader of n zero bytes.
type mZeros struct{ n int64 }

func (z *mZeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), z.n)
	clear(p[:n])
	z.n -= n
	return int(n), nil
}
