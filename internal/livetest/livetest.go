package livetest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The variables .ci/run exports.
const (
	// VarDockerHost is a dockerd's address, unix:///.../docker.sock.
	VarDockerHost = "STRATA_TEST_DOCKER_HOST"
	// VarPodmanHost is a podman system service's address (Docker-compatible
	// API), unix:///.../podman.sock.
	VarPodmanHost = "STRATA_TEST_PODMAN_HOST"
	// VarRegistry is an open registry, host:port, plain HTTP.
	VarRegistry = "STRATA_TEST_REGISTRY"
	// VarRegistryAuth is a registry with basic auth, host:port, plain HTTP.
	VarRegistryAuth = "STRATA_TEST_REGISTRY_AUTH"
	// VarRegistryUser and VarRegistryPassword are VarRegistryAuth's login.
	VarRegistryUser     = "STRATA_TEST_REGISTRY_USER"
	VarRegistryPassword = "STRATA_TEST_REGISTRY_PASSWORD"
	// VarFixtureImage is the fixture's name: a tag in the dockerd, in podman
	// with "localhost/" before it, and a repository:tag in both registries.
	VarFixtureImage = "STRATA_TEST_FIXTURE_IMAGE"
	// VarFixtureArchive is the fixture as `docker save` wrote it.
	VarFixtureArchive = "STRATA_TEST_FIXTURE_ARCHIVE"
	// VarFixtureOCI is the fixture as an oci-archive (skopeo).
	VarFixtureOCI = "STRATA_TEST_FIXTURE_OCI"
	// VarStorageDriver is the dockerd's storage driver, overlay2 or vfs.
	// Only overlay2 writes an opaque whiteout for a directory that a step
	// removed and recreated; vfs writes one whiteout per removed file.
	VarStorageDriver = "STRATA_TEST_STORAGE_DRIVER"
	// VarContainerdAddress is a containerd's socket, /.../containerd.sock,
	// with the fixture in namespace "default" under VarFixtureImage's name
	// (imported from VarFixtureArchive) and VarContainerdOCIImage's.
	VarContainerdAddress = "STRATA_TEST_CONTAINERD_ADDRESS"
	// VarContainerdOCIImage is the fixture's name in containerd's namespace
	// "default" as imported from VarFixtureOCI.
	VarContainerdOCIImage = "STRATA_TEST_CONTAINERD_OCI_IMAGE"
	// VarContainerdK8sImage is an image that containerd holds only in
	// namespace "k8s.io".
	VarContainerdK8sImage = "STRATA_TEST_CONTAINERD_K8S_IMAGE"
	// VarContainerRunning is a running container of the dockerd, made from
	// the fixture, that added /app/added.txt and /app/newdir/sub/nested.txt,
	// rewrote /app/config.txt and deleted /data/keep/mode.txt and
	// /data/cache/fresh.txt.
	VarContainerRunning = "STRATA_TEST_CONTAINER_RUNNING"
	// VarContainerStopped is a stopped container of the dockerd, made from
	// the fixture, that added /stopped.txt and deleted /app/config.txt.
	VarContainerStopped = "STRATA_TEST_CONTAINER_STOPPED"
	// VarContainerPodman is a container of the podman service, made from the
	// fixture and never started.
	VarContainerPodman = "STRATA_TEST_CONTAINER_PODMAN"
)

// CI reports whether $CI says this is a CI run: true, 1 or yes, in any case
// (the rule strata's --ci default follows too).
func CI() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("CI"))) {
	case "true", "1", "yes":
		return true
	}
	return false
}

// Env returns the environment variable name. When it is empty the test is
// skipped, with a message that names the variable and says that .ci/run sets
// it; under CI (see [CI]) the test fails instead.
func Env(t testing.TB, name string) string {
	t.Helper()
	if v := os.Getenv(name); v != "" {
		return v
	}
	if CI() {
		t.Fatalf("CI=%s but %s is not set: .ci/run must start the live test components and export it "+
			"(docs/development.md, \"Running the full test suite\")", os.Getenv("CI"), name)
	}
	t.Skipf("%s is not set: this test needs a live component, which .ci/run starts and exports as %s "+
		"(docs/development.md, \"Running the full test suite\")", name, name)
	return ""
}

// DockerHost returns the dockerd's address, unix:///path/docker.sock.
func DockerHost(t testing.TB) string {
	t.Helper()
	return Env(t, VarDockerHost)
}

