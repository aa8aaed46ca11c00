package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/rules"
	"github.com/strata-dev/strata/analyze/tree"
)

// writePackages prints what the packages of the final image add up to
// and, per step that changed any, the count and size of the packages it
// added, upgraded or downgraded, and removed; with verbose, the packages
// themselves under each step.
func writePackages(b *strings.Builder, res *analyze.Result, r *packages.Result, verbose bool) {
	if r == nil {
		return
	}
	s := r.Summary
	if s.Packages > 0 || len(r.Packages) > 0 {
		var ecos []string
		for _, e := range slices.Sorted(maps.Keys(s.Ecosystems)) {
			ecos = append(ecos, fmt.Sprintf("%s %d", e, s.Ecosystems[e]))
		}
		fmt.Fprintf(b, "\nPackages: %s in the final image (%s), %s in %s", pluralCount(s.Packages, "package"),
			strings.Join(ecos, ", "), humanize.Bytes(uint64(s.SizeBytes)), pluralCount(s.FileCount, "file"))
		if s.Distro != nil {
			fmt.Fprintf(b, "; %s", diff.Printable(distroName(s.Distro)))
		}
		fmt.Fprintf(b, "\nNo package owns %s (%s)", pluralCount(s.UnownedFileCount, "file"), humanize.Bytes(uint64(s.UnownedSizeBytes)))
		dirs := s.UnownedDirectories
		if !verbose {
			dirs = dirs[:min(len(dirs), 3)]
		}
		for i, d := range dirs {
			sep := ", "
			if i == 0 {
				sep = "; most in "
			}
			fmt.Fprintf(b, "%s%s (%s)", sep, diff.Printable(d.Path), humanize.Bytes(uint64(d.SizeBytes)))
		}
		b.WriteString(".\n")
		fmt.Fprintf(b, "%5s  %-19s  %-19s  %-19s  %s\n", "Layer", "Added", "Upgraded/downgraded", "Removed", "Command")
		for k, changes := range r.ByLayer(len(res.Layers)) {
			if len(changes) == 0 {
				continue
			}
			var added, changed, removed tally
			for _, c := range changes {
				switch c.Change.Change {
				case packages.Added:
					added.add(c.SizeBytes)
				case packages.Removed:
					removed.add(c.SizeBytes)
				default:
					changed.add(c.SizeBytes)
				}
			}
			fmt.Fprintf(b, "%5d  %-19s  %-19s  %-19s  %s\n", k, added, changed, removed,
				diff.Printable(oneLine(tree.ShortCommand(res.Layers[k].CreatedBy), 60)))
			if verbose {
				for _, c := range changes {
					fmt.Fprintf(b, "%7s%s\n", "", describeChange(c))
				}
			}
		}
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(b, "Packages not read:\n")
		for _, w := range s.Warnings {
			fmt.Fprintf(b, "  %s\n", diff.Printable(w))
		}
	}
}

// packageMetrics are what the diff's package rules are evaluated against:
// nil, which leaves them out of the report, when neither image has a
// package and neither rule is on.
func packageMetrics(d *diff.Packages, c rules.DiffConfig) *rules.PackageMetrics {
	m := &rules.PackageMetrics{}
	if d == nil {
		if c.NoNewPackages.Disabled && c.HighestPackageSizeIncrease.Disabled {
			return nil
		}
		return m
	}
	for _, c := range d.Changes {
		if c.Change == packages.Added {
			m.New = append(m.New, c.Describe())
		}
	}
	if c, ok := d.LargestIncrease(); ok {
		m.LargestIncrease, m.LargestIncreaseName = uint64(c.Delta()), c.Describe()
	}
	return m
}

// tally counts packages and adds up their sizes; it prints as "12 (30 MB)".
type tally struct {
	n    int
	size int64
}

func (t *tally) add(size int64) { t.n, t.size = t.n+1, t.size+size }

func (t tally) String() string {
	if t.n == 0 {
		return "-"
	}
	return fmt.Sprintf("%d (%s)", t.n, humanize.Bytes(uint64(t.size)))
}

// describeChange is one line for a change a step made to a package:
// "+ deb curl 7.88.1-10 (300 kB)", "↑ deb libc6 2.36-9 → 2.36-9+deb12u4".
func describeChange(c packages.LayerChange) string {
	p := c.Package
	name := fmt.Sprintf("%s %s", p.Ecosystem, p.Name)
	if p.Ecosystem == packages.Python || p.Ecosystem == packages.Npm || p.Ecosystem == packages.Go {
		name += " at " + p.Location
	}
	var s string
	switch c.Change.Change {
	case packages.Added:
		s = fmt.Sprintf("+ %s %s", name, c.Version)
	case packages.Removed:
		s = fmt.Sprintf("- %s %s", name, c.From)
	case packages.Upgraded:
		s = fmt.Sprintf("↑ %s %s → %s", name, c.From, c.Version)
	case packages.Downgraded:
		s = fmt.Sprintf("↓ %s %s → %s", name, c.From, c.Version)
	default:
		s = fmt.Sprintf("~ %s %s → %s", name, c.From, c.Version)
	}
	return diff.Printable(s) + fmt.Sprintf(" (%s)", humanize.Bytes(uint64(c.SizeBytes)))
}

func distroName(d *packages.Distro) string {
	if d.PrettyName != "" {
		return d.PrettyName
	}
	return strings.TrimSpace(d.ID + " " + d.VersionID)
}

func pluralCount(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%s %ss", humanize.Comma(int64(n)), one)
}
