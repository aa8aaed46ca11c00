package keymap

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// Every binding of every KeyMap has exactly one action in the table, so a
// new key cannot be left out of the configuration, and no two actions
// share a name.
func TestTheTableNamesEveryBindingOnce(t *testing.T) {
	k := Default()
	named := map[*key.Binding]string{}
	names := map[string]bool{}
	for _, a := range k.Actions() {
		if prev, ok := named[a.Binding]; ok {
			t.Errorf("%s and %s name the same binding", prev, a.Name)
		}
		if names[a.Name] {
			t.Errorf("%s is in the table twice", a.Name)
		}
		if !strings.HasPrefix(a.Name, string(a.Scope)+".") {
			t.Errorf("%s is in scope %s", a.Name, a.Scope)
		}
		named[a.Binding], names[a.Name] = a.Name, true
	}
	v := reflect.ValueOf(&k).Elem()
	for i := range v.NumField() {
		km := v.Field(i)
		for j := range km.NumField() {
			if b, ok := km.Field(j).Addr().Interface().(*key.Binding); ok {
				if _, ok := named[b]; !ok {
					t.Errorf("%s.%s has no action in the table", v.Type().Field(i).Name, km.Type().Field(j).Name)
				}
			}
		}
	}
}

func TestTheDefaultsDoNotClash(t *testing.T) {
	k := Default()
	if err := k.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestApply(t *testing.T) {
	k := Default()
	if err := k.Apply(map[string][]string{"files.toggle-added": {"A", "ctrl+a"}, "global.quit": {"x"}}); err != nil {
		t.Fatal(err)
	}
	if h := k.Files.ToggleAdded.Help(); h.Key != "A/ctrl+a" || !slices.Equal(k.Files.ToggleAdded.Keys(), []string{"A", "ctrl+a"}) {
		t.Errorf("toggle-added is %v, help %q", k.Files.ToggleAdded.Keys(), h.Key)
	}
	for overrides, want := range map[string]map[string][]string{
		`keys: "ctrl+l" is bound to both layers.up and layers.compare-layer`:                                {"layers.up": {"ctrl+l"}},
		`keys: "ctrl+f" is bound to both global.filter and files.sort`:                                      {"files.sort": {"ctrl+f"}},
		`keys: "enter" is bound to both input.apply and input.cancel`:                                       {"input.cancel": {"enter"}},
		`keys: "tab" is bound to both global.switch-pane and input.apply`:                                   {"input.apply": {"tab"}},
		`keys: no action "files.togle-added" (did you mean "files.toggle-added"?)`:                          {"files.togle-added": {"x"}},
		`keys: no action "files.filter": it is now "global.filter"`:                                         {"files.filter": {"x"}},
		`keys: files.sort: "contrl+o" is not a key: "contrl" is not ctrl, alt, shift, meta, hyper or super`: {"files.sort": {"contrl+o"}},
		`keys: files.sort: "ctrl+ecs" is not a key (did you mean "ctrl+esc"?)`:                              {"files.sort": {"ctrl+ecs"}},
		`keys: files.sort has no keys`:                                                                      {"files.sort": {}},
	} {
		k := Default()
		err := k.Apply(want)
		if err == nil || err.Error() != overrides {
			t.Errorf("Apply(%v) = %v, want %q", want, err, overrides)
		}
	}
	// The viewer's keys come first while it is open, and a line being
	// typed takes the keys that type: neither clashes with a global key.
	k = Default()
	if err := k.Apply(map[string][]string{"viewer.close": {"esc", "q"}, "input.apply": {"enter", "?"}}); err != nil {
		t.Errorf("modal keys clash: %v", err)
	}
}

// docs/tui.md documents every action by its name.
func TestTheDocumentationNamesEveryAction(t *testing.T) {
	doc, err := os.ReadFile("../../docs/tui.md")
	if err != nil {
		t.Fatal(err)
	}
	k := Default()
	for _, name := range k.Names() {
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/tui.md does not name %s", name)
		}
	}
}
