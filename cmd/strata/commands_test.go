package main

import (
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	r := strata(t, noEnv, "version")
	wantExit(t, r, exitOK)
	got := lines(r.stdout)
	if len(got) != 1 || !strings.HasPrefix(got[0], "strata ") || len(got[0]) == len("strata ") {
		t.Errorf("version printed %q, want one line \"strata VERSION\"", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr is not empty\n%s", r)
	}

	flag := strata(t, noEnv, "--version")
	wantExit(t, flag, exitOK)
	if flag.stdout != r.stdout {
		t.Errorf("--version printed %q, version printed %q", flag.stdout, r.stdout)
	}
}

func TestCompletion(t *testing.T) {
	for _, tt := range []struct{ shell, want string }{
		{"bash", "__start_strata"},
		{"zsh", "#compdef strata"},
		{"fish", "complete -c strata"},
	} {
		t.Run(tt.shell, func(t *testing.T) {
			r := strata(t, noEnv, "completion", tt.shell)
			wantExit(t, r, exitOK)
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("the %s script lacks %q\n%.500s", tt.shell, tt.want, r.stdout)
			}
			if r.stderr != "" {
				t.Errorf("stderr is not empty: %q", r.stderr)
			}
		})
	}
}

func TestNoArgumentsPrintsHelp(t *testing.T) {
	// Even in CI, a bare "strata" only shows the help.
	for _, env := range []map[string]string{noEnv, {"CI": "true"}} {
		r := strata(t, env)
		wantExit(t, r, exitOK)
		for _, want := range []string{"Usage:", "strata [flags] IMAGE", "inspect", "version", "completion", "--json"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("help lacks %q\n%s", want, r)
			}
		}
		if r.stderr != "" {
			t.Errorf("stderr is not empty\n%s", r)
		}
	}
}

func TestInspectHelp(t *testing.T) {
	r := strata(t, noEnv, "inspect", "--help")
	wantExit(t, r, exitOK)
	for _, want := range []string{"strata inspect [flags] IMAGE", "--json", "--ci-config", "--lowest-efficiency", "--ignore-errors"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect --help lacks %q\n%s", want, r)
		}
	}
}

func TestShorthandIsInspect(t *testing.T) {
	img := demoImage(t)

	short := strata(t, noEnv, img)
	wantExit(t, short, exitOK)
	long := strata(t, noEnv, "inspect", img)
	wantExit(t, long, exitOK)
	if short.stdout != long.stdout {
		t.Errorf("strata IMAGE and strata inspect IMAGE differ:\n--- strata IMAGE:\n%s--- strata inspect IMAGE:\n%s", short.stdout, long.stdout)
	}
	if short.stderr != "" || long.stderr != "" {
		t.Errorf("stderr is not empty:\n%s\n%s", short, long)
	}
	for _, want := range []string{
		"Image: " + img + " (docker-archive, linux/amd64)",
		"Efficiency:",
		"apt-get update && apt-get install -y curl",
		"rm -rf /var/lib/apt/lists/*",
		"COPY --chown=1000:1000 app/ /app/",
		"sed -i 's/level: debug/level: warn/' config.yaml",
		"Inefficient files:",
	} {
		if !strings.Contains(short.stdout, want) {
			t.Errorf("the summary lacks %q\n%s", want, short)
		}
	}
	// CI is off, so no rules ran.
	if strings.Contains(short.stdout, "Result:") {
		t.Errorf("the rules ran with CI unset\n%s", short)
	}
}

// TestVersionString: the release version from ldflags, else the module
// version the toolchain stamped; the commit and its date from the build
// info; "unknown" for what the build did not record.
func TestVersionString(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-03-01T10:00:00Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	dirty := append(slices.Clone(vcs[:3]), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	for _, tt := range []struct {
		name    string
		ldflags string
		bi      *debug.BuildInfo
		want    string
	}{
		{"release build", "1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"1.2.3 (commit 0123456789ab, 2026-03-01T10:00:00Z)"},
		{"go build in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260301100000-0123456789ab+dirty"}, Settings: dirty},
			"v0.0.0-20260301100000-0123456789ab+dirty (commit 0123456789ab with uncommitted changes, 2026-03-01T10:00:00Z)"},
		{"go install module@version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}},
			"v1.2.3 (commit unknown, date unknown)"},
		{"-buildvcs=false", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			"version unknown (commit unknown, date unknown)"},
		{"no build info", "", nil, "version unknown (commit unknown, date unknown)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := readBuildVersion(tt.ldflags, tt.bi).String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
