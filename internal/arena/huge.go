package arena

import (
	"runtime"
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
// them: a quarter of its time. AdviseHeap allocates n bytes (memory the
// runtime has just taken from the kernel is not zeroed, so none of it is
// touched), marks their addresses as huge-page memory and frees them; the
// allocations that follow reuse those addresses, and a first touch there
// maps 2 MiB at once. Nothing changes where transparent huge pages are
// off, or where the address space is limited to less than 4n.
func AdviseHeap(n int) bool {
	_, ok := adviseHeap(n)
	return ok
}

// adviseHeap is AdviseHeap, returning also the first advised address.
func adviseHeap(n int) (uintptr, bool) {
	if n <= 0 || !addressSpaceFits(n) {
		return 0, false
	}
	b := make([]byte, n)
	start, ok := adviseHuge(unsafe.Pointer(unsafe.SliceData(b)), uintptr(n))
	// b is dead from here on: collect it now, so that the allocations
	// that follow are not placed above it while it waits for a cycle.
	runtime.GC()
	return start, ok
}

// fitsLimit says whether n bytes are at most a quarter of limit, where
// infinity means no limit.
func fitsLimit(n int, limit, infinity uint64) bool {
	return limit == infinity || uint64(n) <= limit/4
}
