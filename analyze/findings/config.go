package findings

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/strata-dev/strata/analyze"
)

// secretName matches the names of variables that carry secrets.
var secretName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)`)

// assignment is NAME=value in a command, as ENV, ARG and buildkit's
// recorded build arguments ("|2 A=1 B=2 /bin/sh -c …") write it.
var assignment = regexp.MustCompile(`(?:^|[\s|])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s]+)`)

// Redacted stands for a secret's value in what strata writes.
const Redacted = "<redacted>"

// configFindings are about the configuration: who the image runs as,
// whether it says how to check its health, and secrets in its
// environment or build history.
func configFindings(res *analyze.Result) []Finding {
	if res.Config == nil {
		return nil
	}
	c := res.Config.Config
	var out []Finding
	switch user := strings.TrimSpace(c.User); {
	case user == "" || user == "0" || user == "root" || strings.HasPrefix(user, "0:") || strings.HasPrefix(user, "root:"):
		title := "the image runs as root: it sets no USER"
		if user != "" {
			title = fmt.Sprintf("the image runs as root: USER %s", user)
		}
		out = append(out, Finding{ID: RunsAsRoot, Severity: Warning, Title: title,
			Fix: "Create an unprivileged user (`RUN useradd -r -u 10001 app`) and add `USER app` after the last step that needs root."})
	}
	if hc := c.Healthcheck; hc == nil || len(hc.Test) == 0 || hc.Test[0] == "NONE" {
		out = append(out, Finding{ID: NoHealthcheck, Severity: Info, Title: "the image has no HEALTHCHECK",
			Fix: "Add a HEALTHCHECK (for example `HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1`) so that Docker and Compose can tell a hung container."})
	}
	var leaks []Path
	for _, kv := range c.Env {
		name, value, _ := strings.Cut(kv, "=")
		if secretName.MatchString(name) && value != "" {
			leaks = append(leaks, Path{Path: "ENV " + name + "=" + Redacted, Layer: -1, Kind: "environment variable", Fingerprint: fingerprint([]byte(value))})
		}
	}
	steps := map[int]Step{}
	for i, h := range res.History {
		for _, m := range assignment.FindAllStringSubmatch(h.CreatedBy, -1) {
			if secretName.MatchString(m[1]) && strings.Trim(m[2], `"'`) != "" {
				leaks = append(leaks, Path{Path: RedactCommand(h.CreatedBy), Layer: h.Layer, Kind: "build argument or variable",
					Fingerprint: fingerprint([]byte(strings.Trim(m[2], `"'`)))})
				steps[i] = Step{Layer: h.Layer, History: i, Command: RedactCommand(h.CreatedBy)}
				break
			}
		}
	}
	if len(leaks) > 0 {
		f := Finding{ID: SecretInConfig, Severity: Error, PathCount: len(leaks), Paths: leaks[:min(len(leaks), 10)],
			Title: "secrets in the image's environment or build history",
			Fix:   "Pass secrets at run time or as build secrets (`RUN --mount=type=secret`), never with ENV or ARG: both are recorded in the image's config, which anyone who pulls it can read."}
		for i := range len(res.History) {
			if s, ok := steps[i]; ok {
				f.Steps = append(f.Steps, s)
			}
		}
		out = append(out, f)
	}
	return out
}

// RedactCommand replaces in a history command the values of the
// variables whose names say they are secrets.
func RedactCommand(cmd string) string {
	return assignment.ReplaceAllStringFunc(cmd, func(m string) string {
		sub := assignment.FindStringSubmatch(m)
		if !secretName.MatchString(sub[1]) {
			return m
		}
		lead := m[:strings.Index(m, sub[1])]
		return lead + sub[1] + "=" + Redacted
	})
}
