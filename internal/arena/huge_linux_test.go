package arena

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestAdviseHeapMarksTheHeap checks, in the kernel's own account of the
// process's mappings, that the addresses AdviseHeap freed are huge-page
// memory (VmFlags "hg").
func TestAdviseHeapMarksTheHeap(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skipf("this kernel has no transparent huge pages to advise (%q, %v)", mode, err)
	}
	start, ok := adviseHeap(8 << 20)
	if !ok {
		t.Fatal("AdviseHeap(8 MiB) = false, want true with transparent huge pages on")
	}
	if start%hugePage != 0 {
		t.Fatalf("first advised address %#x is not on a huge page boundary", start)
	}
	flags := vmFlagsAt(t, start)
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Fatalf("mapping at %#x has VmFlags %q, want hg among them", start, flags)
	}
}

// vmFlagsAt returns the VmFlags line of the mapping that holds addr.
func vmFlagsAt(t *testing.T, addr uintptr) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inside := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			inside = lo <= addr && addr < hi
			continue
		}
		if inside && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return ""
}

// mappingRange parses the "lo-hi perms ..." line that starts a mapping.
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	addrs, _, found := strings.Cut(line, " ")
	l, h, dash := strings.Cut(addrs, "-")
	if !found || !dash {
		return 0, 0, false
	}
	a, err1 := strconv.ParseUint(l, 16, 64)
	b, err2 := strconv.ParseUint(h, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(a), uintptr(b), true
}

func TestAdviseHeapBounds(t *testing.T) {
	const inf = ^uint64(0)
	for _, c := range []struct {
		n     int
		limit uint64
		want  bool
	}{
		{256 << 20, inf, true},
		{256 << 20, 1 << 30, true},
		{256 << 20, 1<<30 - 1, false},
		{256 << 20, 512 << 20, false},
	} {
		if got := fitsLimit(c.n, c.limit, inf); got != c.want {
			t.Errorf("fitsLimit(%d, %d) = %v, want %v", c.n, c.limit, got, c.want)
		}
	}
	if _, ok := adviseHeap(0); ok {
		t.Error("adviseHeap(0) = true, want false")
	}
}

// TestAdviseHeapTouchesLittle: advising must not make the memory it
// advises resident. The runtime zeroes an allocation whose first page was
// used before, and a heap whose top was used and freed starts its next
// large allocation there: with 256 MiB taken in one piece, about half the
// runs of strata grew by 256 MiB and a second of page faults. As strata
// does, each try advises once, in a process of its own (whose heap starts
// at a random address), after leaving 8 MiB used and freed at the top of
// its heap: at most that, and a piece or two, may be zeroed (8 to 16 MiB
// in 20 tries; 256 MiB in one piece).
func TestAdviseHeapTouchesLittle(t *testing.T) {
	if os.Getenv("STRATA_TEST_ADVISE_CHILD") != "" {
		dirtyHeapTop()
		before := residentBytes(t)
		if _, ok := adviseHeap(256 << 20); !ok {
			fmt.Println("no advice")
			return
		}
		fmt.Printf("grown %d\n", residentBytes(t)-before)
		return
	}
	for range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdviseHeapTouchesLittle$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STRATA_TEST_ADVISE_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the child test: %v\n%s", err, out)
		}
		var grown int64
		switch {
		case strings.Contains(string(out), "no advice"):
			t.Skip("this kernel takes no huge-page advice")
		case !strings.Contains(string(out), "grown "):
			t.Fatalf("the child test said no growth:\n%s", out)
		}
		if _, err := fmt.Sscanf(string(out[strings.Index(string(out), "grown "):]), "grown %d", &grown); err != nil {
			t.Fatalf("the child test's growth: %v\n%s", err, out)
		}
		if grown > 64<<20 {
			t.Fatalf("advising 256 MiB made %d MiB resident, want at most 64 (a quarter)", grown>>20)
		}
	}
}

// dirtyHeapTop leaves used, freed pages at the top of the heap.
func dirtyHeapTop() {
	garbage := make([][]byte, 0, 32)
	for range 32 {
		b := make([]byte, 256<<10)
		b[0], b[len(b)-1] = 1, 1
		garbage = append(garbage, b)
	}
	runtime.KeepAlive(garbage)
	runtime.GC()
}

// residentBytes is the process's resident memory (VmRSS).
func residentBytes(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" && f[2] == "kB" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}
