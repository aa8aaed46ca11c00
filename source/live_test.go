package source_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/moby/moby/client"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/docker"
	"github.com/strata-dev/strata/source/registry"
)

// liveEnv is an environment for the live sources: DOCKER_HOST and
// CONTAINER_HOST point at the daemons .ci/run started, HOME at an empty
// directory.
func liveEnv(t *testing.T, extra map[string]string) func(string) string {
	env := map[string]string{
		"DOCKER_HOST":    livetest.DockerHost(t),
		"CONTAINER_HOST": livetest.PodmanHost(t),
		"HOME":           t.TempDir(),
	}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

// The same image from the daemon, its docker save archive and its
// skopeo oci-archive gives the same analysis.
func TestLiveDaemonMatchesArchives(t *testing.T) {
	ref := livetest.FixtureImage(t)
	getenv := liveEnv(t, nil)
	var logged []string
	logf := func(f string, a ...any) { logged = append(logged, f) }

	img, fromDaemon := openAnalyze(t, "docker://"+ref, source.WithGetenv(getenv))
	if img.Kind != source.Docker {
		t.Errorf("docker:// opened as %s", img.Kind)
	}
	want := summarize(fromDaemon)
	checkFixture(t, fromDaemon)
	for _, other := range []string{livetest.FixtureArchive(t), livetest.FixtureOCI(t)} {
		_, res := openAnalyze(t, other)
		compareSummaries(t, other, summarize(res), want)
	}

	// A bare reference goes to the daemon when it answers and has the image.
	img, res := openAnalyze(t, ref, source.WithGetenv(getenv), source.WithLogf(logf))
	if img.Kind != source.Docker || len(logged) != 1 || !strings.Contains(logged[0], "Docker daemon") {
		t.Errorf("bare %s read from %s, log %q", ref, img.Kind, logged)
	}
	compareSummaries(t, "bare "+ref, summarize(res), want)
}

// checkFixture checks what testdata/live/fixture.Dockerfile's steps must
// have produced.
func checkFixture(t *testing.T, res *analyze.Result) {
	t.Helper()
	if len(res.Layers) != 9 {
		t.Fatalf("fixture has %d layers, want 9", len(res.Layers))
	}
	byCmd := func(part string) *tree.Layer {
		for _, l := range res.Layers {
			if strings.Contains(l.CreatedBy, part) {
				return l
			}
		}
		t.Fatalf("no layer made by %q", part)
		return nil
	}
	changes := func(l *tree.Layer) [4]int {
		return tree.NewView(res.Tree, res.Layers, l.Index, tree.CompareLayer).Counts
	}
	if c := changes(byCmd("rm /data/remove-me.txt")); c[tree.Removed] != 2 {
		t.Errorf("the deletion layer removed %d paths, want 2", c[tree.Removed])
	}
	if c := changes(byCmd("chmod 0600")); c[tree.Modified] < 1 || c[tree.Added] != 0 {
		t.Errorf("the chmod layer: %v", c)
	}
	if c := changes(byCmd("chown 65534")); c[tree.Modified] < 1 || c[tree.Added] != 0 {
		t.Errorf("the chown layer: %v", c)
	}
	if n := byCmd("while [ $i -lt 2000 ]").Files; n < 2000 {
		t.Errorf("the many-files layer has %d entries", n)
	}
	found := false
	for _, in := range res.Metrics.Inefficient {
		if in.Path == "/app/config.txt" && in.Count == 3 {
			found = true
		}
	}
	if !found {
		t.Errorf("/app/config.txt, written three times, is not inefficient ×3: %+v", res.Metrics.Inefficient)
	}
	for _, h := range []string{"ENV STRATA_FIXTURE=1", "CMD ["} {
		seen := false
		for _, e := range res.History {
			seen = seen || strings.Contains(e.CreatedBy, h) && e.EmptyLayer
		}
		if !seen {
			t.Errorf("history lacks the empty step %q", h)
		}
	}
}

func TestLiveDaemonErrors(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the daemon source spools its archive
	getenv := liveEnv(t, nil)
	_, err := source.Open("docker://strata-test/no-such-image:latest", source.WithGetenv(getenv))
	if !errors.Is(err, docker.ErrNotFound) || !strings.Contains(err.Error(), "--pull") {
		t.Errorf("a missing image gave %v", err)
	}
	sock := "unix://" + filepath.Join(t.TempDir(), "nothing.sock")
	_, err = source.Open("docker://"+livetest.FixtureImage(t), source.WithGetenv(liveEnv(t, map[string]string{"DOCKER_HOST": sock})))
	if !errors.Is(err, docker.ErrUnreachable) || !strings.Contains(err.Error(), sock) || !strings.Contains(err.Error(), "$DOCKER_HOST") {
		t.Errorf("an unreachable daemon gave %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("the error is more than one line: %q", err)
	}
	// No temporary archive is left behind by any of it.
	left, _ := filepath.Glob(filepath.Join(tmp, "*"))
	for _, f := range left {
		t.Errorf("temporary file left: %s", f)
	}
}

// --pull pulls from the local registry through the daemon.
func TestLivePullThroughDaemon(t *testing.T) {
	ref := livetest.Registry(t) + "/strata-test/busybox:latest"
	host := livetest.DockerHost(t)
	cli, err := client.New(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	remove := func() { cli.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{Force: true}) }
	remove()
	t.Cleanup(remove)
	getenv := liveEnv(t, nil)
	if _, err := source.Open("docker://"+ref, source.WithGetenv(getenv)); !errors.Is(err, docker.ErrNotFound) {
		t.Fatalf("before the pull: %v", err)
	}
	var progress strings.Builder
	img, res := openAnalyze(t, "docker://"+ref, source.WithGetenv(getenv), source.WithPull(true), source.WithProgress(&progress))
	if img.Kind != source.Docker || len(res.Layers) != 1 {
		t.Errorf("pulled image: %s, %d layers", img.Kind, len(res.Layers))
	}
	if !strings.Contains(progress.String(), "pulling "+ref) {
		t.Errorf("no pull progress: %q", progress.String())
	}
}

// podman's API socket and its CLI give the same analysis.
func TestLivePodman(t *testing.T) {
	ref := "localhost/" + livetest.FixtureImage(t)
	img, viaSocket := openAnalyze(t, "podman://"+ref, source.WithGetenv(liveEnv(t, nil)))
	if img.Kind != source.Podman {
		t.Errorf("podman:// opened as %s", img.Kind)
	}
	checkFixture(t, viaSocket)
	cli := livetest.Env(t, "STRATA_TEST_PODMAN_CLI")
	// No socket answers: the fallback runs `podman image save`.
	noSocket := liveEnv(t, map[string]string{
		"CONTAINER_HOST":  "unix://" + filepath.Join(t.TempDir(), "none.sock"),
		"XDG_RUNTIME_DIR": t.TempDir(),
	})
	_, viaCLI := openAnalyze(t, "podman://"+ref, source.WithGetenv(noSocket), source.WithPodmanCLI(cli))
	compareSummaries(t, "podman image save", summarize(viaCLI), summarize(viaSocket))
}

// The registry gives the same analysis as the daemon it was pushed from,
// and a bare reference the daemon lacks is read from the registry.
func TestLiveRegistry(t *testing.T) {
	reg := livetest.Registry(t)
	getenv := liveEnv(t, nil)
	_, fromDaemon := openAnalyze(t, "docker://"+livetest.FixtureImage(t), source.WithGetenv(getenv))
	img, fromRegistry := openAnalyze(t, "registry://"+reg+"/"+livetest.FixtureImage(t))
	if img.Kind != source.Registry {
		t.Errorf("registry:// opened as %s", img.Kind)
	}
	compareSummaries(t, "registry", summarize(fromRegistry), summarize(fromDaemon))

	var logged []string
	ref := reg + "/strata-test/fixture-oci:latest"
	img, res := openAnalyze(t, ref, source.WithGetenv(getenv),
		source.WithLogf(func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }))
	if img.Kind != source.Registry || len(logged) != 1 || !strings.Contains(logged[0], "does not have it") {
		t.Errorf("bare %s read from %s, log %q", ref, img.Kind, logged)
	}
	compareSummaries(t, "oci manifest in the registry", summarize(res), summarize(fromDaemon))
}

func TestLiveRegistryAuth(t *testing.T) {
	host, user, password := livetest.AuthRegistry(t)
	ref := "registry://" + host + "/" + livetest.FixtureImage(t)
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	t.Setenv("REGISTRY_AUTH_FILE", filepath.Join(t.TempDir(), "none.json"))
	_, err := source.Open(ref)
	if !errors.Is(err, registry.ErrUnauthorized) || !strings.Contains(err.Error(), "credentials were missing or refused") {
		t.Fatalf("without credentials: %v", err)
	}
	t.Setenv("DOCKER_CONFIG", livetest.DockerConfigWithAuth(t, host, user, "wrong-"+password))
	_, err = source.Open(ref)
	if !errors.Is(err, registry.ErrUnauthorized) || strings.Contains(err.Error(), password) {
		t.Fatalf("with a wrong password: %v", err)
	}
	t.Setenv("DOCKER_CONFIG", livetest.DockerConfigWithAuth(t, host, user, password))
	_, res := openAnalyze(t, ref)
	checkFixture(t, res)
}

// A two-platform index pushed to the real registry is picked by platform.
func TestLiveRegistryPlatforms(t *testing.T) {
	reg := livetest.Registry(t)
	var imgs []v1.Image
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "ADD " + arch, Entries: []imagetest.Entry{imagetest.Reg("/arch", arch)}}},
			imagetest.WithPlatform("linux", arch, ""))
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	idx, err := imagetest.Index(imgs...)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag(reg+"/strata-test/multi:latest", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(tag, idx); err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		img, res := openAnalyze(t, "registry://"+tag.String(), source.WithPlatform(v1.Platform{OS: "linux", Architecture: arch}))
		if img.Platform.Architecture != arch || !strings.Contains(res.Layers[0].CreatedBy, arch) {
			t.Errorf("--platform linux/%s gave %s (%s)", arch, source.FormatPlatform(img.Platform), res.Layers[0].CreatedBy)
		}
	}
	_, err = source.Open("registry://"+tag.String(), source.WithPlatform(v1.Platform{OS: "linux", Architecture: "s390x"}))
	if err == nil || !strings.Contains(err.Error(), "linux/amd64, linux/arm64") {
		t.Errorf("an unknown platform gave %v", err)
	}
}
