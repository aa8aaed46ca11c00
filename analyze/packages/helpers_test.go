package packages_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// analyzed builds an image from steps and returns its analysis and
// packages.
func analyzed(t *testing.T, steps []imagetest.Step, opts ...packages.Option) (*analyze.Result, *packages.Result) {
	t.Helper()
	img, err := imagetest.Image(steps)
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	a := packages.New(opts...)
	res, err := analyze.Analyze(context.Background(), src, analyze.WithObserver(a))
	if err != nil {
		t.Fatal(err)
	}
	return res, a.Packages(res)
}

// line writes a package as one line: ecosystem, name, version, arch,
// location, size, files, then each change.
func line(p packages.Package) string {
	var changes []string
	for _, c := range p.Changes {
		s := fmt.Sprintf("%d:%s", c.Layer, c.Change)
		if c.From != "" {
			s += " " + c.From
		}
		if c.Version != "" {
			s += "→" + c.Version
		}
		changes = append(changes, fmt.Sprintf("%s(%d/%d)", s, c.SizeBytes, c.FileCount))
	}
	removed := ""
	if p.Removed {
		removed = " REMOVED"
	}
	return fmt.Sprintf("%s %s %s %s %s %d/%d [%s]%s", p.Ecosystem, p.Name, p.Version, p.Arch, p.Location,
		p.SizeBytes, p.FileCount, strings.Join(changes, ", "), removed)
}

func lines(r *packages.Result) []string {
	var out []string
	for _, p := range r.Packages {
		out = append(out, line(p))
	}
	return out
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func bytesOf(n int, c string) string { return strings.Repeat(c, n) }

// paragraph writes a dpkg status paragraph.
func paragraph(name, version, arch string, extra ...string) string {
	s := "Package: " + name + "\n"
	for _, e := range extra {
		s += e + "\n"
	}
	return s + "Version: " + version + "\nArchitecture: " + arch + "\nDescription: a test package\n of " + name + "\n\n"
}

const installed = "Status: install ok installed"

func itoa(n int64) string { return fmt.Sprint(n) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
