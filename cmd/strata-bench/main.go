package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/strata-dev/strata/internal/imagetest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "strata-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", os.TempDir(), "`directory` that caches the generated images")
	rounds := flag.Int("rounds", 5, "timed rounds; the medians are reported")
	seed := flag.Int64("seed", 1, "seed of the generated image")
	layers := flag.Int("layers", 13, "layers of the generated image")
	files := flag.Int("files", 250_000, "about how many files the generated image holds")
	size := flag.Int64("bytes", 1<<30, "total bytes of file content in the generated image")
	forms := flag.String("forms", "plain,gzip", "which forms to measure: plain, gzip or both")
	flag.Parse()
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

	tmp, err := os.MkdirTemp("", "strata-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	logf("building strata")
	bin, err := buildStrata(tmp)
	if err != nil {
		return err
	}
	fmt.Printf("GOMAXPROCS %d, %s/%s, %d rounds, medians\n\n", runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, *rounds)
	for _, form := range []string{"plain", "gzip"} {
		if !slices.Contains(strings.Split(*forms, ","), form) {
			continue
		}
		o := imagetest.LargeOptions{Seed: *seed, Layers: *layers, Files: *files, TotalBytes: *size, Gzip: form == "gzip"}
		logf("%s: generating the image unless %s has it", form, *dir)
		path, st, err := imagetest.CachedLarge(*dir, o)
		if err != nil {
			return err
		}
		if err := measure(bin, path, st, form, *rounds, filepath.Join(tmp, "report.json"), logf); err != nil {
			return err
		}
	}
	return nil
}

// measure times the floors and strata on one image, interleaved round by
// round so that all see the same page cache, after one untimed warm-up.
func measure(bin, path string, st imagetest.LargeStats, form string, rounds int, out string, logf func(string, ...any)) error {
	fmt.Printf("%s: %s\n", form, path)
	fmt.Printf("  %d layers, %d tar entries (%d whiteouts), %.0f MB uncompressed, %.0f MB archive\n",
		len(st.Layers), st.Entries, st.Whiteouts, mb(st.UncompressedBytes), mb(st.ArchiveBytes))
	logf("%s: warming up", form)
	if _, _, err := floor(path, 1); err != nil {
		return err
	}
	if _, err := runStrata(bin, path, out); err != nil {
		return err
	}
	var single, parallel, strata []time.Duration
	var rss []int64
	for i := range rounds {
		logf("%s: round %d of %d", form, i+1, rounds)
		d, n, err := floor(path, 1)
		if err != nil {
			return err
		}
		if n != st.UncompressedBytes {
			return fmt.Errorf("the floor read %d bytes, the image has %d", n, st.UncompressedBytes)
		}
		single = append(single, d)
		if d, _, err = floor(path, runtime.GOMAXPROCS(0)); err != nil {
			return err
		}
		parallel = append(parallel, d)
		r, err := runStrata(bin, path, out)
		if err != nil {
			return err
		}
		strata = append(strata, r.wall)
		rss = append(rss, r.maxRSS)
	}
	f, p, s, m := median(single), median(parallel), median(strata), median(rss)
	fmt.Printf("  floor, 1 goroutine       %8.0f ms  %6.0f MB/s\n", ms(f), mb(st.UncompressedBytes)/f.Seconds())
	fmt.Printf("  floor, %d goroutines      %8.0f ms  %6.0f MB/s\n", runtime.GOMAXPROCS(0), ms(p), mb(st.UncompressedBytes)/p.Seconds())
	fmt.Printf("  strata inspect --json    %8.0f ms  %6.0f MB/s  (min %.0f, max %.0f)\n",
		ms(s), mb(st.UncompressedBytes)/s.Seconds(), ms(slices.Min(strata)), ms(slices.Max(strata)))
	fmt.Printf("  strata ÷ floor           %8.2f      (÷ parallel floor %.2f)\n", s.Seconds()/f.Seconds(), s.Seconds()/p.Seconds())
	fmt.Printf("  strata peak RSS          %8.0f MB     %.0f bytes per tar entry\n\n", mb(m), float64(m)/float64(st.Entries))
	return nil
}

func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mb(n int64) float64         { return float64(n) / 1e6 }
