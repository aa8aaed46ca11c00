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
	"github.com/strata-dev/strata/internal/textsafe"
)

func main() {
	if err := run(); err != nil {
		// Errors may quote an archive's layer IDs and names: escaped.
		fmt.Fprintln(os.Stderr, "strata-bench:", textsafe.Message(err.Error()))
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
	prebuilt := flag.String("strata", "", "the strata `binary` to measure (default: build ./cmd/strata)")
	archive := flag.String("image", "", "measure this `archive` (docker save, OCI archive) instead of the generated images")
	flag.Parse()
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

	tmp, err := os.MkdirTemp("", "strata-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := *prebuilt
	if bin == "" {
		logf("building strata")
		if bin, err = buildStrata(tmp); err != nil {
			return err
		}
	}
	fmt.Printf("GOMAXPROCS %d, %s/%s, %d rounds, medians\n\n", runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, *rounds)
	if *archive != "" {
		logf("counting the entries of %s", *archive)
		st, err := archiveStats(*archive)
		if err != nil {
			return err
		}
		return measure(bin, *archive, st, "image", *rounds, filepath.Join(tmp, "report.json"), logf)
	}
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
	procs := runtime.GOMAXPROCS(0)
	passes := []struct {
		name string
		pass
	}{
		{"floor, 1 goroutine", pass{parallel: 1}},
		{fmt.Sprintf("floor, %d goroutines", procs), pass{parallel: procs}},
		{"floor + sha256, 1 goroutine", pass{parallel: 1, verify: true}},
		{fmt.Sprintf("floor + sha256, %d goroutines", procs), pass{parallel: procs, verify: true}},
	}
	// Each run of strata is printed with a ratio: to the verifying floor,
	// to the plain floor, or to the first run of its group.
	const (
		toShaFloor = iota
		toFloor
		toFirst
	)
	runs := []struct {
		name   string
		report bool // --json FILE, else --no-tui: the summary alone
		flags  []string
		ratio  int
	}{
		{"strata inspect --json", true, []string{"--no-cache"}, toShaFloor},
		{"  with --verify=false", true, []string{"--no-cache", "--verify=false"}, toFloor},
		{"  again, every layer cached", true, nil, toFirst},
		{"strata inspect --no-tui", false, []string{"--no-cache"}, toShaFloor},
		{"  again, every layer cached", false, nil, toFirst},
	}
	logf("%s: warming up", form)
	if _, _, err := floor(path, passes[0].pass); err != nil {
		return err
	}
	// The warm-up also fills the layer cache (in a directory of this
	// run's own) that the last row reads; the other rows never use it.
	if _, err := runStrata(bin, path, out, true); err != nil {
		return err
	}
	times := make([][]timing, len(passes)+len(runs))
	rss := make([][]int64, len(runs))
	for i := range rounds {
		logf("%s: round %d of %d", form, i+1, rounds)
		for j, p := range passes {
			t, n, err := floor(path, p.pass)
			if err != nil {
				return err
			}
			if n != st.UncompressedBytes {
				return fmt.Errorf("the floor read %d bytes, the image has %d", n, st.UncompressedBytes)
			}
			times[j] = append(times[j], t)
		}
		for j, r := range runs {
			res, err := runStrata(bin, path, out, r.report, r.flags...)
			if err != nil {
				return err
			}
			times[len(passes)+j] = append(times[len(passes)+j], res.timing)
			rss[j] = append(rss[j], res.maxRSS)
		}
	}
	line := func(name string, ts []timing) timing {
		t := timing{median(wall(ts)), median(cpu(ts))}
		fmt.Printf("  %-30s %7.0f ms  %5.0f MB/s  cpu %6.0f ms  (min %.0f, max %.0f)\n", name, ms(t.wall),
			mb(st.UncompressedBytes)/t.wall.Seconds(), ms(t.cpu), ms(slices.Min(wall(ts))), ms(slices.Max(wall(ts))))
		return t
	}
	var floors []timing
	for j, p := range passes {
		floors = append(floors, line(p.name, times[j]))
	}
	var first timing
	for j, r := range runs {
		s := line(r.name, times[len(passes)+j])
		switch r.ratio {
		case toShaFloor:
			first = s
			fmt.Printf("  %-30s %7.2f     (÷ %d-goroutine floor + sha256, the limit of checking every digest: %.2f)\n",
				"  ÷ 1-goroutine floor", s.wall.Seconds()/floors[0].wall.Seconds(), procs, s.wall.Seconds()/floors[3].wall.Seconds())
		case toFloor:
			fmt.Printf("  %-30s %7.2f     (÷ %d-goroutine floor: %.2f)\n", "  ÷ 1-goroutine floor",
				s.wall.Seconds()/floors[0].wall.Seconds(), procs, s.wall.Seconds()/floors[1].wall.Seconds())
		default:
			fmt.Printf("  %-30s %7.2f     (÷ the first run, which read every layer)\n", "  ÷ first run", s.wall.Seconds()/first.wall.Seconds())
		}
		m := median(rss[j])
		fmt.Printf("  %-30s %7.0f MB   %.0f bytes per tar entry\n", "  peak RSS", mb(m), float64(m)/float64(st.Entries))
	}
	fmt.Println()
	return nil
}

func wall(ts []timing) []time.Duration {
	out := make([]time.Duration, len(ts))
	for i, t := range ts {
		out[i] = t.wall
	}
	return out
}

func cpu(ts []timing) []time.Duration {
	out := make([]time.Duration, len(ts))
	for i, t := range ts {
		out[i] = t.cpu
	}
	return out
}

func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mb(n int64) float64         { return float64(n) / 1e6 }
