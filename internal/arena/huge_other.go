//go:build !linux

package arena

// adviseHuge does nothing where there are no transparent huge pages.
func adviseHuge(uintptr, uintptr) (uintptr, bool) { return 0, false }

// addressSpaceFits says no: there is nothing to advise.
func addressSpaceFits(int) bool { return false }
