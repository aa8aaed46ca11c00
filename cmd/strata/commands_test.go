package main

import (
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
