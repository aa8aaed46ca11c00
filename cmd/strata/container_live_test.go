package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/livetest"
)

// strata diff IMAGE container://NAME shows what the container changed:
// the image's layers shared, one new layer, and the files it added,
// rewrote and deleted.
func TestLiveDiffImageAgainstContainer(t *testing.T) {
	env, fx, name := liveEnv(t), livetest.FixtureImage(t), livetest.RunningContainer(t)
	r := strata(t, env, "diff", "docker://"+fx, "container://"+name)
	wantExit(t, r, exitOK)
	for _, want := range []string{
		"B: " + name + " (container, linux/amd64)",
		"Layers: 9 shared, 1 new in B, 0 gone from A",
		"Files: 4 added, 2 removed, 1 modified; 2.0 MB in A, 2.0 MB in B (+15 B)",
	} {
		if !hasLine(r.stdout, want) {
			t.Errorf("stdout lacks %q\n%s", want, r)
		}
	}
	doc := diffJSON(t, env, "docker://"+fx, "container://"+name)
	var changes []string
	for _, c := range doc.Files.Changes {
		changes = append(changes, c.Change+" "+c.Path)
	}
	slices.Sort(changes)
	want := []string{
		"added /app/added.txt",
		"added /app/newdir",
		"added /app/newdir/sub",
		"added /app/newdir/sub/nested.txt",
		"modified /app/config.txt",
		"removed /data/cache/fresh.txt",
		"removed /data/keep/mode.txt",
	}
	if !slices.Equal(changes, want) || doc.Layers.Shared != 9 || doc.Layers.New != 1 {
		t.Errorf("diff --json: layers %+v, changes\n%s\nwant\n%s", doc.Layers, strings.Join(changes, "\n"), strings.Join(want, "\n"))
	}
}

// inspect --json of a stopped container: ten layers, the top one named for
// the container; an unknown container is one line and exit 2.
func TestLiveInspectContainerCLI(t *testing.T) {
	env := liveEnv(t)
	r := strata(t, env, "inspect", "--json", "-", "container://"+livetest.StoppedContainer(t))
	wantExit(t, r, exitOK)
	var doc struct {
		Image struct{ Source, Reference string }
		Layer []struct {
			ID      string
			Command string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Image.Source != "container" || len(doc.Layer) != 10 ||
		!strings.HasPrefix(doc.Layer[9].ID, "container (") || !strings.HasPrefix(doc.Layer[9].Command, "container ") {
		t.Errorf("report: %+v, %d layers, top %+v", doc.Image, len(doc.Layer), doc.Layer[len(doc.Layer)-1])
	}

	r = strata(t, env, "inspect", "--json", "-", "container://strata-no-such-container")
	wantOneError(t, r, "no such container: strata-no-such-container", livetest.DockerHost(t))
	r = strata(t, env, "inspect", "--json", "-", "--source", "container", "strata-no-such-container")
	wantOneError(t, r, "no such container: strata-no-such-container")
}

// --namespace reads containerd's k8s.io namespace; without it the error
// names the namespace.
func TestLiveContainerdNamespaceCLI(t *testing.T) {
	env := liveEnv(t)
	env["CONTAINERD_ADDRESS"] = livetest.ContainerdAddress(t)
	ref := "containerd://" + livetest.ContainerdK8sImage(t)
	r := strata(t, env, "inspect", "--json", "-", ref)
	wantOneError(t, r, "is not in containerd's namespace default", "(use --namespace k8s.io)")
	r = strata(t, env, "inspect", "--json", "-", "--namespace", "k8s.io", ref)
	wantExit(t, r, exitOK)
	var doc struct {
		Image struct{ Source string }
		Layer []json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Image.Source != "containerd" || len(doc.Layer) != 1 {
		t.Errorf("--namespace k8s.io: %v, %+v, %d layers", err, doc.Image, len(doc.Layer))
	}
}
