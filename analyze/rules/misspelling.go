package rules

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
)

// misspelling returns the key of known that key most likely misspells, and
// whether there is one: the same key in another case or spelled with
// dashes or underscores (lowest-efficiency), or one within a small edit
// distance (lowestEfficency). A key that is none of these (dive's
// plugins:) is not a misspelling.
func misspelling(key string, known []string) (string, bool) {
	k := fold(key)
	best, bestDist := "", -1
	for _, name := range known {
		n := fold(name)
		d := levenshtein.ComputeDistance(k, n)
		if d > maxTypos(len(n)) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = name, d
		}
	}
	return best, bestDist >= 0
}

// maxTypos is how many edits a key may be from a known key of length n and
// still be taken for a misspelling of it.
func maxTypos(n int) int {
	switch {
	case n <= 5:
		return 1
	case n <= 12:
		return 2
	}
	return 3
}

// fold lowers a key's case and drops the dashes, underscores and spaces
// that other spellings of a camelCase key put between its words.
func fold(key string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', ' ':
			return -1
		}
		return r
	}, strings.ToLower(key))
}

// unknownKey is the error for a key of a rules file that misspells a known
// one, so that a typo cannot loosen the gate; nil for a key that misspells
// nothing, which is only warned about. section is "" for the top level,
// else "rules" or "diff".
func unknownKey(path string, line int, section, key string) error {
	var known, elsewhere []string
	var where string
	switch section {
	case "":
		known = []string{"rules", "diff"}
		// A rule at the top level, its section forgotten.
		elsewhere = append(inspectRules(), HighestSizeIncrease, HighestNewLayerBytes)
	case "rules":
		known = inspectRules()
		elsewhere, where = []string{HighestSizeIncrease, HighestNewLayerBytes}, "diff"
	case "diff":
		known = []string{HighestSizeIncrease, HighestNewLayerBytes, LowestEfficiency}
		elsewhere, where = []string{HighestWastedBytes, HighestUserWastedPercent}, "rules"
	}
	name := key
	if section != "" {
		name = section + "." + key
	}
	if k, ok := misspelling(key, known); ok {
		return fmt.Errorf("parsing rules file %s: line %d: unknown key %q (did you mean %s?)", path, line, name, k)
	}
	if k, ok := misspelling(key, elsewhere); ok {
		if where == "" {
			where = "rules"
			if k == HighestSizeIncrease || k == HighestNewLayerBytes {
				where = "diff"
			}
		}
		return fmt.Errorf("parsing rules file %s: line %d: %q is not a key here: %s goes in the %s: section", path, line, name, k, where)
	}
	return nil
}
