// Package analyze runs the analysis of a container image: it reads every
// layer once, in parallel, and stacks the layers in order into a tree
// that says what each one adds, changes, removes and wastes.
//
// Data flows one way through its sub-packages:
//
//	image.Layer ─ blob ─▶ tar bytes ─ tarparse ─▶ entries ─ tree ─▶ stacked tree, views
//	                                                         └─ metrics ─▶ efficiency, waste
//	                                            result ─ report ─▶ JSON
//
// [Start] begins an [Analysis]: a scheduler hands layers to a few worker
// goroutines in manifest order (blob reads and decompresses one, checking
// its digests; tarparse walks its tar), never letting layers read ahead
// of the stack hold more than a bounded number of entries, and delivers
// them in order. Whoever drives the analysis — the CLI, inspect's terminal
// UI, diff's — takes each layer with [Analysis.Next] and stacks it with
// [Analysis.Stack] on its own goroutine; [Analyze] does both to the end.
//
// For every entry the analysis keeps its path, type, size, mode, owner,
// link target and a 64-bit XXH3 hash of its contents — never the contents
// themselves; package layerfile reads a file's contents when a user asks.
//
// The package knows nothing of where an image came from: it takes an
// [image.Image], which every source in strata/source produces.
package analyze
