package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The tests of this file follow a newcomer's first steps (issue 14): each
// checks one thing a first try got wrong.

// TestRuleFlagsTurnCIOn: a rule flag, --ci-config or --ci-report asks for
// CI, so it turns CI mode on; --ci=false still turns it off, with a
// warning naming what it ignores.
func TestRuleFlagsTurnCIOn(t *testing.T) {
	img := demoImage(t)
	dir := inEmptyDir(t)
	rulesFile := writeFile(t, dir, "rules.yaml", "rules:\n  lowestEfficiency: 0.5\n  highestUserWastedPercent: 0.5\n")
	junit := filepath.Join(dir, "junit.xml")
	a, b := diffPair(t, "all")

	for _, tt := range []struct {
		name       string
		args       []string
		code       int
		wantLine   string // on stdout
		wantStderr string // all of stderr
		noCI       bool   // the rules did not run
	}{
		{name: "--lowest-efficiency", args: []string{"--lowest-efficiency", "0.5", img},
			code: exitRuleFailed, wantLine: "Result: FAIL [total:4] [passed:2] [failed:1] [skipped:1]"},
		{name: "two rule flags", args: []string{"--lowest-efficiency", "0.5", "--highest-user-wasted-percent", "disabled", img},
			code: exitOK, wantLine: "Result: PASS [total:4] [passed:2] [failed:0] [skipped:2]"},
		{name: "--ci-config", args: []string{"--ci-config", rulesFile, img},
			code: exitOK, wantLine: "CI (rules from " + rulesFile + "):"},
		{name: "--ci-report", args: []string{"--ci-report", "junit=" + junit, img},
			code: exitRuleFailed, wantLine: "Result: FAIL [total:4] [passed:1] [failed:2] [skipped:1]"},
		{name: "--ci=false wins", args: []string{"--ci=false", "--lowest-efficiency", "0.5", "--ci-report", "junit=" + junit, img},
			code: exitOK, noCI: true, wantStderr: "strata: warning: --ci=false: ignoring --lowest-efficiency, --ci-report\n"},
		{name: "diff --highest-size-increase", args: []string{"diff", "--highest-size-increase", "5%", a, b},
			code: exitRuleFailed, wantLine: "CI (default diff rules):"},
		{name: "diff --ci=false wins", args: []string{"diff", "--ci=false", "--highest-new-layer-bytes", "1MB", a, b},
			code: exitOK, noCI: true, wantStderr: "strata: warning: --ci=false: ignoring --highest-new-layer-bytes\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(junit)
			r := strata(t, noEnv, tt.args...)
			wantExit(t, r, tt.code)
			if tt.noCI {
				if strings.Contains(r.stdout, "Result:") {
					t.Errorf("the rules ran\n%s", r)
				}
				if _, err := os.Stat(junit); err == nil {
					t.Errorf("a JUnit report was written")
				}
			} else if !hasLine(r.stdout, tt.wantLine) {
				t.Errorf("stdout lacks %q\n%s", tt.wantLine, r)
			}
			if r.stderr != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", r.stderr, tt.wantStderr)
			}
			if slices.Contains(tt.args, "--ci-report") && !tt.noCI {
				if _, err := os.Stat(junit); err != nil {
					t.Errorf("no JUnit report: %v", err)
				}
			}
		})
	}
}

