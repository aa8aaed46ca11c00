package main

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestSplitBuildArgs: strata's flags come first, without "--"; the first
// argument that is not one of them starts the build's; --platform and
// --pull go to both.
func TestSplitBuildArgs(t *testing.T) {
	cmd := newBuildCmd(&environment{getenv: func(string) string { return "" }})
	for _, tt := range []struct {
		args        string
		ours, build string
		help        bool
	}{
		{args: "-t myapp:dev .", build: "-t myapp:dev ."},
		{args: "--source podman .", ours: "--source podman", build: "."},
		{args: "--source=podman -t x .", ours: "--source=podman", build: "-t x ."},
		{args: "--ci --lowest-efficiency 0.95 -t x -f Dockerfile.prod .", ours: "--ci --lowest-efficiency 0.95", build: "-t x -f Dockerfile.prod ."},
		{args: "-j report.json -i .", ours: "-j report.json -i", build: "."},
		{args: "-jreport.json .", ours: "-jreport.json", build: "."},
		{args: "--platform linux/arm64 --pull -t x .", ours: "--platform linux/arm64 --pull", build: "--platform linux/arm64 --pull -t x ."},
		{args: "--json r.json -- --no-cache .", ours: "--json r.json", build: "--no-cache ."},
		{args: "--json r.json -- -t x --ci .", ours: "--json r.json", build: "-t x --ci ."},
		{args: "-t x --ci .", build: "-t x --ci ."}, // after the build's first argument, all is the build's
		{args: "--help", help: true},
		{args: "-h -t x .", build: "-t x .", help: true},
		{args: "-t x --help .", build: "-t x --help ."}, // docker build's help
	} {
		t.Run(tt.args, func(t *testing.T) {
			ours, build, help, err := splitBuildArgs(cmd.Flags(), strings.Fields(tt.args))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(ours, " "); got != tt.ours {
				t.Errorf("strata's: %q, want %q", got, tt.ours)
			}
			if got := strings.Join(build, " "); got != tt.build {
				t.Errorf("the build's: %q, want %q", got, tt.build)
			}
			if help != tt.help {
				t.Errorf("help = %v, want %v", help, tt.help)
			}
		})
	}
	if _, _, _, err := splitBuildArgs(cmd.Flags(), []string{"--source"}); err == nil {
		t.Error("--source without its value was accepted")
	}
}

// TestBuildSourcePodman runs `strata build --source podman -t x .` with a
// podman that records its arguments: strata takes --source as its own and
// runs podman, which gets only the build's arguments.
func TestBuildSourcePodman(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script stands in for podman")
	}
	bin := t.TempDir()
	argsFile := filepath.Join(bin, "args")
	for _, tool := range []string{"podman", "docker"} {
		script := "#!/bin/sh\necho " + tool + " \"$@\" >> " + argsFile + "\nexit 3\n"
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	r := strata(t, noEnv, "build", "--source", "podman", "--ci", "-t", "x", ".")
	wantOneError(t, r, "podman build failed (exit code 3)")
	data, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(data))
	if len(got) < 4 || got[0] != "podman" || got[1] != "build" || got[2] != "--iidfile" || !slices.Equal(got[4:], []string{"-t", "x", "."}) {
		t.Errorf("podman ran with %q, want podman build --iidfile FILE -t x .", got)
	}
}

// TestBuildValuesComplete: build parses its own flags, so it completes
// their values itself.
func TestBuildValuesComplete(t *testing.T) {
	got := complete(t, noEnv, "build", "--platform", "")
	if !slices.Contains(got, "linux/arm64") {
		t.Errorf("build --platform completes to %q", got)
	}
	r := strata(t, noEnv, "__complete", "build", "-t", "x", "")
	if !strings.Contains(r.stdout, ":"+strconv.Itoa(int(cobra.ShellCompDirectiveDefault))+"\n") {
		t.Errorf("build's arguments do not complete to files: %q", r.stdout)
	}
}
