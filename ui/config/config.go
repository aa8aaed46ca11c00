package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/keymap"
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
	// Keys rebinds keys: an action's name (keymap.Keys.Actions) to the
	// keys that trigger it.
	Keys map[string][]string `yaml:"keys"`

	// Path is the file the configuration came from, "" for the defaults.
	Path string `yaml:"-"`
}

// settings are the configuration's keys, in the order of the file.
func settings() []string { return []string{"theme", "compare", "hide", "attributes", "source", "keys"} }

// changeTypes are the names Hide accepts.
func changeTypes() []string { return []string{"unmodified", "added", "modified", "removed"} }

// maxSize bounds the configuration file.
const maxSize = 1 << 20

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
// defaults. Its errors are one line that names the file and, for a
// problem in it, the line: "config /home/u/.config/strata/config.yaml:3:
// unknown setting "themee" (did you mean "theme"?)".
func Load(explicit string, getenv func(string) string) (Config, error) {
	path, err := Locate(explicit, getenv)
	if err != nil || path == "" {
		return Default(), err
	}
	b, err := readFile(path)
	if err != nil {
		return Config{}, err
	}
	c, err := Parse(b)
	if err != nil {
		var le *LineError
		if errors.As(err, &le) {
			return Config{}, fmt.Errorf("config %s:%d: %s", path, le.Line, le.Msg)
		}
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config %s: no such file", path)
		}
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("config %s: not a regular file", path)
	}
	b := make([]byte, maxSize+1)
	n, err := readFull(f, b)
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	if n > maxSize {
		return nil, fmt.Errorf("config %s: larger than %d bytes", path, maxSize)
	}
	return b[:n], nil
}

// LineError is a problem at a line of the configuration.
type LineError struct {
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func lineErr(n *yaml.Node, format string, args ...any) error {
	return &LineError{Line: n.Line, Msg: common.Message(fmt.Sprintf(format, args...))}
}

// Parse reads a configuration over the defaults and checks it: every
// setting known, every value allowed, every action named in keys known
// and no key bound to two actions at once.
func Parse(b []byte) (Config, error) {
	c := Default()
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Config{}, errors.New(common.Message(strings.ReplaceAll(err.Error(), "\n", "; ")))
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return Config{}, lineErr(root, "the configuration is not a mapping of settings")
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !slices.Contains(settings(), k.Value) {
			if near := keymap.Nearest(k.Value, settings()); near != "" {
				return Config{}, lineErr(k, "unknown setting %q (did you mean %q?)", k.Value, near)
			}
			return Config{}, lineErr(k, "unknown setting %q; the settings are %s", k.Value, strings.Join(settings(), ", "))
		}
		if err := c.set(k.Value, v); err != nil {
			return Config{}, err
		}
	}
	return c, nil
}

// set decodes one setting and checks it.
func (c *Config) set(name string, v *yaml.Node) error {
	var err error
	switch name {
	case "theme":
		if err = v.Decode(&c.Theme); err == nil {
			if _, terr := common.LookupTheme(c.Theme); terr != nil {
				return lineErr(v, "theme: %v", terr)
			}
		}
	case "compare":
		if err = v.Decode(&c.Compare); err == nil && c.Compare != "layer" && c.Compare != "aggregated" {
			return lineErr(v, "compare: %q is not layer or aggregated", c.Compare)
		}
	case "hide":
		if err = v.Decode(&c.Hide); err == nil {
			for _, h := range c.Hide {
				if !slices.Contains(changeTypes(), h) {
					return lineErr(v, "hide: %q is not one of %s", h, strings.Join(changeTypes(), ", "))
				}
			}
		}
	case "attributes":
		err = v.Decode(&c.Attributes)
	case "source":
		err = v.Decode(&c.Source)
	case "keys":
		return c.setKeys(v)
	}
	if err != nil {
		return lineErr(v, "%s: %s", name, yamlMessage(err))
	}
	return nil
}

// setKeys reads the key bindings and checks them against every action's.
func (c *Config) setKeys(v *yaml.Node) error {
	if v.Kind != yaml.MappingNode {
		return lineErr(v, "keys: not a mapping of actions to keys")
	}
	keys := keymap.Default()
	lines := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		var bound []string
		if err := val.Decode(&bound); err != nil {
			var one string
			if val.Decode(&one) != nil {
				return lineErr(val, "keys: %s: not a list of keys", k.Value)
			}
			bound = []string{one}
		}
		if _, ok := keys.Bindings()[k.Value]; !ok {
			return lineErr(k, "keys: %s", keys.Unknown(k.Value))
		}
		if err := keys.Rebind(k.Value, bound); err != nil {
			return lineErr(val, "%s", err.Error())
		}
		c.Keys[k.Value] = bound
		lines[k.Value] = k.Line
	}
	if err := keys.Check(); err != nil {
		// Name the line of an action the file rebinds.
		line := v.Line
		var ce *keymap.ConflictError
		if errors.As(err, &ce) {
			for _, name := range ce.Actions {
				if l, ok := lines[name]; ok {
					line = l
					break
				}
			}
		}
		return &LineError{Line: line, Msg: common.Message(err.Error())}
	}
	return nil
}

// yamlMessage is a decoding error without the decoder's framing: "cannot
// unmarshal !!str `maybe` into bool".
func yamlMessage(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors: ")
	if rest, ok := strings.CutPrefix(s, "line "); ok {
		if _, after, ok := strings.Cut(rest, ": "); ok {
			s = after
		}
	}
	return s
}

// Hidden returns Hide as a set of change types.
func (c Config) Hidden() tree.ChangeSet {
	var h tree.ChangeSet
	for _, name := range c.Hide {
		h = h.With(tree.ChangeType(slices.Index(changeTypes(), name)), true)
	}
	return h
}

// KeyMap is the keys of every pane: the defaults, rebound as the file
// says.
func (c Config) KeyMap() (keymap.Keys, error) {
	k := keymap.Default()
	if err := k.Apply(c.Keys); err != nil {
		if c.Path != "" {
			return k, fmt.Errorf("config %s: %w", c.Path, err)
		}
		return k, err
	}
	return k, nil
}

// YAML writes the configuration as a file that Load reads back.
func (c Config) YAML() ([]byte, error) {
	return yaml.Marshal(c)
}
