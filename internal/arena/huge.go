package arena

import (
	"runtime"
	"runtime/debug"
	"slices"
	"unsafe"
)

// hugePage is the size of a transparent huge page on amd64, and on arm64
// with 4 KiB pages.
const hugePage = 2 << 20

// AdviseHeap asks the kernel to back the next n bytes the Go heap grows
// into with transparent huge pages, and says whether it could. A command
// calls it once, before an analysis; it costs a garbage collection of a
// heap that is still small, a few milliseconds.
//
// The runtime maps its heap in 4 KiB pages and never asks for huge ones.
// On a VM each first touch of such a page costs a fault of several
// microseconds, and an analysis of 300k tar entries touches about 20k of
// them: a quarter of its time. AdviseHeap allocates n bytes in pieces
// (memory the runtime has just taken from the kernel is not zeroed, so
// almost none of it is touched), marks their addresses as huge-page memory
// and frees them; the allocations that follow reuse those addresses, and a
// first touch there maps 2 MiB at once. Nothing changes where transparent huge pages are
// off, or where the address space is limited to less than 4n.
func AdviseHeap(n int) bool {
	_, ok := adviseHeap(n)
	return ok
}

// adviseChunk is the size of the pieces adviseHeap allocates the heap in.
const adviseChunk = 2 * hugePage

// adviseHeap is AdviseHeap, returning also the first advised address.
//
// The runtime zeroes a new allocation, touching all of it, when its first
// page was in use before; a free stretch at the top of the heap often
// starts with such pages. One allocation of n bytes would then be zeroed
// whole (a second of faults for 256 MiB, in about half of the runs
// measured), so the n bytes are taken in 4 MiB pieces: only a piece that
// starts on used memory is zeroed, and the pieces after it, fresh, are
// not. TestAdviseHeapTouchesLittle holds the growth under 64 MiB.
func adviseHeap(n int) (uintptr, bool) {
	if n < adviseChunk || !addressSpaceFits(n) {
		return 0, false
	}
	// Each piece would otherwise start a collection of the small heap
	// below it, a dozen of them in all: one at the end is enough.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	chunks := make([][]byte, 0, n/adviseChunk)
	for range n / adviseChunk {
		chunks = append(chunks, make([]byte, adviseChunk))
	}
	// The pieces are mostly next to each other: advise each run of
	// adjacent ones as one range.
	addrs := make([]uintptr, len(chunks))
	for i, c := range chunks {
		addrs[i] = uintptr(unsafe.Pointer(unsafe.SliceData(c)))
	}
	slices.Sort(addrs)
	first, ok := uintptr(0), false
	for i := 0; i < len(addrs); {
		start, size := addrs[i], uintptr(adviseChunk)
		j := i + 1
		for ; j < len(addrs) && addrs[j] == start+size; j++ {
			size += adviseChunk
		}
		if a, advised := adviseHuge(start, size); advised && !ok {
			first, ok = a, true // the lowest: addrs are sorted
		}
		i = j
	}
	// The pieces are dead from here on: collect them now, so that the
	// allocations that follow are not placed above them while they wait
	// for a cycle.
	runtime.KeepAlive(chunks)
	runtime.GC()
	return first, ok
}

// fitsLimit says whether n bytes are at most a quarter of limit, where
// infinity means no limit.
func fitsLimit(n int, limit, infinity uint64) bool {
	return limit == infinity || uint64(n) <= limit/4
}
