package packages

import (
	"context"
	"debug/buildinfo"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// goBinaries builds a small program that uses a module replaced by a
// local directory, in several ways, and returns the paths of the
// executables by how they were built.
func goBinaries(t *testing.T) map[string]string {
	t.Helper()
	goTool, err := exec.LookPath(filepath.Join(runtime.GOROOT(), "bin", "go"))
	if err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Fatalf("no go tool to build test binaries: %v", err)
		}
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":     "module example.com/hello\n\ngo 1.22\n\nrequire example.com/dep v1.2.3\n\nreplace example.com/dep => ./dep\n",
		"main.go":    "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/dep\"\n)\n\nfunc main() { fmt.Println(dep.Greeting) }\n",
		"dep/go.mod": "module example.com/dep\n\ngo 1.22\n",
		"dep/dep.go": "package dep\n\n// Greeting is printed.\nconst Greeting = \"hello\"\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	builds := map[string][]string{
		"internal": {"build"},
		"stripped": {"build", "-ldflags=-s -w"},
		"pie":      {"build", "-buildmode=pie"},
	}
	cgo := map[string]bool{}
	if _, err := exec.LookPath("gcc"); err == nil {
		builds["external"] = []string{"build", "-ldflags=-linkmode=external"}
		cgo["external"] = true
	} else {
		t.Logf("no gcc: not building an externally linked binary")
	}
	out := map[string]string{}
	for name, args := range builds {
		exe := filepath.Join(dir, "hello-"+name)
		cmd := exec.Command(goTool, append(args, "-o", exe, ".")...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
		if cgo[name] {
			cmd.Env = append(cmd.Env, "CGO_ENABLED=1")
		}
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, b)
		}
		out[name] = exe
	}
	return out
}

// keep gives a file's bytes to an elfKeeper in writes of a given size,
// and decodes what it kept; nil when it kept nothing.
func keep(b []byte, chunk int) *parsed {
	k := newELFKeeper("/bin/x", int64(len(b)))
	for len(b) > 0 {
		n := min(chunk, len(b))
		k.Write(b[:n])
		b = b[n:]
	}
	p, _ := decodeParsed(k.Kept())
	return p
}

// TestELFKeeper reads real Go executables the way a layer gives them, in
// writes of many sizes, and finds the build information debug/buildinfo
// finds in the whole file, keeping a small part of it.
func TestELFKeeper(t *testing.T) {
	for name, exe := range goBinaries(t) {
		b, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		want, err := buildinfo.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		for _, chunk := range []int{13, 4096, 65536, 256 << 10, len(b)} {
			if chunk == 13 && name != "internal" {
				continue // slow; once is enough
			}
			p := keep(b, chunk)
			if p == nil || len(p.records) != 1 {
				t.Errorf("%s, writes of %d: no build information found", name, chunk)
				continue
			}
			r := p.records[0]
			if r.eco != Go || r.name != want.Main.Path || r.version != want.Main.Version || r.goVersion != want.GoVersion ||
				r.name != "example.com/hello" || r.goVersion != runtime.Version() {
				t.Errorf("%s, writes of %d: %+v, want %s %s %s", name, chunk, r, want.Main.Path, want.Main.Version, want.GoVersion)
			}
			wantMods := []Module{{Path: "example.com/dep", Version: "v1.2.3", Replace: &Module{Path: "./dep", Version: "(devel)"}}}
			if !slices.EqualFunc(r.modules, wantMods, func(a, b Module) bool {
				return a.Path == b.Path && a.Version == b.Version && (a.Replace == nil) == (b.Replace == nil) &&
					(a.Replace == nil || *a.Replace == *b.Replace)
			}) {
				t.Errorf("%s: modules %+v (replaced by %+v)", name, r.modules, r.modules[0].Replace)
			}
		}
		k := newELFKeeper("/bin/x", int64(len(b)))
		k.Write(b)
		kept := 0
		for _, s := range k.spans {
			kept += len(s.b)
		}
		if kept > 256<<10 || kept*10 > len(b) {
			t.Errorf("%s: kept %d bytes of %d", name, kept, len(b))
		}
		t.Logf("%s: %d bytes, %d kept", name, len(b), kept)
	}
}

// TestELFKeeperOthers keeps nothing of files that are not Go executables.
func TestELFKeeperOthers(t *testing.T) {
	self, err := os.ReadFile("/bin/sh")
	if err != nil {
		t.Fatal(err)
	}
	script := []byte("#!/bin/sh\necho \xff Go buildinf: not a binary\n")
	for name, b := range map[string][]byte{"/bin/sh": self, "script": script} {
		if got := keep(b, 4096); got != nil {
			t.Errorf("%s: kept %v", name, got)
		}
	}
}

// TestGoInImage finds a Go executable in a layer, not one without an
// executable bit, and its removal when a later layer replaces it.
func TestGoInImage(t *testing.T) {
	bins := goBinaries(t)
	b, err := os.ReadFile(bins["internal"])
	if err != nil {
		t.Fatal(err)
	}
	img, err := imagetest.Image([]imagetest.Step{
		{CreatedBy: "COPY hello /usr/local/bin/", Entries: []imagetest.Entry{
			{Path: "usr/local/bin/hello", Content: b, Mode: 0o755},
			{Path: "srv/hello.bak", Content: b, Mode: 0o644},
		}},
		{CreatedBy: "RUN echo '#!/bin/sh' > /usr/local/bin/hello", Entries: []imagetest.Entry{
			imagetest.Reg("usr/local/bin/hello", "#!/bin/sh\n").WithMode(0o755),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	a := New()
	res, err := analyze.Analyze(context.Background(), src, analyze.WithObserver(a))
	if err != nil {
		t.Fatal(err)
	}
	r := a.Packages(res)
	if len(r.Packages) != 1 {
		t.Fatalf("packages: %+v", r.Packages)
	}
	p := r.Packages[0]
	want := Package{Ecosystem: Go, Name: "example.com/hello", Version: "(devel)", Location: "/usr/local/bin/hello",
		Layer: 0, Removed: true, SizeBytes: int64(len(b)), FileCount: 1, GoVersion: runtime.Version()}
	if p.Ecosystem != want.Ecosystem || p.Name != want.Name || p.Version != want.Version || p.Location != want.Location ||
		p.Layer != 0 || !p.Removed || p.SizeBytes != want.SizeBytes || p.FileCount != 1 || p.GoVersion != want.GoVersion ||
		len(p.Modules) != 1 || p.Modules[0].Path != "example.com/dep" || len(p.Changes) != 2 || p.Changes[1].Change != Removed {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}
}