// TestCLIErrorsThatHelp: bad values and typos are exit 2 with one line
// that says what to do, CI mode or not.
func TestCLIErrorsThatHelp(t *testing.T) {
	img := demoImage(t)
	dir := inEmptyDir(t)
	a, b := diffPair(t, "all")
	outDir := t.TempDir()
	misspelled := writeFile(t, dir, "misspelled.yaml", "rules:\n  lowestEfficency: 0.95\n")

	for _, tt := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"invalid ratio without --ci", []string{"--lowest-efficiency", "abc", img}, []string{"--lowest-efficiency", `"abc"`, "not a number"}},
		{"invalid ratio with --ci=false", []string{"--ci=false", "--lowest-efficiency", "abc", img}, []string{"--lowest-efficiency", `"abc"`}},
		{"invalid size without --ci", []string{"--highest-wasted-bytes", "lots", img}, []string{"--highest-wasted-bytes", `"lots"`}},
		{"invalid percentage to diff", []string{"diff", "--highest-size-increase", "abc%", a, b}, []string{"--highest-size-increase", `"abc%"`, "percentage"}},
		{"invalid size to diff with --ci=false", []string{"diff", "--ci=false", "--highest-new-layer-bytes", "-1", a, b}, []string{"--highest-new-layer-bytes", `"-1"`}},
		{"invalid --ci-report without --ci", []string{"--ci-report", "xml=out.xml", img}, []string{"xml=out.xml", "junit=PATH"}},
		{"misspelled rule in the rules file", []string{"--ci-config", misspelled, img}, []string{misspelled, "lowestEfficency", "did you mean lowestEfficiency?"}},
		{"--json on a directory", []string{"--json", outDir, img}, []string{"--json " + outDir, "it is a directory", filepath.Join(outDir, "report.json")}},
		{"diff --json on a directory", []string{"diff", "--json", outDir, a, b}, []string{"it is a directory"}},
		{"--ci-report on a directory", []string{"--ci-report", "junit=" + outDir, img}, []string{outDir, "it is a directory"}},
		{"oci-archive:// on a docker-archive", []string{"oci-archive://" + img}, []string{img, "is a docker-archive", "not an oci-archive", "docker-archive://"}},
		{"--source oci-archive on a docker-archive", []string{"--source", "oci-archive", img}, []string{"is a docker-archive", "docker-archive://"}},
		{"unknown flag a typo away", []string{"--josn", "out.json", img}, []string{"unknown flag: --josn", "did you mean --json?"}},
		{"dive's spelling of a rule flag", []string{"--lowestEfficiency", "0.9", img}, []string{"did you mean --lowest-efficiency?"}},
		{"a flag's start", []string{"--ignore", img}, []string{"did you mean --ignore-errors?"}},
		{"a long flag with one dash", []string{"-ci", img}, []string{"did you mean --ci?"}},
		{"unknown flag to inspect", []string{"inspect", "--no-tiu", img}, []string{"did you mean --no-tui?"}},
		{"unknown flag to extract", []string{"extract", "--layre", "1", img, "/app"}, []string{"did you mean --layer?"}},
		{"unknown flag to diff", []string{"diff", "--highest-size-increse", "5%", a, b}, []string{"did you mean --highest-size-increase?"}},
		{"unknown flag to build", []string{"build", "--sorce", "podman", "--", "."}, []string{"did you mean --source?"}},
		{"unknown flag far from all", []string{"--xyzzy", img}, []string{"unknown flag: --xyzzy", "see strata --help"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantOneError(t, strata(t, noEnv, tt.args...), tt.mentions...)
		})
	}
	if names := dirNames(t, outDir); len(names) != 0 {
		t.Errorf("a refused --json left %q in the directory", names)
	}
}

// TestJSONFileSaysWhatItWrote: --json FILE says on stderr, in one line,
// what went where; --json - keeps stderr quiet.
func TestJSONFileSaysWhatItWrote(t *testing.T) {
	img := demoImage(t)
	dir := inEmptyDir(t)
	path := filepath.Join(dir, "report.json")
	r := strata(t, noEnv, "--json", path, img)
	wantExit(t, r, exitOK)
	if want := "strata: wrote the analysis of " + img + " (9 layers) as JSON to " + path + "\n"; r.stderr != want || r.stdout != "" {
		t.Errorf("stderr = %q, want %q, and nothing on stdout\n%s", r.stderr, want, r)
	}
	r = strata(t, noEnv, "--json", "-", img)
	wantExit(t, r, exitOK)
	if r.stderr != "" {
		t.Errorf("--json - wrote on stderr: %q", r.stderr)
	}
}

// TestHelpTexts checks what the help says about IMAGE, --ci-report,
// --verify, --no-tui, extract --layer and the shells.
func TestHelpTexts(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		want     []string
		dontWant []string
	}{
		{[]string{"--help"}, []string{"registry://ghcr.io/org/app:1.5", "docker://app:dev", "alpine:3.20", "oci-archive://", "--no-tui", "Docker\ndaemon when one answers"}, nil},
		{[]string{"inspect", "--help"}, []string{"--ci-report junit=PATH", "junit=PATH (JUnit XML), sarif=PATH", "--lowest-efficiency RATIO", "--no-tui"}, []string{"as junit=PATH"}},
		{[]string{"inspect", "--help"}, []string{"about 1.4 times as fast on layers stored uncompressed"}, []string{"several times faster"}},
		{[]string{"diff", "--help"}, []string{"--ci-report junit=PATH", "--no-tui"}, nil},
		{[]string{"extract", "--help"}, []string{"--layer N", "(default: the last layer)"}, []string{"(default -1)", "(default 0)"}},
		{[]string{"build", "--help"}, []string{"strata build [strata flags] [--] DOCKER_BUILD_ARGS", "strata's own flags come first", "--source podman -t myapp:dev ."}, []string{"docker build [OPTIONS]"}},
		{[]string{"build", "-h"}, []string{"strata's own flags come first"}, nil},
		{[]string{"completion", "--help"}, []string{"bash", "zsh", "fish"}, []string{"powershell"}},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := strata(t, noEnv, tt.args...)
			wantExit(t, r, exitOK)
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("the help lacks %q\n%s", w, r.stdout)
				}
			}
			for _, w := range tt.dontWant {
				if strings.Contains(r.stdout, w) {
					t.Errorf("the help holds %q\n%s", w, r.stdout)
				}
			}
		})
	}
	r := strata(t, noEnv, "completion", "powershell")
	if r.code != exitError || r.stdout != "" {
		t.Errorf("completion powershell: want exit 2 and no script\n%s", r)
	}
}

