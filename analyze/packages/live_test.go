package packages_test

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
)

// inImage runs a command in the packages image, without network, with the
// docker command line against the live dockerd, and returns its output's
// lines, sorted.
func inImage(t *testing.T, script string) []string {
	t.Helper()
	host, img := livetest.DockerHost(t), livetest.PackagesImage(t)
	cmd := exec.Command("docker", "-H", host, "run", "--rm", "--network", "none", img, "sh", "-c", script)
	cmd.Env = append(cmd.Environ(), "DOCKER_BUILDKIT=0")
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("docker run %s: %v\n%s", script, err, msg)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	slices.Sort(lines)
	return lines
}

// liveResult analyzes the packages image as docker save wrote it.
func liveResult(t *testing.T) (*analyze.Result, *packages.Result) {
	t.Helper()
	img, err := source.Open(livetest.PackagesArchive(t))
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	a := packages.New()
	res, err := analyze.Analyze(context.Background(), img, analyze.WithObserver(a))
	if err != nil {
		t.Fatal(err)
	}
	return res, a.Packages(res)
}

// present lists the final image's packages of an ecosystem, one line each.
func present(r *packages.Result, eco packages.Ecosystem, line func(p *packages.Package) string) []string {
	var out []string
	for _, p := range r.Present() {
		if p.Ecosystem == eco {
			out = append(out, line(&p))
		}
	}
	slices.Sort(out)
	return out
}

// TestLivePackages compares what strata reads of the packages image's
// databases with what dpkg, rpm and pip, run in the image, list: the same
// packages at the same versions. It also checks the layer each step's
// packages are attributed to and the sizes of a few.
func TestLivePackages(t *testing.T) {
	res, r := liveResult(t)
	if len(r.Summary.Warnings) != 0 {
		t.Errorf("warnings: %q", r.Summary.Warnings)
	}

	dpkg := inImage(t, `dpkg-query -W -f '${db:Status-Status} ${binary:Package} ${Version}\n' | `+
		`awk '$1 != "not-installed" && $1 != "config-files" {print $2 " " $3}'`)
	got := present(r, packages.Deb, func(p *packages.Package) string {
		if p.MultiArch {
			return p.Name + ":" + p.Arch + " " + p.Version
		}
		return p.Name + " " + p.Version
	})
	same(t, "dpkg-query -W", got, dpkg)
	if len(dpkg) < 100 {
		t.Errorf("dpkg lists only %d packages", len(dpkg))
	}

	rpm := inImage(t, `rpm --dbpath /var/lib/rpm -qa --qf '%{NAME} %{VERSION}-%{RELEASE} %{ARCH}\n'`)
	same(t, "rpm -qa", present(r, packages.RPM, func(p *packages.Package) string { return p.Name + " " + p.Version + " " + p.Arch }), rpm)
	if len(rpm) != 1 {
		t.Errorf("rpm lists %d packages, want strata-hello alone", len(rpm))
	}

	// pip lists every distribution on sys.path: Debian's python3-* too.
	pip := inImage(t, `python3 -m pip list --disable-pip-version-check --format=freeze 2>/dev/null | tr A-Z_ a-z-`)
	same(t, "pip list", present(r, packages.Python, func(p *packages.Package) string {
		return strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(p.Name)) + "==" + p.Version
	}), normalizePip(pip))
	t.Logf("%d deb, %d rpm and %d Python packages as dpkg, rpm and pip list them", len(dpkg), len(rpm), len(pip))

	layerOf := func(step string) int {
		for _, l := range res.Layers {
			if strings.Contains(l.CreatedBy, step) {
				return l.Index
			}
		}
		t.Fatalf("no layer made by a step holding %q", step)
		return -1
	}
	find := func(eco packages.Ecosystem, name, location string) *packages.Package {
		for i := range r.Packages {
			if p := &r.Packages[i]; p.Ecosystem == eco && p.Name == name && p.Location == location {
				return p
			}
		}
		t.Errorf("no %s package %s at %s", eco, name, location)
		return &packages.Package{}
	}
	for _, w := range []struct {
		eco      packages.Ecosystem
		name     string
		step     string
		location string
	}{
		{packages.Deb, "python3-pip", "apt-get install -y --no-install-recommends python3-pip", "/var/lib/dpkg/status"},
		{packages.Python, "strata-demo", "pip install", "/usr/local/lib/python3.11/dist-packages/strata_demo-1.0.0.dist-info"},
		{packages.Npm, "strata-npm-demo", "npm install", "/app/node_modules/strata-npm-demo"},
		{packages.RPM, "strata-hello", "rpm --dbpath /var/lib/rpm -i", "/var/lib/rpm/rpmdb.sqlite"},
		{packages.Go, "example.com/strata/gohello", "COPY file:", "/usr/local/bin/gohello"},
		{packages.Deb, "jq", "apt-get install -y --no-install-recommends jq", "/var/lib/dpkg/status"},
	} {
		p := find(w.eco, w.name, w.location)
		if p.Layer != layerOf(w.step) || p.Removed || p.SizeBytes <= 0 || p.FileCount <= 0 {
			t.Errorf("%s %s: layer %d (want %d), removed %v, %d bytes in %d files",
				w.eco, w.name, p.Layer, layerOf(w.step), p.Removed, p.SizeBytes, p.FileCount)
		}
	}
	curl := find(packages.Deb, "curl", "/var/lib/dpkg/status")
	purged := layerOf("apt-get purge -y curl")
	if !curl.Removed || len(curl.Changes) != 2 || curl.Changes[1].Change != packages.Removed || curl.Changes[1].Layer != purged {
		t.Errorf("curl, purged in layer %d: %+v", purged, curl)
	}
	// The wheel's own files and what pip added: the .pyc it compiled,
	// INSTALLER, REQUESTED, direct_url.json; one line each in RECORD.
	record := inImage(t, "wc -l < /usr/local/lib/python3.11/dist-packages/strata_demo-1.0.0.dist-info/RECORD")
	if demo := find(packages.Python, "strata-demo", "/usr/local/lib/python3.11/dist-packages/strata_demo-1.0.0.dist-info"); fmt.Sprint(demo.FileCount) != record[0] {
		t.Errorf("strata-demo has %d files, RECORD lists %s", demo.FileCount, record[0])
	}
	// The executable was in the build context too, at /src, which the
	// last step removed.
	if src := find(packages.Go, "example.com/strata/gohello", "/src/gohello.bin"); !src.Removed || src.Layer != layerOf("COPY dir:") {
		t.Errorf("gohello at /src: %+v", src)
	}
	if d := r.Summary.Distro; d == nil || d.ID != "debian" || d.VersionID != "12" {
		t.Errorf("distro: %+v", d)
	}
}

// normalizePip turns pip's name==version lines (already lower case, _ as
// -) into PEP 503 names: runs of -, _ and . as one -.
func normalizePip(lines []string) []string {
	var out []string
	for _, l := range lines {
		name, version, ok := strings.Cut(l, "==")
		if !ok {
			continue
		}
		out = append(out, strings.ReplaceAll(name, ".", "-")+"=="+version)
	}
	slices.Sort(out)
	return out
}