// PodmanHost returns the podman service's address, unix:///path/podman.sock.
func PodmanHost(t testing.TB) string {
	t.Helper()
	return Env(t, VarPodmanHost)
}

// Registry returns the open registry, host:port (plain HTTP).
func Registry(t testing.TB) string {
	t.Helper()
	return Env(t, VarRegistry)
}

// ContainerdAddress returns the containerd's socket, /path/containerd.sock.
func ContainerdAddress(t testing.TB) string {
	t.Helper()
	return Env(t, VarContainerdAddress)
}

// ContainerdOCIImage returns the name the fixture has in containerd's
// namespace "default" as imported from the oci-archive.
func ContainerdOCIImage(t testing.TB) string {
	t.Helper()
	return Env(t, VarContainerdOCIImage)
}

// ContainerdK8sImage returns an image containerd holds only in namespace
// "k8s.io".
func ContainerdK8sImage(t testing.TB) string {
	t.Helper()
	return Env(t, VarContainerdK8sImage)
}

// RunningContainer returns the name of the dockerd's running container
// that changed files of the fixture (see [VarContainerRunning]).
func RunningContainer(t testing.TB) string {
	t.Helper()
	return Env(t, VarContainerRunning)
}

// StoppedContainer returns the name of the dockerd's stopped container
// (see [VarContainerStopped]).
func StoppedContainer(t testing.TB) string {
	t.Helper()
	return Env(t, VarContainerStopped)
}

// PodmanContainer returns the name of the podman service's container,
// created from the fixture and never started.
func PodmanContainer(t testing.TB) string {
	t.Helper()
	return Env(t, VarContainerPodman)
}

// AuthRegistry returns the basic-auth registry, host:port (plain HTTP), and
// its user and password.
func AuthRegistry(t testing.TB) (host, user, password string) {
	t.Helper()
	return Env(t, VarRegistryAuth), Env(t, VarRegistryUser), Env(t, VarRegistryPassword)
}

// FixtureImage returns the fixture image's name, strata-test/fixture:latest:
// the dockerd's tag, podman's with "localhost/" before it, and the
// repository:tag in both registries.
func FixtureImage(t testing.TB) string {
	t.Helper()
	return Env(t, VarFixtureImage)
}

// FixtureArchive returns the path of the fixture as `docker save` wrote it.
// The test fails if the variable names a file that is not there.
func FixtureArchive(t testing.TB) string {
	t.Helper()
	return existingFile(t, VarFixtureArchive)
}

// FixtureOCI returns the path of the fixture as an oci-archive. The test
// fails if the variable names a file that is not there.
func FixtureOCI(t testing.TB) string {
	t.Helper()
	return existingFile(t, VarFixtureOCI)
}

func existingFile(t testing.TB, name string) string {
	t.Helper()
	p := Env(t, name)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatalf("%s=%s: %v", name, p, err)
	}
	if !fi.Mode().IsRegular() {
		t.Fatalf("%s=%s is not a regular file", name, p)
	}
	return p
}

// DockerConfigWithAuth writes a Docker client configuration directory, under
// t.TempDir(), whose config.json logs in to host as user with password (an
// "auths" entry with base64 "user:password"), and returns its path: set
// DOCKER_CONFIG to it (t.Setenv) for code that reads the Docker keychain.
func DockerConfigWithAuth(t testing.TB, host, user, password string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := dockerConfig{Auths: map[string]dockerAuth{
		host: {Auth: base64.StdEncoding.EncodeToString([]byte(user + ":" + password))},
	}}
	b, err := json.MarshalIndent(cfg, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), append(b, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

type dockerConfig struct {
	Auths map[string]dockerAuth `json:"auths"`
}

type dockerAuth struct {
	Auth string `json:"auth"`
}

// DiveFixtures returns the folder of dive's own test images: $STRATA_DIVE_FIXTURES,
// else ../shared/fixtures/dive beside the repository. When it is not
// there the test is skipped — or, under CI, fails: a CI run must not pass
// as skips.
func DiveFixtures(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("STRATA_DIVE_FIXTURES")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0) // internal/livetest/livetest.go
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "fixtures", "dive")
	}
	if _, err := os.Stat(filepath.Join(dir, "test-docker-image.tar")); err != nil {
		msg := fmt.Sprintf("dive's fixtures are not at %s (set STRATA_DIVE_FIXTURES): %v", dir, err)
		if CI() {
			t.Fatal(msg + "; under CI these tests must run")
		}
		t.Skip(msg)
	}
	return dir
}
