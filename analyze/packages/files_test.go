package packages_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// Files gives, after each layer, the packages then present with the
// files they own there: musl's file before and after its upgrade, busybox
// until its removal, zlib's files (a symlink included) from its install.
func TestFilesAfterEachLayer(t *testing.T) {
	img, err := imagetest.Image([]imagetest.Step{
		{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
			imagetest.Reg("lib/ld-musl-x86_64.so.1", bytesOf(600, "m")),
			imagetest.Reg("bin/busybox", bytesOf(800, "b")),
			imagetest.Reg("etc/motd", "unowned\n"),
			imagetest.Reg("lib/apk/db/installed", apkEntry("musl", "1.2.5-r0", "musl", "lib/ld-musl-x86_64.so.1")+
				apkEntry("busybox", "1.36.1-r29", "busybox", "bin/busybox")),
		}},
		{CreatedBy: "RUN echo", Entries: []imagetest.Entry{imagetest.Reg("etc/motd", "still unowned\n")}},
		{CreatedBy: "RUN apk upgrade musl && apk del busybox && apk add zlib", Entries: []imagetest.Entry{
			imagetest.Reg("lib/ld-musl-x86_64.so.1", bytesOf(610, "M")),
			imagetest.Whiteout("bin/busybox"),
			imagetest.Reg("usr/lib/libz.so.1.3.1", bytesOf(100, "z")),
			imagetest.Symlink("usr/lib/libz.so.1", "libz.so.1.3.1"),
			imagetest.Reg("lib/apk/db/installed", apkEntry("musl", "1.2.5-r1", "musl", "lib/ld-musl-x86_64.so.1")+
				apkEntry("zlib", "1.3.1-r1", "zlib", "usr/lib/libz.so.1", "usr/lib/libz.so.1.3.1")),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	a := packages.New()
	res, err := analyze.Analyze(context.Background(), src, analyze.WithObserver(a))
	if err != nil {
		t.Fatal(err)
	}
	describe := func(k int) []string {
		var out []string
		for _, f := range a.Files(res.Tree, k) {
			var paths []string
			for _, n := range f.Nodes {
				paths = append(paths, res.Tree.Path(n))
			}
			out = append(out, fmt.Sprintf("%s %s %s: %s", f.Ecosystem, f.Name, f.Version, strings.Join(paths, " ")))
		}
		return out
	}
	before := []string{
		"apk busybox 1.36.1-r29: /bin/busybox",
		"apk musl 1.2.5-r0: /lib/ld-musl-x86_64.so.1",
	}
	same(t, "layer 0", describe(0), before)
	same(t, "layer 1", describe(1), before)
	same(t, "layer 2", describe(2), []string{
		"apk musl 1.2.5-r1: /lib/ld-musl-x86_64.so.1",
		"apk zlib 1.3.1-r1: /usr/lib/libz.so.1 /usr/lib/libz.so.1.3.1",
	})
	if got := a.Files(res.Tree, -1); got != nil {
		t.Errorf("before the first layer: %v", got)
	}
}
