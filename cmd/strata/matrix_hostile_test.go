package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The matrix rows of the second hostile-input round that the sources
// answer: documents that would fill memory or block (class 1), indexes
// that fan out (class 4), metadata changed after it was written (class 9),
// empty fields (class 11) and names made to drive a terminal (class 6).
// Rows about memory or blocking give a heap cap and a time bound.

// unsafeForTerminal says whether r would make a terminal do something
// other than show it: a control character other than LF, a C1 control, a
// format character (bidi, zero-width) or a line separator.
func unsafeForTerminal(r rune) bool {
	return r != '\n' && unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// mLayoutDocs are the paths and descriptors of a layout's documents.
type mLayoutDocs struct {
	dir, index, manifest, config string
	manifestDesc                 v1.Descriptor
	mf                           v1.Manifest
}

// mLayout writes a small good image as a layout in dir and finds its
// documents.
func mLayout(t *testing.T, dir string) mLayoutDocs {
	t.Helper()
	mWriteLayout(t, dir, mTwoLayers(t))
	l := mLayoutDocs{dir: dir, index: filepath.Join(dir, "index.json")}
	var idx v1.IndexManifest
	mReadJSON(t, l.index, &idx)
	l.manifestDesc = idx.Manifests[0]
	l.manifest = filepath.Join(dir, "blobs", "sha256", l.manifestDesc.Digest.Hex)
	mReadJSON(t, l.manifest, &l.mf)
	l.config = filepath.Join(dir, "blobs", "sha256", l.mf.Config.Digest.Hex)
	return l
}

func mReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// put writes a blob into the layout and returns its descriptor.
func (l mLayoutDocs) put(t *testing.T, b []byte, mt types.MediaType) v1.Descriptor {
	t.Helper()
	h := mDigest(b)
	if err := os.WriteFile(filepath.Join(l.dir, "blobs", "sha256", h.Hex), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return v1.Descriptor{MediaType: mt, Digest: h, Size: int64(len(b))}
}

func (l mLayoutDocs) indexOf(t *testing.T, ds ...v1.Descriptor) []byte {
	return mJSON(t, v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds})
}

func (l mLayoutDocs) setIndex(t *testing.T, ds ...v1.Descriptor) {
	t.Helper()
	if err := os.WriteFile(l.index, l.indexOf(t, ds...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mReplace puts what make creates in place of path.
func mReplace(t *testing.T, path string, make func(string) error) {
	t.Helper()
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	if err := make(path); err != nil {
		t.Fatal(err)
	}
}

func mFifo(path string) error { return syscall.Mkfifo(path, 0o644) }

// mFlip changes one hex digit of the last digest in a file, keeping its
// size.
func mFlip(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.LastIndex(string(raw), "sha256:") + len("sha256:")
	raw[i] ^= 1
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mBigConfig is a docker archive of a small image whose config is padded
// to about size bytes with empty history entries.
func mBigConfig(t *testing.T, size int) []mMember {
	t.Helper()
	img := mTwoLayers(t)
	ms := mDockerMembers(t, img)
	cfg := string(img.config(t))
	i := strings.Index(cfg, `"history":[`) + len(`"history":[`)
	pad := strings.Repeat("{},", (size-len(cfg))/3)
	for j := range ms {
		if ms[j].name == "config.json" {
			ms[j].data = []byte(cfg[:i] + pad + cfg[i:])
		}
	}
	return ms
}

func hostileMatrixRows() []matrixRow {
	const heap = 64 << 20 // a small image's load stays far below this
	timeout := []string{"--timeout", "3s"}
	layout := func(change func(t *testing.T, l mLayoutDocs), words ...string) func(t *testing.T, dir string) (string, []string) {
		return func(t *testing.T, dir string) (string, []string) {
			l := mLayout(t, dir)
			change(t, l)
			return dir, words
		}
	}
	fanOut := func(wide, deep int) func(t *testing.T, l mLayoutDocs) {
		return func(t *testing.T, l mLayoutDocs) {
			d := l.manifestDesc
			d.Platform = &v1.Platform{OS: "linux", Architecture: "amd64"}
			for range deep {
				ds := make([]v1.Descriptor, wide)
				for i := range ds {
					ds[i] = d
				}
				d = l.put(t, l.indexOf(t, ds...), types.OCIImageIndex)
			}
			l.setIndex(t, d)
		}
	}
	return []matrixRow{
		// Class 1.
		{name: "index.json → /dev/zero", code: exitError, flags: timeout, maxHeap: heap, maxTime: 5 * time.Second,
			build: layout(func(t *testing.T, l mLayoutDocs) {
				mReplace(t, l.index, func(p string) error { return os.Symlink("/dev/zero", p) })
			}, "index.json", "leads out of the layout directory")},
		{name: "index.json is a FIFO", code: exitError, flags: timeout, maxHeap: heap, maxTime: 5 * time.Second,
			build: layout(func(t *testing.T, l mLayoutDocs) { mReplace(t, l.index, mFifo) }, "index.json is a named pipe")},
		{name: "index.json is a 1 TiB sparse file", code: exitError, flags: timeout, maxHeap: heap, maxTime: 5 * time.Second,
			build: layout(func(t *testing.T, l mLayoutDocs) {
				mReplace(t, l.index, func(p string) error {
					f, err := os.Create(p)
					if err != nil {
						return err
					}
					defer f.Close()
					return f.Truncate(1 << 40)
				})
			}, "index.json is 1.0 TiB, over the 4.0 MiB cap")},
		{name: "config blob is a FIFO", code: exitError, flags: timeout, maxHeap: heap, maxTime: 5 * time.Second,
			build: layout(func(t *testing.T, l mLayoutDocs) { mReplace(t, l.config, mFifo) }, "config sha256:", "is a named pipe")},
		{name: "the image is a FIFO", code: exitError, flags: timeout, maxHeap: heap, maxTime: 5 * time.Second,
			build: func(t *testing.T, dir string) (string, []string) {
				p := filepath.Join(dir, "image.tar")
				if err := mFifo(p); err != nil {
					t.Fatal(err)
				}
				return p, []string{"not an image", "a named pipe"}
			}},
		{name: "manifest.json of 9 MiB", code: exitError, maxHeap: heap, maxTime: 10 * time.Second,
			build: func(t *testing.T, dir string) (string, []string) {
				ms := mDockerMembers(t, mTwoLayers(t))
				ms[len(ms)-1].data = []byte("[" + strings.Repeat(" ", 9<<20-2) + "]")
				return mWriteArchive(t, filepath.Join(dir, "big-manifest.tar"), ms), []string{"manifest.json is 9.0 MiB, over the 8.0 MiB cap"}
			}},

		{name: "a config of 2.8 million empty history entries (just under 8 MiB)", code: exitOK, heavy: true, maxHeap: 1 << 30, maxTime: 60 * time.Second, noJSON: true,
			build: func(t *testing.T, dir string) (string, []string) {
				return mWriteArchive(t, filepath.Join(dir, "history.tar"), mBigConfig(t, 8<<20-1024)), nil
			}},
		{name: "a config of 9 MiB", code: exitError, maxHeap: heap, maxTime: 10 * time.Second,
			build: func(t *testing.T, dir string) (string, []string) {
				return mWriteArchive(t, filepath.Join(dir, "big-config.tar"), mBigConfig(t, 9<<20)), []string{"config.json is 9.0 MiB, over the 8.0 MiB cap"}
			}},

		// Class 4.
		{name: "indexes 40 wide, 5 deep (100 million descriptors)", code: exitOK, flags: timeout, maxHeap: heap, maxTime: 10 * time.Second,
			build: layout(fanOut(40, 5))},
		{name: "indexes 2001 wide, 6 deep", code: exitError, flags: timeout, maxHeap: heap, maxTime: 10 * time.Second,
			build: layout(fanOut(2001, 6), "index.json", "more than 10000 manifests")},

		// Class 9.
		{name: "manifest blob changed", code: exitError,
			build: layout(func(t *testing.T, l mLayoutDocs) { mFlip(t, l.manifest) }, "manifest sha256:", "its digest is sha256:")},
		{name: "config blob changed, --verify=false", code: exitError, flags: []string{"--verify=false"},
			build: layout(func(t *testing.T, l mLayoutDocs) { mFlip(t, l.config) }, "config sha256:", "its digest is sha256:")},
		{name: "index gives the manifest a wrong size", code: exitError,
			build: layout(func(t *testing.T, l mLayoutDocs) {
				d := l.manifestDesc
				d.Size--
				l.setIndex(t, d)
			}, "manifest sha256:", "its descriptor gives")},

		// Class 11.
		{name: "manifest.json is [null]", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				ms := mDockerMembers(t, mTwoLayers(t))
				ms[len(ms)-1].data = []byte(`[null]`)
				return mWriteArchive(t, filepath.Join(dir, "null.tar"), ms), []string{"manifest.json: image 1 names no config"}
			}},

		// Class 6, in the sources' messages.
		{name: "platforms that forge a line and hide text", code: exitError,
			build: layout(func(t *testing.T, l mLayoutDocs) {
				var ds []v1.Descriptor
				for _, arch := range []string{"arm\x1b[8m", "s390x\r\nResult: PASS", "\u202eevil"} {
					d := l.manifestDesc
					d.Platform = &v1.Platform{OS: "linux", Architecture: arch}
					ds = append(ds, d)
				}
				l.setIndex(t, ds...)
			}, `linux/arm\x1b[8m`, `linux/s390x\r\nResult: PASS`, `linux/\u202eevil`)},
		{name: "a config name that clears the screen", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				ms := mDockerMembers(t, mTwoLayers(t))
				ms[len(ms)-1].data = mJSON(t, []map[string]any{{"Config": "\x1b[2J\x1b]8;;http://x\x07c.json", "Layers": []string{"L0/layer.tar", "L1/layer.tar"}}})
				return mWriteArchive(t, filepath.Join(dir, "esc.tar"), ms), []string{`\x1b[2J\x1b]8;;http://x\x07c.json`, "does not hold"}
			}},
	}
}
