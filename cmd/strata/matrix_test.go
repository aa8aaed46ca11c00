// This file is over 400 lines: it is the hostile-input matrix, one row per
// crafted image and what strata must print and exit with, kept as one table
// so that a new class of input adds a row beside the others.

package main

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// matrixRow is one input of the bad-input matrix.
type matrixRow struct {
	name string
	// build writes the input under dir and returns the IMAGE argument and
	// the words strata's error (or warning) line must hold besides it.
	build func(t *testing.T, dir string) (image string, words []string)
	flags []string // given before IMAGE
	code  int      // exitError, or exitOK where the input is legal
	warn  bool     // legal, with one warning line
	// extract also writes the whole image out with strata extract and
	// checks that nothing lands outside the output directory.
	extract bool
	// heavy rows are big (skipped with -short and under -race); their heap
	// is watched and must stay below maxHeap.
	heavy   bool
	maxHeap uint64
	// maxTime bounds the wall time of a row about blocking or --timeout;
	// rows with it or with maxHeap report both figures.
	maxTime time.Duration
	noJSON  bool // too many files for a --json report to be useful
	check   func(t *testing.T, rep *matrixReport)
}

// matrixReport is what the matrix reads of a --json report.
type matrixReport struct {
	Layer []struct {
		SizeBytes int64 `json:"sizeBytes"`
		Command   string
		FileList  []struct {
			Path       string
			Size       int64 `json:"size"`
			StoredSize int64 `json:"storedSize"`
			UID        int64 `json:"uid"`
		}
		FileCount int    `json:"fileCount"`
		DiffID    string `json:"diffId"`
	}
	Image struct {
		SizeBytes uint64 `json:"sizeBytes"`
	}
}

// mNameRow is a row whose one layer holds a file named name, and "ok": the
// input is legal, the name is cleaned, and nothing escapes on extraction.
func mNameRow(what string, entry func(t *testing.T) []byte, wantPaths ...string) matrixRow {
	return matrixRow{name: "entry name " + what, code: exitOK, extract: true,
		build: func(t *testing.T, dir string) (string, []string) {
			return mWriteDocker(t, filepath.Join(dir, "names.tar"), mPlain(entry(t))), nil
		},
		check: func(t *testing.T, rep *matrixReport) {
			var got []string
			for _, f := range rep.Layer[0].FileList {
				got = append(got, f.Path)
			}
			if !slices.Equal(got, wantPaths) {
				t.Errorf("the layer lists %q, want %q", got, wantPaths)
			}
		}}
}

// mTwoLayers is a small legal image.
func mTwoLayers(t *testing.T) mImage {
	return mPlain(
		mLayerTar(t, mDir("etc/"), mFile("etc/passwd", "root:x:0:0::/root:/bin/sh\n"), mFile("etc/motd", "hello\n")),
		mLayerTar(t, mFile("etc/motd", "changed\n"), mFile("app", "binary")))
}

// mAbsName is the absolute entry name of its row: unique, so that a file of
// that name at the real root would be noticed.
var mAbsName = fmt.Sprintf("/strata-matrix-%d-abs", os.Getpid())

