package arena

import "golang.org/x/sys/unix"

// adviseHuge asks for huge pages for the whole huge pages in [p, p+size)
// and returns the first address advised. The range may span several
// allocations, so it goes to madvise as numbers, not as a slice.
func adviseHuge(p, size uintptr) (uintptr, bool) {
	start := (p + hugePage - 1) &^ (hugePage - 1)
	end := (p + size) &^ (hugePage - 1)
	if end <= start {
		return 0, false
	}
	_, _, errno := unix.Syscall(unix.SYS_MADVISE, start, end-start, unix.MADV_HUGEPAGE)
	return start, errno == 0
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
