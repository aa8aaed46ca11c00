package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/analyze/rules"
	"github.com/strata-dev/strata/internal/textsafe"
)

// ciReport is one --ci-report value: a format and the file to write.
type ciReport struct {
	format string // junit, sarif or markdown
	path   string
}

// ciReports reads --ci-report values, each FORMAT=PATH, and checks that
// each PATH can be written. sarif is for inspect only (diff has no
// findings of its own).
func ciReports(values []string, sarif bool) ([]ciReport, error) {
	formats := "junit=PATH or markdown=PATH"
	if sarif {
		formats = "junit=PATH, sarif=PATH or markdown=PATH"
	}
	var out []ciReport
	for _, v := range values {
		format, path, ok := strings.Cut(v, "=")
		known := format == "junit" || format == "markdown" || format == "sarif" && sarif
		if !ok || path == "" || !known {
			return nil, fmt.Errorf("--ci-report %q: give %s", v, formats)
		}
		example := map[string]string{"junit": "junit.xml", "sarif": "strata.sarif", "markdown": "strata.md"}[format]
		if err := checkOutputFile("--ci-report", path, example); err != nil {
			return nil, err
		}
		out = append(out, ciReport{format, path})
	}
	return out, nil
}

// writeCIReports writes each report, and, when $GITHUB_STEP_SUMMARY names
// a file (GitHub Actions), adds the Markdown summary to it.
func writeCIReports(env *environment, reports []ciReport, suite, ref string, r rules.Report, fs []findings.Finding, took time.Duration) error {
	for _, rep := range reports {
		err := writeFileAtomic(rep.path, func(w io.Writer) error {
			switch rep.format {
			case "sarif":
				return rules.WriteSARIF(w, ref, currentVersion(), fs)
			case "markdown":
				return rules.WriteMarkdown(w, ref, r, fs)
			}
			return r.WriteJUnit(w, suite, took)
		})
		if err != nil {
			return err
		}
	}
	if path := env.getenv("GITHUB_STEP_SUMMARY"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("adding to $GITHUB_STEP_SUMMARY: %w", err)
		}
		err = rules.WriteMarkdown(f, ref, r, fs)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("adding to $GITHUB_STEP_SUMMARY: %w", err)
		}
	}
	return nil
}

// suiteName is a JUnit suite's name: "strata" and the image references.
func suiteName(refs ...string) string {
	for i, r := range refs {
		refs[i] = textsafe.Line(r)
	}
	return strings.Join(append([]string{"strata"}, refs...), " ")
}

// currentVersion is this build's version, for reports.
func currentVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return readBuildVersion(version, bi).version
}