// complete asks strata's completion, as a shell does, and returns the
// candidates.
func complete(t *testing.T, env map[string]string, args ...string) []string {
	t.Helper()
	r := strata(t, env, append([]string{"__complete"}, args...)...)
	wantExit(t, r, exitOK)
	var out []string
	for _, l := range lines(r.stdout) {
		if !strings.HasPrefix(l, ":") { // the directive
			out = append(out, strings.SplitN(l, "\t", 2)[0])
		}
	}
	return out
}

func TestCompletionOfValues(t *testing.T) {
	t.Run("--source", func(t *testing.T) {
		for _, cmd := range [][]string{nil, {"inspect"}, {"diff"}, {"extract"}, {"build"}} {
			got := complete(t, noEnv, append(cmd, "--source", "")...)
			for _, want := range []string{"docker-archive", "oci-archive", "oci", "docker", "podman", "registry"} {
				if !slices.Contains(got, want) {
					t.Errorf("%v --source completes to %q, which lacks %s", cmd, got, want)
				}
			}
		}
	})
	t.Run("--platform", func(t *testing.T) {
		got := complete(t, noEnv, "--platform", "")
		for _, want := range []string{"linux/amd64", "linux/arm64", "linux/arm/v7"} {
			if !slices.Contains(got, want) {
				t.Errorf("--platform completes to %q, which lacks %s", got, want)
			}
		}
	})
	t.Run("images from the daemon", func(t *testing.T) {
		host := fakeDaemonWithImages(t, "myapp:dev", "myapp:1.4", "alpine:3.20", "<none>:<none>")
		env := map[string]string{"DOCKER_HOST": host}
		if got, want := complete(t, env, "inspect", ""), []string{"alpine:3.20", "myapp:1.4", "myapp:dev"}; !slices.Equal(got, want) {
			t.Errorf("IMAGE completes to %q, want %q", got, want)
		}
		// strata IMAGE: the commands, then the images.
		if got := complete(t, env, ""); !slices.Contains(got, "inspect") || !slices.Contains(got, "myapp:dev") {
			t.Errorf("strata's first argument completes to %q, want the commands and the images", got)
		}
		if got, want := complete(t, env, "my"), []string{"myapp:1.4", "myapp:dev"}; !slices.Equal(got, want) {
			t.Errorf("my completes to %q, want %q", got, want)
		}
		if got, want := complete(t, env, "docker://a"), []string{"docker://alpine:3.20"}; !slices.Equal(got, want) {
			t.Errorf("docker://a completes to %q, want %q", got, want)
		}
		if got, want := complete(t, env, "diff", "alpine:3.20", "myapp:d"), []string{"myapp:dev"}; !slices.Equal(got, want) {
			t.Errorf("diff's IMAGE_B completes to %q, want %q", got, want)
		}
		if got := complete(t, env, "./"); len(got) != 0 {
			t.Errorf("a path completes to images: %q", got)
		}
	})
	t.Run("no daemon", func(t *testing.T) {
		env := map[string]string{"DOCKER_HOST": "unix://" + filepath.Join(t.TempDir(), "none.sock")}
		if got := complete(t, env, "inspect", ""); len(got) != 0 {
			t.Errorf("without a daemon IMAGE completes to %q", got)
		}
	})
}

// fakeDaemonWithImages serves the two calls completion makes of a Docker
// daemon, on a unix socket, and returns its DOCKER_HOST.
func fakeDaemonWithImages(t *testing.T, tags ...string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "d") // short: a socket's path is limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ln, err := net.Listen("unix", filepath.Join(dir, "d.sock"))
	if err != nil {
		t.Skipf("no unix socket: %v", err)
	}
	quoted := make([]string, len(tags))
	for i, tag := range tags {
		quoted[i] = `"` + tag + `"`
	}
	list := `[{"Id":"sha256:01","RepoTags":[` + strings.Join(quoted[:len(quoted)/2], ",") + `]},` +
		`{"Id":"sha256:02","RepoTags":[` + strings.Join(quoted[len(quoted)/2:], ",") + `]}]`
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.44")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			io.WriteString(w, "OK")
		case strings.HasSuffix(r.URL.Path, "/images/json"):
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, list)
		default:
			http.NotFound(w, r)
		}
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "unix://" + ln.Addr().String()
}
