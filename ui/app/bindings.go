package app

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
)

// Bindings lists every action a config file can rebind, as "pane.action"
// (files.toggle-added, global.quit…), with its binding.
func (k *Keys) Bindings() map[string]*key.Binding {
	out := map[string]*key.Binding{}
	v := reflect.ValueOf(k).Elem()
	for i := range v.NumField() {
		pane := strings.ToLower(v.Type().Field(i).Name)
		km := v.Field(i)
		for j := range km.NumField() {
			f := km.Field(j)
			if b, ok := f.Addr().Interface().(*key.Binding); ok {
				out[pane+"."+kebab(km.Type().Field(j).Name)] = b
			}
		}
	}
	return out
}

// Actions lists the actions' names, sorted.
func (k *Keys) Actions() []string {
	var names []string
	for n := range k.Bindings() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Apply rebinds actions: each to the keys given, which also show in help.
func (k *Keys) Apply(overrides map[string][]string) error {
	b := k.Bindings()
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		binding, ok := b[name]
		if !ok {
			return fmt.Errorf("keys: no action %q (see strata config for the list)", name)
		}
		keys := overrides[name]
		binding.SetKeys(keys...)
		binding.SetHelp(strings.Join(keys, "/"), binding.Help().Desc)
	}
	return nil
}

// kebab turns ToggleAdded into toggle-added.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
