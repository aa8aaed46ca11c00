package filetree

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	it "github.com/strata-dev/strata/internal/imagetest"
)

func testResult(t *testing.T) *analyze.Result {
	t.Helper()
	img, err := it.Image([]it.Step{
		{CreatedBy: "base", Entries: []it.Entry{
			it.Dir("/bin/"), it.Reg("/bin/sh", strings.Repeat("s", 100)), it.Reg("/bin/ls", strings.Repeat("l", 50)),
			it.Dir("/etc/"), it.Reg("/etc/passwd", "root"), it.Reg("/etc/group", "root"),
			it.Dir("/usr/"), it.Dir("/usr/lib/"), it.Reg("/usr/lib/libc.so", strings.Repeat("c", 1000)),
		}},
		{CreatedBy: "change", Entries: []it.Entry{
			it.Reg("/etc/passwd", "root and app"), it.Whiteout("/bin/ls"), it.Reg("/app/run", "go"),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyze.Analyze(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func newTestVM(t *testing.T, res *analyze.Result, k int, h int) *VM {
	vm := NewVM()
	vm.SetHeight(h)
	vm.SetView(tree.NewView(res.Tree, res.Layers, k, tree.CompareLayer))
	return vm
}

// rows lists the rows in view as indented names, the cursor marked with >.
func rows(vm *VM) []string {
	var out []string
	for _, n := range vm.Rows() {
		mark := "  "
		if n == vm.Cursor() {
			mark = "> "
		}
		name := vm.tree.Name(n)
		if vm.IsDir(n) && vm.Collapsed(n) {
			name += "/…"
		}
		out = append(out, mark+strings.Repeat(" ", vm.Depth(n))+name)
	}
	return out
}

func eq(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestVMWalkAndScroll(t *testing.T) {
	res := testResult(t)
	vm := newTestVM(t, res, 1, 4)
	eq(t, rows(vm), []string{"> app", "   run", "  bin", "   ls"})
	vm.Down(3)
	eq(t, rows(vm), []string{"  app", "   run", "  bin", ">  ls"})
	vm.Down(1) // scrolls one row
	eq(t, rows(vm), []string{"   run", "  bin", "   ls", ">  sh"})
	vm.End()
	eq(t, rows(vm), []string{"   passwd", "  usr", "   lib", ">   libc.so"})
	vm.Home()
	eq(t, rows(vm)[:1], []string{"> app"})
	vm.Up(1) // stays
	eq(t, rows(vm)[:1], []string{"> app"})
}

func TestVMCollapse(t *testing.T) {
	res := testResult(t)
	vm := newTestVM(t, res, 1, 20)
	vm.Down(2) // bin
	vm.Toggle()
	eq(t, rows(vm), []string{"  app", "   run", "> bin/…", "  etc", "   group", "   passwd", "  usr", "   lib", "    libc.so"})
	vm.Toggle()
	vm.Down(1)    // ls
	vm.Collapse() // not a dir: goes to the parent
	eq(t, rows(vm)[2:3], []string{"> bin"})
	vm.ToggleAll()
	eq(t, rows(vm), []string{"  app/…", "> bin/…", "  etc/…", "  usr/…"})
	vm.ToggleAll()
	if len(vm.Rows()) != 11 {
		t.Errorf("expand all shows %d rows, want 11", len(vm.Rows()))
	}
}

func TestVMHideAndFilter(t *testing.T) {
	res := testResult(t)
	vm := newTestVM(t, res, 1, 20)
	vm.SetHidden(tree.Unmodified, true)
	eq(t, rows(vm), []string{"> app", "   run", "  bin", "   ls", "  etc", "   passwd"})
	vm.SetHidden(tree.Unmodified, false)
	if err := vm.SetFilter("pass"); err != nil {
		t.Fatal(err)
	}
	eq(t, rows(vm), []string{"> etc", "   passwd"})
	if err := vm.SetFilter("(["); err == nil {
		t.Fatal("an invalid pattern was accepted")
	}
	if vm.Filter() != "pass" {
		t.Errorf("an invalid pattern replaced the filter: %q", vm.Filter())
	}
	vm.SetFilter("^/usr/lib/lib.*so$")
	eq(t, rows(vm), []string{"> usr", "   lib", "    libc.so"})
	vm.SetFilter("")
	if len(vm.Rows()) != 11 {
		t.Errorf("clearing the filter shows %d rows, want 11", len(vm.Rows()))
	}
}

func TestVMSortBySize(t *testing.T) {
	res := testResult(t)
	vm := newTestVM(t, res, 0, 20)
	vm.SetOrder(BySize)
	eq(t, rows(vm), []string{"  usr", "   lib", "    libc.so", "> bin", "   sh", "   ls", "  etc", "   group", "   passwd"})
	if got := vm.Size(vm.First()); got != 1000 {
		t.Errorf("size of /usr = %d, want 1000", got)
	}
}

func TestVMKeepsCursorAcrossLayers(t *testing.T) {
	res := testResult(t)
	vm := newTestVM(t, res, 1, 20)
	n, _ := res.Tree.Lookup("/etc/passwd")
	if !vm.Select(n) {
		t.Fatal("cannot select /etc/passwd")
	}
	vm.SetView(tree.NewView(res.Tree, res.Layers, 0, tree.CompareLayer))
	if vm.Cursor() != n {
		t.Errorf("cursor moved off /etc/passwd when switching layers")
	}
	app, _ := res.Tree.Lookup("/app/run")
	vm.SetView(tree.NewView(res.Tree, res.Layers, 1, tree.CompareLayer))
	vm.Select(app)
	vm.SetView(tree.NewView(res.Tree, res.Layers, 0, tree.CompareLayer))
	if got := res.Tree.Path(vm.Cursor()); got != "/bin" {
		t.Errorf("cursor on a path missing from the layer went to %s, want the first row /bin", got)
	}
}
