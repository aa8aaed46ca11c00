package arena

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// adviseHuge asks for huge pages for the whole huge pages in [p, p+size)
// and returns the first address advised.
func adviseHuge(p unsafe.Pointer, size uintptr) (uintptr, bool) {
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + size) &^ (hugePage - 1)
	if end <= start {
		return 0, false
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
	return start, unix.Madvise(b, unix.MADV_HUGEPAGE) == nil
}

// addressSpaceFits says whether n bytes are at most a quarter of the
// address space the process may map (ulimit -v): allocating them must not
// be what makes the runtime run out of memory.
func addressSpaceFits(n int) bool {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_AS, &lim); err != nil {
		return false
	}
	return fitsLimit(n, lim.Cur, unix.RLIM_INFINITY)
}
