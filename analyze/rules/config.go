package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Names of the rules files that Load looks for, in order of precedence.
const (
	StrataFile = ".strata-ci.yaml"
	DiveFile   = ".dive-ci"
)

// Config holds the threshold of each rule. Build it with [Default] or
// [Load]; the zero value enables every rule with a threshold of 0.
type Config struct {
	LowestEfficiency         Threshold
	HighestWastedBytes       Threshold
	HighestUserWastedPercent Threshold
	HighestImageSize         Threshold
	HighestReclaimableBytes  Threshold
	NoHiddenSecrets          Threshold
	NoRootUser               Threshold
	FailOn                   Threshold
	// RequireSignature, when on, fails an image that no signature
	// verified with --verify-key signs (see [Signature]).
	RequireSignature Threshold

	// File is the rules file that was loaded, or empty if none was.
	File string
}

// Default returns dive's default thresholds — lowestEfficiency 0.9,
// highestWastedBytes disabled, highestUserWastedPercent 0.1 — and
// strata's: noHiddenSecrets on, the other rules on findings off.
func Default() Config {
	off := Threshold{Disabled: true, Raw: "disabled", Source: SourceDefault}
	return Config{
		LowestEfficiency:         Threshold{Ratio: 0.9, Raw: "0.9", Source: SourceDefault},
		HighestWastedBytes:       off,
		HighestUserWastedPercent: Threshold{Ratio: 0.1, Raw: "0.1", Source: SourceDefault},
		HighestImageSize:         off,
		HighestReclaimableBytes:  off,
		NoHiddenSecrets:          Threshold{Raw: "true", Source: SourceDefault},
		NoRootUser:               off,
		FailOn:                   off,
		RequireSignature:         off,
	}
}

// Load reads the rules file. If explicitPath is not empty that file is read
// and must exist. Otherwise Load reads .strata-ci.yaml in dir, or else
// .dive-ci in dir, or else returns [Default]. An empty dir means the
// current directory. Rules the file leaves out keep their defaults.
//
// The warnings name keys of the file that strata does not know and ignored.
// A threshold that cannot be used is reported as a *[ValueError].
func Load(explicitPath, dir string) (Config, []string, error) {
	path, data, err := readFile(explicitPath, dir)
	if err != nil {
		return Config{}, nil, err
	}
	if path == "" {
		return Default(), nil, nil
	}
	return parseFile(path, data)
}

// readFile reads the rules file Load would read: explicitPath when it is
// not empty, else the first of .strata-ci.yaml and .dive-ci in dir that
// exists. It returns an empty path when there is none.
func readFile(explicitPath, dir string) (string, []byte, error) {
	if explicitPath != "" {
		data, err := os.ReadFile(explicitPath)
		if err != nil {
			return "", nil, fmt.Errorf("reading rules file: %w", err)
		}
		return explicitPath, data, nil
	}
	for _, name := range []string{StrataFile, DiveFile} {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", nil, fmt.Errorf("reading rules file: %w", err)
		}
		return path, data, nil
	}
	return "", nil, nil
}

// Override sets one rule's threshold, such as from a command-line flag. name
// is a rule name ("lowestEfficiency") or its flag spelling
// ("lowest-efficiency"); value is written as in a rules file.
func (c *Config) Override(name, value string) error {
	canonical, ok := canonicalName(name)
	if !ok {
		return fmt.Errorf("overriding rule %q: unknown rule", name)
	}
	t, err := parseThreshold(canonical, value, SourceOverride)
	if err != nil {
		return &ValueError{Rule: canonical, Value: value, Err: err}
	}
	*c.threshold(canonical) = t
	return nil
}

// threshold returns the field holding the named rule's threshold, or nil.
func (c *Config) threshold(name string) *Threshold {
	switch name {
	case LowestEfficiency:
		return &c.LowestEfficiency
	case HighestWastedBytes:
		return &c.HighestWastedBytes
	case HighestUserWastedPercent:
		return &c.HighestUserWastedPercent
	case HighestImageSize:
		return &c.HighestImageSize
	case HighestReclaimableBytes:
		return &c.HighestReclaimableBytes
	case NoHiddenSecrets:
		return &c.NoHiddenSecrets
	case NoRootUser:
		return &c.NoRootUser
	case FailOn:
		return &c.FailOn
	case RequireSignature:
		return &c.RequireSignature
	}
	return nil
}
