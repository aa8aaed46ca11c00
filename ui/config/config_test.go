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
	for in, want := range map[string]string{
		"colour: red\n":              "colour",
		"compare: both\n":            "compare",
		"hide: [everything]\n":       "hide",
		"keys:\n  quit: [q]\n":       "pane.action",
		"keys:\n  global.quit: []\n": "no keys",
		"theme: [a\n":                "yaml",
	} {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) error = %v, want one line mentioning %q", in, err, want)
		}
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
