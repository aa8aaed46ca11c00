package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is set by the release build (.goreleaser.yaml):
// -ldflags "-X main.version=1.2.3".
var version = ""

// buildVersion is what strata says about the build it is: the version, and
// the commit and its time as the Go toolchain recorded them.
type buildVersion struct {
	version  string // "1.2.3", "v0.0.0-20260301…-0123456789ab+dirty", or ""
	commit   string // vcs.revision, or ""
	time     string // vcs.time, the commit's time, or ""
	modified bool   // vcs.modified: built with uncommitted changes
}

// readBuildVersion reads the version from the release build's ldflags,
// else from the module version the toolchain stamped, and the commit from
// the build info (go build in a git checkout records it; go install
// module@version and builds with -buildvcs=false do not).
func readBuildVersion(ldflagsVersion string, bi *debug.BuildInfo) buildVersion {
	v := buildVersion{version: ldflagsVersion}
	if bi == nil {
		return v
	}
	if v.version == "" && bi.Main.Version != "(devel)" {
		v.version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.commit = s.Value
		case "vcs.time":
			v.time = s.Value
		case "vcs.modified":
			v.modified = s.Value == "true"
		}
	}
	return v
}

// String says it in one line: "1.2.3 (commit 0123456789ab, 2026-03-01T10:00:00Z)",
// with "unknown" for what the build did not record.
func (v buildVersion) String() string {
	var b strings.Builder
	if v.version != "" {
		b.WriteString(v.version)
	} else {
		b.WriteString("version unknown")
	}
	b.WriteString(" (commit ")
	switch {
	case v.commit == "":
		b.WriteString("unknown")
	case len(v.commit) > 12:
		b.WriteString(v.commit[:12])
	default:
		b.WriteString(v.commit)
	}
	if v.modified {
		b.WriteString(" with uncommitted changes")
	}
	b.WriteString(", ")
	if v.time != "" {
		b.WriteString(v.time)
	} else {
		b.WriteString("date unknown")
	}
	b.WriteString(")")
	return b.String()
}

// versionString is this binary's version line, without "strata ".
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return readBuildVersion(version, bi).String()
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print strata's version, commit and commit date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "strata %s\n", versionString())
			return err
		},
	}
}
