package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// withFlagSuggestion adds to an unknown flag's error the closest flag the
// command has: "unknown flag: --josn (did you mean --json?)". dive's
// spellings (--lowestEfficiency) find strata's (--lowest-efficiency).
func withFlagSuggestion(cmd *cobra.Command, err error) error {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) {
		return err
	}
	typed := ne.GetSpecifiedName()
	if group := ne.GetSpecifiedShortnames(); len(group) > 1 {
		typed = group // -ci, a long flag with one dash
	}
	if name, ok := closestFlag(cmd, typed); ok {
		return fmt.Errorf("%w (did you mean --%s?)", err, name)
	}
	return fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())
}

// closestFlag returns the name of the command's flag that typed most likely
// means: the same words spelled another way, the one flag it starts, or
// one a few typos away.
func closestFlag(cmd *cobra.Command, typed string) (string, bool) {
	t := foldFlag(typed)
	if len(t) < 2 {
		return "", false
	}
	best, bestScore := "", -1
	consider := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		n := foldFlag(f.Name)
		score := -1
		switch {
		case n == t:
			score = 0
		case len(t) >= 3 && strings.HasPrefix(n, t):
			score = 1
		default:
			if d := levenshtein.ComputeDistance(t, n); d <= maxFlagTypos(len(n)) {
				score = 1 + d
			}
		}
		if score >= 0 && (bestScore < 0 || score < bestScore || score == bestScore && f.Name < best) {
			best, bestScore = f.Name, score
		}
	}
	cmd.Flags().VisitAll(consider)
	cmd.InheritedFlags().VisitAll(consider)
	return best, bestScore >= 0
}

// maxFlagTypos is how many edits a flag name of length n may be away from
// what was typed and still be suggested.
func maxFlagTypos(n int) int {
	switch {
	case n <= 3:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// foldFlag lowers a flag name's case and drops its dashes and
// underscores, so that lowestEfficiency and lowest_efficiency are
// lowest-efficiency.
func foldFlag(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}
