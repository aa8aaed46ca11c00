// Command strata-bench measures strata against the speed of reading an
// image.
//
// It generates a large `docker save` image reproducibly from a seed, in a
// plain and a gzip form (cached in -dir), builds strata, and for each form
// times, over several rounds:
//
//   - the floor: one goroutine that decompresses and reads every layer
//     byte once, through the same decompression path as strata, and
//     nothing else;
//   - the parallel floor: the same with one goroutine per core;
//   - both floors again with sha256 of what the digest checks need (the
//     uncompressed bytes, and the stored ones when they are compressed),
//     the least any verifying reader does;
//   - `strata inspect --json FILE IMAGE`, as a child process;
//   - the same with --verify=false, which skips the sha256 checks of the
//     layers' digests and diffIDs;
//   - `strata inspect` again with every layer in its layer cache (a cache
//     directory of the run's own, filled by the warm-up; the two rows
//     above run with --no-cache);
//   - `strata inspect --no-tui IMAGE`, the summary without the report
//     (whose writing takes a cached run most of its time), first with
//     --no-cache and then from the cache.
//
// It prints the medians; the ratios the project's targets are stated in
// (a verified analysis ÷ the floor with sha256 on every core, the
// unverified one ÷ the 1-goroutine floor, the cached run ÷ the first);
// strata's peak resident memory (the child's maximum RSS) and that memory
// per tar entry.
//
//	go run ./cmd/strata-bench [-dir DIR] [-rounds N] [-forms plain,gzip] [-strata BINARY]
//	                          [-files N] [-bytes N] [-layers N] [-seed N]
//	go run ./cmd/strata-bench -image ARCHIVE [-rounds N] [-strata BINARY]
//
// With -image it measures that archive (a `docker save` of a real image,
// say) instead of generating one.
package main
