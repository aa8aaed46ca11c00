package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/livetest"
)

// liveEnv is an environment that reaches .ci/run's dockerd and podman.
func liveEnv(t *testing.T) map[string]string {
	return map[string]string{"DOCKER_HOST": livetest.DockerHost(t), "CONTAINER_HOST": livetest.PodmanHost(t), "HOME": t.TempDir()}
}

// diffDoc is the part of strata diff's JSON the live tests read.
type diffDoc struct {
	Identical bool
	Layers    struct {
		Shared, New, Gone int
		Download          struct{ Layers int }
		Rows              []struct{ Status string }
	}
	Files struct {
		Added, Removed, Modified int
		Changes                  []struct{ Path, Change string }
	}
}

func diffJSON(t *testing.T, env map[string]string, a, b string) diffDoc {
	t.Helper()
	r := strata(t, env, "diff", "--json", "-", a, b)
	if r.code != exitOK {
		t.Fatalf("strata diff --json - %s %s:\n%s", a, b, r)
	}
	var doc diffDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("the JSON does not parse: %v\n%s", err, r.stdout)
	}
	return doc
}

// The fixture against the busybox image it was built on, both from the
// real dockerd: the base layer shared, the eight RUN layers new, and the
// three directories they made.
func TestLiveDiffFixtureAgainstItsBase(t *testing.T) {
	env, fx := liveEnv(t), livetest.FixtureImage(t)
	r := strata(t, env, "diff", "docker://strata-test/busybox:latest", "docker://"+fx)
	wantExit(t, r, exitOK)
	for _, want := range []string{
		"A: strata-test/busybox:latest (docker, linux/amd64)",
		"B: " + fx + " (docker, linux/amd64)",
		"Layers: 1 shared, 8 new in B, 0 gone from A",
		"History: 1 step in A, 11 in B; the first step is the same, then:",
		"Files: 2009 added, 0 removed, 0 modified; 2.0 MB in A, 2.0 MB in B (+19 kB)",
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("stdout lacks %q\n%s", want, r)
		}
	}
	if !strings.Contains(r.stdout, "Change       Size A    Size B    Δ Size  Path\n"+
		"added             -     19 kB    +19 kB  /many/ (2000 paths below)\n"+
		"added             -      18 B     +18 B  /data/ (5 paths below)\n"+
		"added             -      11 B     +11 B  /app/ (1 path below)\n\nFindings: 6 new in B, 0 gone from A\n") {
		t.Errorf("the changed paths, largest first, are not the fixture's:\n%s", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// The same image through different sources: nothing differs and every
// layer is shared.
func TestLiveDiffSameImageAcrossSources(t *testing.T) {
	env, fx, reg := liveEnv(t), livetest.FixtureImage(t), livetest.Registry(t)
	for _, pair := range [][2]string{
		{"docker://" + fx, "registry://" + reg + "/" + fx},
		{livetest.FixtureArchive(t), livetest.FixtureOCI(t)},
		{"registry://" + reg + "/strata-test/fixture-oci:latest", "docker://" + fx},
	} {
		r := strata(t, env, "diff", pair[0], pair[1])
		wantExit(t, r, exitOK)
		for _, want := range []string{
			"No differences: the same 9 layers, history and files.",
			"Layers: 9 shared, 0 new in B, 0 gone from A",
			"To get B from A: nothing to download, A has every layer of B",
			"History: the same, 11 steps",
			"Files: no differences",
		} {
			if !hasLine(r.stdout, want) {
				t.Errorf("%s vs %s: stdout lacks %q\n%s", pair[0], pair[1], want, r)
			}
		}
		doc := diffJSON(t, env, pair[0], pair[1])
		if !doc.Identical || doc.Layers.Shared != 9 || len(doc.Layers.Rows) != 9 || len(doc.Files.Changes) != 0 {
			t.Errorf("%s vs %s: %+v", pair[0], pair[1], doc)
		}
		for i, row := range doc.Layers.Rows {
			if row.Status != "shared" {
				t.Errorf("%s vs %s: layer row %d is %s", pair[0], pair[1], i, row.Status)
			}
		}
	}
}

// The fixture built by podman against the one dockerd built: the imported
// base layer is the same, every RUN layer differs (times, builders), yet
// the files the Dockerfile makes are the same; podman only leaves the
// run-time files it mounts (/etc/hosts…) in its layers.
func TestLiveDiffPodmanBuildAgainstDocker(t *testing.T) {
	env, fx := liveEnv(t), livetest.FixtureImage(t)
	doc := diffJSON(t, env, "podman://localhost/"+fx, "docker://"+fx)
	if doc.Identical || doc.Layers.Shared != 1 || doc.Layers.New != 8 || doc.Layers.Gone != 8 || doc.Layers.Download.Layers != 8 {
		t.Errorf("layers: %+v", doc.Layers)
	}
	if doc.Files.Added != 0 || doc.Files.Modified != 0 {
		t.Errorf("files: %+v", doc.Files)
	}
	for _, c := range doc.Files.Changes {
		if c.Change != "removed" || !strings.HasPrefix(c.Path, "/etc/") && !strings.HasPrefix(c.Path, "/run") {
			t.Errorf("a change besides podman's run-time files: %+v", c)
		}
	}
}

// The CI gate across sources: busybox from the registry, the fixture from
// the daemon.
func TestLiveDiffCI(t *testing.T) {
	env, fx, reg := liveEnv(t), livetest.FixtureImage(t), livetest.Registry(t)
	dir := inEmptyDir(t)
	r := strata(t, env, "diff", "--ci", "--highest-size-increase", "1%", "--highest-new-layer-bytes", "1MB",
		"--ci-report", "junit="+dir+"/junit.xml", "registry://"+reg+"/strata-test/busybox:latest", "docker://"+fx)
	wantExit(t, r, exitRuleFailed)
	for _, want := range []string{
		"A: " + reg + "/strata-test/busybox:latest (registry, linux/amd64)",
		"Layers: 1 shared, 8 new in B, 0 gone from A",
		"Result: FAIL [total:3] [passed:2] [failed:1] [skipped:0]",
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("stdout lacks %q\n%s", want, r)
		}
	}
	for _, prefix := range []string{"  PASS  highestSizeIncrease: +0.", "  FAIL  highestNewLayerBytes: too many bytes in layers new in B: 2."} {
		if !strings.Contains(r.stdout, "\n"+prefix) {
			t.Errorf("stdout lacks a line starting %q\n%s", prefix, r)
		}
	}
}
