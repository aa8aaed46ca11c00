package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/livetest"
)

// An authenticated registry: without credentials one clear line and exit
// 2; with a DOCKER_CONFIG holding them, the analysis. The password never
// appears in any output stream.
func TestLiveRegistryAuthCLI(t *testing.T) {
	host, user, password := livetest.AuthRegistry(t)
	ref := "registry://" + host + "/" + livetest.FixtureImage(t)
	t.Setenv("REGISTRY_AUTH_FILE", filepath.Join(t.TempDir(), "none.json"))

	t.Setenv("DOCKER_CONFIG", t.TempDir())
	r := strata(t, nil, "inspect", "--json", "-", ref)
	if r.code != exitError || !strings.Contains(r.stderr, "unauthorized: credentials were missing or refused") ||
		strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
		t.Errorf("without credentials:\n%s", r)
	}

	t.Setenv("DOCKER_CONFIG", livetest.DockerConfigWithAuth(t, host, user, password))
	r = strata(t, nil, "inspect", "--json", "-", ref)
	if r.code != exitOK {
		t.Fatalf("with credentials:\n%s", r)
	}
	var doc struct {
		Image struct{ Source, Reference string }
		Layer []struct{ DigestID string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Image.Source != "registry" || len(doc.Layer) != 9 {
		t.Errorf("report: %v, %+v", err, doc.Image)
	}
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, password) {
			t.Error("the password is in the output")
		}
	}
}

// A bare reference: the daemon when it has the image, said on stderr.
func TestLiveBareReferenceCLI(t *testing.T) {
	env := map[string]string{"DOCKER_HOST": livetest.DockerHost(t), "HOME": t.TempDir()}
	r := strata(t, env, "inspect", "--json", "-", livetest.FixtureImage(t))
	if r.code != exitOK || !strings.Contains(r.stderr, "from the Docker daemon at "+livetest.DockerHost(t)+" ($DOCKER_HOST)") {
		t.Errorf("bare reference:\n%s", r)
	}
	r = strata(t, map[string]string{"DOCKER_HOST": "unix:///nonexistent.sock", "HOME": t.TempDir()},
		"inspect", "--json", "-", livetest.Registry(t)+"/"+livetest.FixtureImage(t))
	if r.code != exitOK || !strings.Contains(r.stderr, "from its registry (no Docker daemon answered; ") {
		t.Errorf("bare reference with no daemon:\n%s", r)
	}
	r = strata(t, env, "inspect", "docker://strata-test/missing:latest")
	if r.code != exitError || !strings.Contains(r.stderr, "is not in the Docker daemon") || !strings.Contains(r.stderr, "--pull") {
		t.Errorf("missing image:\n%s", r)
	}
}

// strata build runs docker build through the daemon and inspects the result.
func TestLiveBuild(t *testing.T) {
	host := livetest.DockerHost(t)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatalf("no docker command: %v", err)
	}
	// docker build reads the daemon from the real environment.
	t.Setenv("DOCKER_HOST", host)
	t.Setenv("DOCKER_BUILDKIT", "0")
	out := filepath.Join(t.TempDir(), "report.json")
	r := strata(t, map[string]string{"DOCKER_HOST": host, "HOME": t.TempDir()},
		"build", "--json", out, "--", "--network", "none", "-t", "strata-test/built:latest",
		"-f", "../../testdata/live/fixture.Dockerfile", "../../testdata/live")
	if r.code != exitOK {
		t.Fatalf("strata build:\n%s", r)
	}
	if !strings.Contains(r.stderr, "strata: built sha256:") {
		t.Errorf("build did not say what it built:\n%s", r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Image struct{ Source string }
		Layer []json.RawMessage
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Image.Source != "docker" || len(doc.Layer) != 9 {
		t.Errorf("report of the built image: %v, source %q, %d layers", err, doc.Image.Source, len(doc.Layer))
	}
	r = strata(t, nil, "build", "--", "--network", "none", "-f", "../../testdata/live/no-such.Dockerfile", "../../testdata/live")
	if r.code != exitError || !strings.Contains(r.stderr, "docker build failed") {
		t.Errorf("a failing build:\n%s", r)
	}
}
