package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/tree"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLocateOrder(t *testing.T) {
	dir := t.TempDir()
	xdg := filepath.Join(dir, "xdg", "strata", "config.yaml")
	home := filepath.Join(dir, "home", ".config", "strata", "config.yaml")
	for _, p := range []string{xdg, home} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("theme: light\n"), 0o644)
	}
	e := map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "xdg"), "HOME": filepath.Join(dir, "home")}
	if got, _ := Locate("", env(e)); got != xdg {
		t.Errorf("XDG config not preferred: %s", got)
	}
	e["STRATA_CONFIG"] = "/from/env.yaml"
	if got, _ := Locate("", env(e)); got != "/from/env.yaml" {
		t.Errorf("$STRATA_CONFIG not preferred: %s", got)
	}
	if got, _ := Locate("/explicit.yaml", env(e)); got != "/explicit.yaml" {
		t.Errorf("--config not preferred: %s", got)
	}
	delete(e, "STRATA_CONFIG")
	delete(e, "XDG_CONFIG_HOME")
	if got, _ := Locate("", env(e)); got != home {
		t.Errorf("~/.config not used: %s", got)
	}
	if got, _ := Locate("", env(map[string]string{"HOME": t.TempDir()})); got != "" {
		t.Errorf("no file should give no path, got %s", got)
	}
}

func TestParse(t *testing.T) {
	c, err := Parse([]byte("theme: dive\ncompare: aggregated\nhide: [unmodified]\nattributes: false\nkeys:\n  global.quit: [\"x\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Theme != "dive" || c.Compare != "aggregated" || c.Attributes || c.Hidden() != tree.ChangeSet(0).With(tree.Unmodified, true) || c.Keys["global.quit"][0] != "x" {
		t.Errorf("parsed %+v", c)
	}
	c, err = Parse(nil)
	if err != nil || c.Theme != "dark" || !c.Attributes {
		t.Errorf("empty file: %+v, %v", c, err)
	}
}

// Every problem is one line that says where it is and what was meant.
func TestLoadErrorsNameTheFileAndTheLine(t *testing.T) {
	dir := t.TempDir()
	for in, want := range map[string]string{
		"themee: dark\n":                                    `:1: unknown setting "themee" (did you mean "theme"?)`,
		"theme: dark\ncolour: red\n":                        `:2: unknown setting "colour"; the settings are theme, compare, hide, attributes, source, keys`,
		"compare: both\n":                                   `:1: compare: "both" is not layer or aggregated`,
		"hide: [everything]\n":                              `:1: hide: "everything" is not one of unmodified, added, modified, removed`,
		"theme: neon\n":                                     `:1: theme: unknown theme "neon"; there are dark, dive, light`,
		"keys:\n  quit: [q]\n":                              `:2: keys: no action "quit" (did you mean "global.quit"?)`,
		"keys:\n  global.quit: []\n":                        `:2: keys: global.quit has no keys`,
		"keys:\n  files.togle-added: [a]\n":                 `:2: keys: no action "files.togle-added" (did you mean "files.toggle-added"?)`,
		"attributes: maybe\n":                               `:1: attributes: cannot unmarshal !!str `,
		"keys:\n  layers.up: [k]\n  files.sort: [ctrl+a]\n": `:3: keys: "ctrl+a" is bound to both files.toggle-added and files.sort`,
	} {
		p := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(p, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p, env(nil))
		if err == nil || !strings.Contains(err.Error(), p+want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Load(%q) = %v, want one line with %q", in, err, p+want)
		}
	}
	if _, err := Load(dir, env(nil)); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory as config: %v", err)
	}
	if _, err := Parse([]byte("theme: [a\n")); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("bad YAML: %v", err)
	}
}

func TestKeyMapAppliesTheFile(t *testing.T) {
	c, err := Parse([]byte("keys:\n  files.toggle-added: [A]\n"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := c.KeyMap()
	if err != nil || k.Files.ToggleAdded.Keys()[0] != "A" {
		t.Errorf("KeyMap = %v, %v", k.Files.ToggleAdded.Keys(), err)
	}
}

func TestLoadRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.yaml")
	c := Default()
	c.Theme = "light"
	c.Keys["files.toggle-added"] = []string{"ctrl+a", "A"}
	b, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, b, 0o644)
	got, err := Load(p, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got.Theme != "light" || got.Path != p || len(got.Keys["files.toggle-added"]) != 2 {
		t.Errorf("round trip gave %+v", got)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), env(nil)); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing explicit file: %v", err)
	}
}