func matrixRows() []matrixRow {
	fakeDiffID := mDigest([]byte("not the layer"))
	diffIDRow := func(dir string, t *testing.T) (string, []string) {
		img := mTwoLayers(t)
		real := mDigest(img.layers[1].tar)
		img.layers[1].diffID = fakeDiffID
		return mWriteDocker(t, filepath.Join(dir, "diffid.tar"), img), []string{"layer 1", "diffID", real.String(), fakeDiffID.String()}
	}
	return []matrixRow{
		{name: "truncated outer tar", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				p := mWriteDocker(t, filepath.Join(dir, "truncated.tar"), mTwoLayers(t))
				mTruncate(t, p, 1024+512+100) // inside the first layer's data
				return p, []string{"truncated"}
			}},
		{name: "truncated layer", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mTwoLayers(t)
				img.layers[0].tar = img.layers[0].tar[:700] // in the second entry's header
				return mWriteDocker(t, filepath.Join(dir, "short-layer.tar"), img), []string{"layer 0", "unexpected EOF"}
			}},
		{name: "corrupt gzip", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mTwoLayers(t)
				// A gzip header, then a deflate block of the reserved type.
				img.layers[1].stored = append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, []byte(strings.Repeat("\xff", 300))...)
				img.layers[1].media = types.OCILayer
				mWriteLayout(t, dir, img)
				return dir, []string{"layer 1", "corrupt"}
			}},
		{name: "corrupt zstd", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mTwoLayers(t)
				img.layers[1].stored = append([]byte{0x28, 0xb5, 0x2f, 0xfd}, []byte(strings.Repeat("\xff\x00\x13", 100))...)
				img.layers[1].media = types.OCILayerZStd
				mWriteLayout(t, dir, img)
				return dir, []string{"layer 1", "frame header"}
			}},
		{name: "layer digest ≠ manifest", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mTwoLayers(t)
				img.layers[1].stored = mGzipped(t, img.layers[1].tar)
				img.layers[1].media = types.OCILayer
				blobs := mWriteLayout(t, dir, img)
				// The gzip header's mtime: the stored bytes change, what
				// they decompress to does not.
				raw := img.layers[1].stored
				raw[4] ^= 0x55
				if err := os.WriteFile(blobs[1], raw, 0o644); err != nil {
					t.Fatal(err)
				}
				return dir, []string{"layer 1", "digest", filepath.Base(blobs[1]), mDigest(raw).String()}
			}},
		{name: "diffID ≠ uncompressed digest", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) { return diffIDRow(dir, t) }},
		{name: "diffID ≠ uncompressed digest, --ignore-errors", code: exitOK, warn: true, flags: []string{"--ignore-errors"},
			build: func(t *testing.T, dir string) (string, []string) { return diffIDRow(dir, t) }},
		{name: "diffID ≠ uncompressed digest, --verify=false", code: exitOK, flags: []string{"--verify=false"},
			build: func(t *testing.T, dir string) (string, []string) {
				p, _ := diffIDRow(dir, t)
				return p, nil
			},
			check: func(t *testing.T, rep *matrixReport) {
				if got := rep.Layer[1].DiffID; got != fakeDiffID.String() {
					t.Errorf("layer 1's diffId is %s, want the declared %s", got, fakeDiffID)
				}
			}},
		{name: "manifest.json names a missing member", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				ms := mDockerMembers(t, mTwoLayers(t))
				ms[1].name = "elsewhere/layer.tar"
				return mWriteArchive(t, filepath.Join(dir, "missing-member.tar"), ms), []string{"layer 1", "L1/layer.tar", "does not exist"}
			}},
		{name: "index.json with zero manifests", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				mWriteLayout(t, dir, mTwoLayers(t))
				writeFile(t, dir, "index.json", `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`)
				return dir, []string{"index.json", "no image"}
			}},
		{name: "config blob missing", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mTwoLayers(t)
				mWriteLayout(t, dir, img)
				cfg := mDigest(img.config(t))
				if err := os.Remove(filepath.Join(dir, "blobs", "sha256", cfg.Hex)); err != nil {
					t.Fatal(err)
				}
				return dir, []string{"config", cfg.String()}
			}},
		{name: "history longer than the layers", code: exitOK,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mTwoLayers(t)
				for i := range 5 {
					img.history = append(img.history, v1.History{CreatedBy: fmt.Sprint("RUN long ", i)})
				}
				return mWriteDocker(t, filepath.Join(dir, "long-history.tar"), img), nil
			},
			check: func(t *testing.T, rep *matrixReport) {
				if rep.Layer[1].Command != "RUN long 1" {
					t.Errorf("layer 1's command is %q, want the second step", rep.Layer[1].Command)
				}
			}},
		{name: "history shorter than the layers", code: exitOK, extract: true,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mTwoLayers(t)
				img.history = []v1.History{{CreatedBy: "ADD base"}}
				return mWriteDocker(t, filepath.Join(dir, "short-history.tar"), img), nil
			},
			check: func(t *testing.T, rep *matrixReport) {
				if rep.Layer[0].Command != "ADD base" || rep.Layer[1].Command != "" {
					t.Errorf("commands %q, %q; want the one step, then none", rep.Layer[0].Command, rep.Layer[1].Command)
				}
			}},
		mNameRow("../x", func(t *testing.T) []byte { return mLayerTar(t, mFile("../x", "up"), mFile("ok", "1")) }, "ok", "x"),
		mNameRow("/abs", func(t *testing.T) []byte { return mLayerTar(t, mFile(mAbsName, "abs"), mFile("ok", "1")) }, "ok", mAbsName[1:]),
		mNameRow("a/../../b", func(t *testing.T) []byte { return mLayerTar(t, mFile("a/../../b", "b"), mFile("ok", "1")) }, "b", "ok"),
		mNameRow("empty", func(t *testing.T) []byte {
			return mRawLayer(mUstarBlock("", tar.TypeReg, 0), mUstarBlock("ok", tar.TypeReg, 0))
		}, "ok"),
		mNameRow(".", func(t *testing.T) []byte { return mLayerTar(t, mFile(".", "dot"), mDir("./"), mFile("ok", "1")) }, "ok"),
		mNameRow("4 KB long", func(t *testing.T) []byte {
			return mLayerTar(t, mFile(mLongName(), "long"), mFile("ok", "1"))
		}, mLongName(), "ok"),
		mNameRow("invalid UTF-8", func(t *testing.T) []byte {
			return mLayerTar(t, mFile("bad-\xff\xfe-name", "x"), mFile("ok", "1"))
		}, "bad-\ufffd\ufffd-name", "ok"),
		mNameRow("NUL", func(t *testing.T) []byte {
			return mRawLayer(mUstarBlock("nul\x00hidden", tar.TypeReg, 0), mUstarBlock("ok", tar.TypeReg, 0))
		}, "nul", "ok"),
		{name: "symlink loop", code: exitOK, extract: true,
			build: func(t *testing.T, dir string) (string, []string) {
				l := mLayerTar(t, mSymlink("a", "b"), mSymlink("b", "a"), mSymlink("self", "self"), mSymlink("d/x", "../d"))
				return mWriteDocker(t, filepath.Join(dir, "loop.tar"), mPlain(l)), nil
			}},
		{name: "hard link to a missing target", code: exitOK, extract: true,
			build: func(t *testing.T, dir string) (string, []string) {
				l := mLayerTar(t, mFile("ok", "1"), mHardlink("h", "nothere"))
				return mWriteDocker(t, filepath.Join(dir, "hardlink.tar"), mPlain(l)), nil
			}},
		{name: "a directory replaced by a file and back", code: exitOK, extract: true,
			build: func(t *testing.T, dir string) (string, []string) {
				img := mPlain(mLayerTar(t, mDir("d/"), mFile("d/f", "1")), mLayerTar(t, mFile("d", "a file")), mLayerTar(t, mDir("d/"), mFile("d/g", "2")))
				return mWriteDocker(t, filepath.Join(dir, "flip.tar"), img), nil
			}},
		{name: "header size of 1 TB with no data (a file)", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				l := mRawLayer(mHeaderBlocks(t, tar.Header{Name: "huge", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1 << 40}))
				return mWriteDocker(t, filepath.Join(dir, "tb-file.tar"), mPlain(l)), []string{"layer 0", "huge", "unexpected EOF"}
			}},
		{name: "header size of 1 TB with no data (a directory)", code: exitOK, extract: true,
			build: func(t *testing.T, dir string) (string, []string) {
				l := mRawLayer(mHeaderBlocks(t, tar.Header{Name: "huge/", Typeflag: tar.TypeDir, Mode: 0o755, Size: 1 << 40}))
				return mWriteDocker(t, filepath.Join(dir, "tb-dir.tar"), mPlain(l)), nil
			},
			check: func(t *testing.T, rep *matrixReport) {
				if rep.Image.SizeBytes != 0 {
					t.Errorf("the image size is %d, want 0", rep.Image.SizeBytes)
				}
			}},
		{name: "1 million empty files in one layer", code: exitOK, heavy: true, maxHeap: 1 << 30, noJSON: true,
			build: func(t *testing.T, dir string) (string, []string) {
				l := mBigGzipLayer(t, filepath.Join(dir, "million.gz"), func(tw *tar.Writer) error {
					for d := range 1000 {
						name := fmt.Sprintf("d%03d/", d)
						if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
							return err
						}
						for f := range 1000 {
							if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("%sf%03d", name, f), Typeflag: tar.TypeReg, Mode: 0o644}); err != nil {
								return err
							}
						}
					}
					return nil
				})
				return mWriteDocker(t, filepath.Join(dir, "million.tar"), mImage{layers: []mLayer{l}}), nil
			}},
		{name: "gzip bomb (1 GB of zeros)", code: exitOK, heavy: true, maxHeap: 256 << 20,
			build: func(t *testing.T, dir string) (string, []string) {
				l := mBigGzipLayer(t, filepath.Join(dir, "bomb.gz"), func(tw *tar.Writer) error {
					if err := tw.WriteHeader(&tar.Header{Name: "zeros", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1 << 30}); err != nil {
						return err
					}
					_, err := io.Copy(tw, &mZeros{n: 1 << 30})
					return err
				})
				return mWriteDocker(t, filepath.Join(dir, "bomb.tar"), mImage{layers: []mLayer{l}}), nil
			},
			check: func(t *testing.T, rep *matrixReport) {
				if rep.Image.SizeBytes != 1<<30 {
					t.Errorf("the image size is %d, want 1 GiB", rep.Image.SizeBytes)
				}
			}},
		{name: "a tar that is not an image", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				return mWriteArchive(t, filepath.Join(dir, "files.tar"), []mMember{{name: "etc/passwd", data: []byte("root:x:0:0::/root:/bin/sh\n")}}),
					[]string{"not an image", "manifest.json", "index.json"}
			}},
		{name: "an empty file", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				return writeFile(t, dir, "empty.tar", ""), []string{"not an image", "empty"}
			}},
		{name: "a directory that is not a layout", code: exitError,
			build: func(t *testing.T, dir string) (string, []string) {
				writeFile(t, dir, "hello.txt", "hi\n")
				return dir, []string{"not an OCI layout", "index.json"}
			}},
	}
}

