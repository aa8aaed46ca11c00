//go:build !linux

package arena

import "unsafe"

// adviseHuge does nothing where there are no transparent huge pages.
func adviseHuge(unsafe.Pointer, uintptr) (uintptr, bool) { return 0, false }

// addressSpaceFits says no: there is nothing to advise.
func addressSpaceFits(int) bool { return false }
