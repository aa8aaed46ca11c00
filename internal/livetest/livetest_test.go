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

// fakeTB records what Env and the helpers do to a test: Skipf and Fatalf
// end the goroutine, as they do on a real test.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatal(args ...any) {
	f.failed, f.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

// call runs fn on a fakeTB in its own goroutine and returns the fakeTB and
// what fn returned, if it returned.
func call(fn func(tb testing.TB) string) (*fakeTB, string) {
	f := &fakeTB{}
	var got string
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = fn(f)
	}()
	<-done
	return f, got
}

const unitVar = "STRATA_TEST_LIVETEST_UNIT_VARIABLE"

func TestEnvSet(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		t.Setenv(unitVar, "unix:///tmp/x.sock")
		f, got := call(func(tb testing.TB) string { return Env(tb, unitVar) })
		if f.skipped || f.failed || got != "unix:///tmp/x.sock" {
			t.Errorf("CI=%q: Env = %q, skipped=%v failed=%v (%s)", ci, got, f.skipped, f.failed, f.msg)
		}
	}
}

func TestEnvMissingSkipsOutsideCI(t *testing.T) {
	for _, ci := range []string{"", "false", "0", "no"} {
		t.Setenv("CI", ci)
		t.Setenv(unitVar, "")
		f, _ := call(func(tb testing.TB) string { return Env(tb, unitVar) })
		if !f.skipped || f.failed {
			t.Errorf("CI=%q: skipped=%v failed=%v, want a skip", ci, f.skipped, f.failed)
		}
		for _, want := range []string{unitVar + " is not set", ".ci/run"} {
			if !strings.Contains(f.msg, want) {
				t.Errorf("CI=%q: the skip message %q does not say %q", ci, f.msg, want)
			}
		}
	}
}

func TestEnvMissingFailsInCI(t *testing.T) {
	for _, ci := range []string{"true", "TRUE", "1", "yes", "Yes"} {
		t.Setenv("CI", ci)
		t.Setenv(unitVar, "")
		f, _ := call(func(tb testing.TB) string { return Env(tb, unitVar) })
		if !f.failed || f.skipped {
			t.Errorf("CI=%q: skipped=%v failed=%v, want a failure", ci, f.skipped, f.failed)
		}
		want := "CI=" + ci + " but " + unitVar + " is not set: .ci/run must start"
		if !strings.Contains(f.msg, want) {
			t.Errorf("CI=%q: the failure %q does not say %q", ci, f.msg, want)
		}
	}
}

func TestHelpersReadTheirVariables(t *testing.T) {
	t.Setenv("CI", "")
	vars := map[string]string{
		VarDockerHost:       "unix:///t/docker.sock",
		VarPodmanHost:       "unix:///t/podman.sock",
		VarRegistry:         "127.0.0.1:5000",
		VarRegistryAuth:     "127.0.0.1:5001",
		VarRegistryUser:     "u",
		VarRegistryPassword: "p",
		VarFixtureImage:     "strata-test/fixture:latest",

		VarContainerdAddress:  "/t/containerd.sock",
		VarContainerdOCIImage: "docker.io/strata-test/fixture-oci:latest",
		VarContainerdK8sImage: "strata-test/busybox:latest",
		VarContainerRunning:   "strata-drift",
		VarContainerStopped:   "strata-stopped",
		VarContainerPodman:    "strata-podman-created",
	}
	for k, v := range vars {
		t.Setenv(k, v)
	}
	check := func(name, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("DockerHost", DockerHost(t), vars[VarDockerHost])
	check("PodmanHost", PodmanHost(t), vars[VarPodmanHost])
	check("Registry", Registry(t), vars[VarRegistry])
	host, user, password := AuthRegistry(t)
	check("AuthRegistry host", host, vars[VarRegistryAuth])
	check("AuthRegistry user", user, "u")
	check("AuthRegistry password", password, "p")
	check("FixtureImage", FixtureImage(t), vars[VarFixtureImage])
	check("ContainerdAddress", ContainerdAddress(t), vars[VarContainerdAddress])
	check("ContainerdOCIImage", ContainerdOCIImage(t), vars[VarContainerdOCIImage])
	check("ContainerdK8sImage", ContainerdK8sImage(t), vars[VarContainerdK8sImage])
	check("RunningContainer", RunningContainer(t), vars[VarContainerRunning])
	check("StoppedContainer", StoppedContainer(t), vars[VarContainerStopped])
	check("PodmanContainer", PodmanContainer(t), vars[VarContainerPodman])

	// One missing piece of the auth registry skips the whole helper.
	t.Setenv(VarRegistryPassword, "")
	f, _ := call(func(tb testing.TB) string { h, _, _ := AuthRegistry(tb); return h })
	if !f.skipped || !strings.Contains(f.msg, VarRegistryPassword) {
		t.Errorf("AuthRegistry without a password: skipped=%v, %q", f.skipped, f.msg)
	}
}

func TestFixtureFiles(t *testing.T) {
	t.Setenv("CI", "")
	dir := t.TempDir()
	archive := filepath.Join(dir, "fixture.tar")
	if err := os.WriteFile(archive, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(VarFixtureArchive, archive)
	t.Setenv(VarFixtureOCI, filepath.Join(dir, "missing.tar"))
	if got := FixtureArchive(t); got != archive {
		t.Errorf("FixtureArchive = %q, want %q", got, archive)
	}
	f, _ := call(func(tb testing.TB) string { return FixtureOCI(tb) })
	if !f.failed || !strings.Contains(f.msg, VarFixtureOCI) {
		t.Errorf("FixtureOCI naming a missing file: failed=%v, %q", f.failed, f.msg)
	}
	t.Setenv(VarFixtureOCI, dir)
	f, _ = call(func(tb testing.TB) string { return FixtureOCI(tb) })
	if !f.failed || !strings.Contains(f.msg, "not a regular file") {
		t.Errorf("FixtureOCI naming a directory: failed=%v, %q", f.failed, f.msg)
	}
}

func TestDockerConfigWithAuth(t *testing.T) {
	dir := DockerConfigWithAuth(t, "127.0.0.1:5001", "strata", "pa:ss word")
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Auths map[string]struct {
			Auth string `json:"auth"`
		} `json:"auths"`
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("config.json: %v\n%s", err, b)
	}
	entry, ok := cfg.Auths["127.0.0.1:5001"]
	if !ok || len(cfg.Auths) != 1 {
		t.Fatalf("auths = %v, want one entry for 127.0.0.1:5001", cfg.Auths)
	}
	dec, err := base64.StdEncoding.DecodeString(entry.Auth)
	if err != nil {
		t.Fatalf("auth %q: %v", entry.Auth, err)
	}
	if string(dec) != "strata:pa:ss word" {
		t.Errorf("auth decodes to %q, want %q", dec, "strata:pa:ss word")
	}
	if fi, err := os.Stat(filepath.Join(dir, "config.json")); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("config.json mode %v, want 0600", fi.Mode().Perm())
	}
}