// longName is a 4 KB path: 16 directories of 250 bytes and a file.
func mLongName() string {
	var parts []string
	for i := range 16 {
		parts = append(parts, fmt.Sprintf("%02d", i)+strings.Repeat("n", 248))
	}
	return strings.Join(append(parts, "file"), "/")
}

func mTruncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

// TestMatrix runs strata inspect on every input of the matrix, each built
// here, and checks the exit code, that stderr holds exactly one line naming
// the input and the problem (none for legal input, one warning for a legal
// input with --ignore-errors), that no panic, goroutine, temporary file or
// partial --json report is left, and for heavy inputs that the heap stayed
// bounded. `go test -run TestMatrix -v` prints what strata answered, one
// line per row.
func TestMatrix(t *testing.T) {
	work := t.TempDir()
	tmp := filepath.Join(work, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	// os.CreateTemp, as the sources use it, writes in $TMPDIR.
	t.Setenv("TMPDIR", tmp)
	// The first run starts os/signal's goroutine, which stays: start it
	// before the goroutines are counted.
	if r := strata(t, noEnv, "version"); r.code != exitOK {
		t.Fatal(r)
	}
	var table []string
	defer func() { t.Log("the matrix:\n" + strings.Join(table, "\n")) }()
	for i, row := range slices.Concat(matrixRows(), hostileMatrixRows(), layerMatrixRows()) {
		t.Run(row.name, func(t *testing.T) {
			if row.heavy && (testing.Short() || raceEnabled) {
				t.Skip("heavy: skipped with -short and under -race")
			}
			dir := filepath.Join(work, fmt.Sprintf("row%02d", i))
			for _, d := range []string{filepath.Join(dir, "input"), filepath.Join(dir, "cwd"), filepath.Join(dir, "out")} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			image, words := row.build(t, filepath.Join(dir, "input"))
			t.Chdir(filepath.Join(dir, "cwd"))
			report := filepath.Join(dir, "out", "report.json")
			args := []string{"inspect"}
			if !row.noJSON {
				args = append(args, "--json", report)
			}
			args = append(append(args, row.flags...), image)

			r, peak, elapsed := matrixRun(t, args)
			if r.code == exitOK && !row.noJSON {
				r = wantWroteJSON(t, r, report)
			}
			line := strings.Join(lines(r.stderr), " | ")
			if line == "" {
				line = "(nothing on stderr)"
			}
			outcome := fmt.Sprintf("%-50s → exit %d  %s", row.name, r.code, strings.ReplaceAll(line, work, "$W"))
			if row.heavy || row.maxHeap > 0 || row.maxTime > 0 {
				outcome += fmt.Sprintf("  [peak heap %d MB, %s]", peak>>20, elapsed.Round(time.Millisecond))
			}
			table = append(table, outcome)
			t.Log(outcome)

			checkMatrixOutcome(t, row, r, image, words)
			if row.maxHeap > 0 && peak > row.maxHeap {
				t.Errorf("the heap reached %d MB, more than %d MB", peak>>20, row.maxHeap>>20)
			}
			if row.maxTime > 0 && elapsed > row.maxTime {
				t.Errorf("strata took %s, more than %s", elapsed.Round(time.Millisecond), row.maxTime)
			}
			if es, _ := os.ReadDir(tmp); len(es) > 0 {
				t.Errorf("temporary files left in $TMPDIR: %v", dirNames(t, tmp))
				for _, e := range es {
					os.RemoveAll(filepath.Join(tmp, e.Name()))
				}
			}
			out := dirNames(t, filepath.Join(dir, "out"))
			switch {
			case row.noJSON:
			case r.code == exitOK:
				if !slices.Equal(out, []string{"report.json"}) {
					t.Errorf("the output directory holds %v, want only report.json", out)
				}
				rep := readMatrixReport(t, report)
				if row.check != nil {
					row.check(t, rep)
				}
			default:
				if len(out) > 0 {
					t.Errorf("a failed run left %v beside the report's path", out)
				}
			}
			if row.extract {
				checkMatrixExtract(t, work, dir, image)
			}
		})
	}
}

// checkMatrixOutcome checks the exit code and the streams.
func checkMatrixOutcome(t *testing.T, row matrixRow, r result, image string, words []string) {
	t.Helper()
	if r.code != row.code {
		t.Errorf("exit code %d, want %d\n%s", r.code, row.code, r)
	}
	for _, bad := range []string{"panic", "goroutine ", "internal error"} {
		if strings.Contains(r.stderr, bad) {
			t.Errorf("stderr holds %q:\n%s", bad, r)
		}
	}
	got := lines(r.stderr)
	if i := strings.IndexFunc(r.stderr, unsafeForTerminal); i >= 0 {
		t.Errorf("stderr holds %q:\n%s", []rune(r.stderr[i:])[0], r)
	}
	switch {
	case row.code == exitOK && !row.warn:
		if len(got) > 0 {
			t.Errorf("legal input, yet stderr says:\n%s", r.stderr)
		}
		return
	case row.warn:
		if len(got) != 1 || !strings.HasPrefix(got[0], "strata: warning: ") {
			t.Fatalf("want one warning line on stderr:\n%s", r)
		}
	default:
		if r.stdout != "" {
			t.Errorf("stdout is not empty:\n%s", r)
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], "strata: ") {
			t.Fatalf("want one line on stderr starting with \"strata: \":\n%s", r)
		}
	}
	if !strings.Contains(got[0], image) {
		t.Errorf("%q does not name the input %s", got[0], image)
	}
	said := strings.ReplaceAll(got[0], image, "")
	for _, w := range words {
		if !strings.Contains(said, w) {
			t.Errorf("%q does not say %q", got[0], w)
		}
	}
}

