package source_test

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/container"
)

// topEntries lists the entries of the analysis's top layer as
// "PATH kind type size", sorted.
func topEntries(res *analyze.Result) []string {
	top := int32(len(res.Layers) - 1)
	var out []string
	for id := range res.Tree.Entries() {
		e := res.Tree.Entry(tree.EntryID(id))
		if e.Layer != top {
			continue
		}
		kind := map[tree.Kind]string{tree.File: "file", tree.Whiteout: "whiteout", tree.Opaque: "opaque"}[e.Kind]
		typ := "reg"
		if e.Type == tar.TypeDir {
			typ = "dir"
		}
		out = append(out, fmt.Sprintf("%s %s %s %d", res.Tree.Path(e.Node), kind, typ, e.Size))
	}
	slices.Sort(out)
	return out
}

// openContainer opens container://name from .ci/run's dockerd, checks what
// every container image must have and returns it with its analysis and
// the analysis of the fixture it was made from.
func openContainer(t *testing.T, name string) (*source.Image, *analyze.Result) {
	t.Helper()
	getenv := liveEnv(t, nil)
	img, res := openAnalyze(t, "container://"+name, source.WithGetenv(getenv))
	c, ok := img.Image.(*container.Image)
	if img.Kind != source.Container || !ok || c.Name() != name {
		t.Fatalf("container://%s opened as %s, %T", name, img.Kind, img.Image)
	}
	_, base := openAnalyze(t, "docker://"+livetest.FixtureImage(t), source.WithGetenv(getenv))
	if len(res.Layers) != len(base.Layers)+1 {
		t.Fatalf("%d layers, want the fixture's %d and one more", len(res.Layers), len(base.Layers))
	}
	for i, l := range base.Layers {
		if res.Layers[i].DiffID != l.DiffID {
			t.Errorf("layer %d: diffID %s, the fixture's is %s", i, res.Layers[i].DiffID, l.DiffID)
		}
	}
	top := res.Layers[len(res.Layers)-1]
	short := c.ID()[:12]
	if top.ID != "container ("+short+")" || !strings.Contains(top.CreatedBy, "container "+short) {
		t.Errorf("the top layer is %q, made by %q", top.ID, top.CreatedBy)
	}
	// The analysis computed the digest and diffID the source left zero,
	// and the diffID is the one the config declares for the layer.
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if top.DiffID.Hex == "" || top.DiffID != cfg.RootFS.DiffIDs[len(cfg.RootFS.DiffIDs)-1] || top.Digest != top.DiffID {
		t.Errorf("top layer digest %s, diffID %s; the config says %s", top.Digest, top.DiffID, cfg.RootFS.DiffIDs)
	}
	return img, res
}

// exported analyzes the container read from one export of its filesystem
// (container.WithPathLimit(0)) instead of path by path.
func exported(t *testing.T, name string) *analyze.Result {
	t.Helper()
	img, err := container.Open(context.Background(), name, container.WithGetenv(liveEnv(t, nil)), container.WithPathLimit(0))
	if err != nil {
		t.Fatalf("opening container %s: %v", name, err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img)
	if err != nil {
		t.Fatalf("analyzing container %s: %v", name, err)
	}
	return res
}

// A running container: its top layer holds exactly what it added, rewrote
// and deleted (.ci/run's strata-drift), with the sizes of what it wrote.
func TestLiveContainerRunning(t *testing.T) {
	_, res := openContainer(t, livetest.RunningContainer(t))
	want := []string{
		"/app file dir 0",
		"/app/added.txt file reg 6",              // "added\n"
		"/app/config.txt file reg 21",            // "version: 4 (drifted)\n"
		"/app/newdir file dir 0",                 // a new directory
		"/app/newdir/sub file dir 0",             // ... in a new directory
		"/app/newdir/sub/nested.txt file reg 12", // "nested file\n"
		"/data file dir 0",
		"/data/cache file dir 0",
		"/data/cache/fresh.txt whiteout reg 0",
		"/data/keep file dir 0",
		"/data/keep/mode.txt whiteout reg 0",
	}
	if got := topEntries(res); !slices.Equal(got, want) {
		t.Errorf("the container's layer:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := topEntries(exported(t, livetest.RunningContainer(t))); !slices.Equal(got, want) {
		t.Errorf("the container's layer from its export:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Added: added.txt, newdir, sub and nested.txt; modified: config.txt;
	// removed: the two deleted files. The directories above are unchanged.
	counts := tree.NewView(res.Tree, res.Layers, len(res.Layers)-1, tree.CompareLayer).Counts
	if counts[tree.Added] != 4 || counts[tree.Modified] != 1 || counts[tree.Removed] != 2 {
		t.Errorf("the container's layer changes %v", counts)
	}
}

// A stopped container reads the same way.
func TestLiveContainerStopped(t *testing.T) {
	_, res := openContainer(t, livetest.StoppedContainer(t))
	want := []string{
		"/app file dir 0",
		"/app/config.txt whiteout reg 0",
		"/stopped.txt file reg 8", // "stopped\n"
	}
	if got := topEntries(res); !slices.Equal(got, want) {
		t.Errorf("the stopped container's layer:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := topEntries(exported(t, livetest.StoppedContainer(t))); !slices.Equal(got, want) {
		t.Errorf("the stopped container's layer from its export:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A podman container the Docker daemon does not have is read through the
// podman service; never started, it changed nothing.
func TestLiveContainerPodman(t *testing.T) {
	name := livetest.PodmanContainer(t)
	img, res := openAnalyze(t, "container://"+name, source.WithGetenv(liveEnv(t, nil)))
	c := img.Image.(*container.Image)
	if !strings.HasPrefix(c.Daemon(), "podman service at "+livetest.PodmanHost(t)) {
		t.Errorf("read from the %s", c.Daemon())
	}
	_, base := openAnalyze(t, "podman://localhost/"+livetest.FixtureImage(t), source.WithGetenv(liveEnv(t, nil)))
	if len(res.Layers) != len(base.Layers)+1 || res.Layers[len(res.Layers)-1].Files != 0 {
		t.Errorf("%d layers (the image has %d), top %+v", len(res.Layers), len(base.Layers), res.Layers[len(res.Layers)-1])
	}
	if got := topEntries(res); len(got) != 0 {
		t.Errorf("a container never started changed %q", got)
	}
}

// An unknown container is one line saying where it was looked for; a
// name that cannot be a container's is refused before any daemon is asked.
func TestLiveContainerUnknown(t *testing.T) {
	getenv := liveEnv(t, nil)
	_, err := source.Open("container://strata-no-such-container", source.WithGetenv(getenv))
	if !errors.Is(err, container.ErrNotFound) || !strings.Contains(err.Error(), "no such container: strata-no-such-container") ||
		!strings.Contains(err.Error(), livetest.DockerHost(t)) || strings.Contains(err.Error(), "\n") {
		t.Errorf("an unknown container: %v", err)
	}
	_, err = source.Open("container://../etc", source.WithGetenv(getenv))
	if err == nil || !strings.Contains(err.Error(), "is not a container ID or name") {
		t.Errorf("a bad name: %v", err)
	}
}
