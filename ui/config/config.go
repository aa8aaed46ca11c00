package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze/tree"
	"go.yaml.in/yaml/v3"
)

// Config is the configuration file's content.
type Config struct {
	// Theme names the colours: dark, light or dive.
	Theme string `yaml:"theme"`
	// Compare is the file tree's compare mode at start: layer or aggregated.
	Compare string `yaml:"compare"`
	// Hide lists change types hidden in the file tree at start.
	Hide []string `yaml:"hide"`
	// Attributes shows the permission, owner and size columns.
	Attributes bool `yaml:"attributes"`
	// Source is the default --source.
	Source string `yaml:"source"`
	// Keys rebinds keys: "pane.action" to the keys that trigger it.
	Keys map[string][]string `yaml:"keys"`

	// Path is the file the configuration came from, "" for the defaults.
	Path string `yaml:"-"`
}

// ChangeTypes are the names Hide accepts.
var changeTypes = []string{"unmodified", "added", "modified", "removed"}

// Default is the configuration without a file.
func Default() Config {
	return Config{Theme: "dark", Compare: "layer", Attributes: true, Keys: map[string][]string{}}
}

// Locate says which file configures strata: explicit (--config), else
// $STRATA_CONFIG, else $XDG_CONFIG_HOME/strata/config.yaml, else
// ~/.config/strata/config.yaml. It returns "" when none of the implicit
// places has a file; an explicit path must exist.
func Locate(explicit string, getenv func(string) string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	if p := getenv("STRATA_CONFIG"); p != "" {
		return p, nil
	}
	var cands []string
	if x := getenv("XDG_CONFIG_HOME"); x != "" {
		cands = append(cands, filepath.Join(x, "strata", "config.yaml"))
	}
	if h := getenv("HOME"); h != "" {
		cands = append(cands, filepath.Join(h, ".config", "strata", "config.yaml"))
	}
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", nil
}

// Load reads the configuration from where Locate says, or returns the
// defaults.
func Load(explicit string, getenv func(string) string) (Config, error) {
	path, err := Locate(explicit, getenv)
	if err != nil || path == "" {
		return Default(), err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Config{}, fmt.Errorf("config %s: no such file", path)
		}
		return Config{}, fmt.Errorf("reading config %s: %w", path, err)
	}
	c, err := Parse(b)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

// Parse reads a configuration over the defaults and checks it.
func Parse(b []byte) (Config, error) {
	c := Default()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("%s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	if c.Keys == nil {
		c.Keys = map[string][]string{}
	}
	return c, c.check()
}

func (c Config) check() error {
	switch c.Compare {
	case "layer", "aggregated":
	default:
		return fmt.Errorf("compare: %q is not layer or aggregated", c.Compare)
	}
	for _, h := range c.Hide {
		if !slices.Contains(changeTypes, h) {
			return fmt.Errorf("hide: %q is not one of %s", h, strings.Join(changeTypes, ", "))
		}
	}
	for action, keys := range c.Keys {
		if !strings.Contains(action, ".") {
			return fmt.Errorf("keys: %q is not of the form pane.action", action)
		}
		if len(keys) == 0 {
			return fmt.Errorf("keys: %s has no keys", action)
		}
	}
	return nil
}

// Hidden returns Hide as a set of change types.
func (c Config) Hidden() tree.ChangeSet {
	var h tree.ChangeSet
	for _, name := range c.Hide {
		h = h.With(tree.ChangeType(slices.Index(changeTypes, name)), true)
	}
	return h
}

// YAML writes the configuration as a file that Load reads back.
func (c Config) YAML() ([]byte, error) {
	return yaml.Marshal(c)
}