// matrixRun runs strata in-process and returns what it answered, the peak
// of the heap while it ran, and how long it took. It waits for the
// goroutines strata started to end, and fails the test if they do not.
func matrixRun(t *testing.T, args []string) (result, uint64, time.Duration) {
	t.Helper()
	runtime.GC()
	g0 := runtime.NumGoroutine()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	start := time.Now()
	r := strata(t, noEnv, args...)
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	for deadline := time.Now().Add(3 * time.Second); runtime.NumGoroutine() > g0; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines before strata ran, %d after:\n%s", g0, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return r, peak, elapsed
}

func readMatrixReport(t *testing.T, path string) *matrixReport {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep matrixReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("the report is not JSON: %v", err)
	}
	return &rep
}

// checkMatrixExtract extracts the whole image into dir/x and checks that every
// file it wrote is there: nothing new anywhere else under work, nor at the
// real root.
func checkMatrixExtract(t *testing.T, work, dir, image string) {
	t.Helper()
	before := mAllPaths(t, work)
	dest := filepath.Join(dir, "x")
	r := strata(t, noEnv, "extract", "-o", dest, image, "/")
	t.Logf("strata extract: exit %d, %s", r.code, strings.Join(append(lines(r.stdout), lines(r.stderr)...), " | "))
	if r.code != exitOK {
		wantOneError(t, r, image)
	}
	for _, p := range mAllPaths(t, work) {
		if !slices.Contains(before, p) && p != dest && !strings.HasPrefix(p, dest+string(filepath.Separator)) {
			t.Errorf("extract wrote %s, outside %s", p, dest)
		}
	}
	if _, err := os.Lstat(mAbsName); err == nil {
		os.Remove(mAbsName)
		t.Errorf("extract wrote %s", mAbsName)
	}
}

func mAllPaths(t *testing.T, root string) []string {
	t.Helper()
	var ps []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ps = append(ps, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}
