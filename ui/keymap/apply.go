package keymap

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/strata-dev/strata/ui/common"
)

// Apply rebinds actions, each to the keys given (which the help then
// shows), and checks that no key then does two things at once. It fails
// on the first problem, in the order of the actions' names.
func (k *Keys) Apply(overrides map[string][]string) error {
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := k.Rebind(name, overrides[name]); err != nil {
			return err
		}
	}
	return k.Check()
}

// Rebind binds one action to keys, without checking the keys against
// the other actions' (Check does).
func (k *Keys) Rebind(name string, keys []string) error {
	b, ok := k.Bindings()[name]
	if !ok {
		return fmt.Errorf("keys: %s", k.Unknown(name))
	}
	if len(keys) == 0 {
		return fmt.Errorf("keys: %s has no keys", name)
	}
	for _, key := range keys {
		if err := checkKey(key); err != nil {
			return fmt.Errorf("keys: %s: %w", name, err)
		}
	}
	common.Rebind(b, keys)
	return nil
}

// Unknown says that there is no action of that name, and which one was
// meant: the new name of a renamed one, else the nearest.
func (k *Keys) Unknown(name string) string {
	if to, ok := renamed(name); ok {
		return fmt.Sprintf("no action %q: it is now %q", name, to)
	}
	if near := Nearest(name, k.Names()); near != "" {
		return fmt.Sprintf("no action %q (did you mean %q?)", name, near)
	}
	for _, n := range k.Names() {
		if strings.HasSuffix(n, "."+name) {
			return fmt.Sprintf("no action %q (did you mean %q?)", name, n)
		}
	}
	return fmt.Sprintf("no action %q (strata config lists them)", name)
}

// Check fails when a key would do two things at once: two actions of one
// scope, or of a pane's scope and the global one, share it; or a line
// being typed takes a key that is not text from a global action.
func (k *Keys) Check() error {
	acts := k.Actions()
	for i, a := range acts {
		for _, b := range acts[i+1:] {
			if !a.Binding.Enabled() || !b.Binding.Enabled() {
				continue
			}
			for _, key := range a.Binding.Keys() {
				if slices.Contains(b.Binding.Keys(), key) && clash(a.Scope, b.Scope, key) {
					return &ConflictError{Key: key, Actions: [2]string{a.Name, b.Name}}
				}
			}
		}
	}
	return nil
}

// ConflictError says that a key is bound to two actions that are active
// at once.
type ConflictError struct {
	Key     string
	Actions [2]string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("keys: %q is bound to both %s and %s", e.Key, e.Actions[0], e.Actions[1])
}

// clash says whether one key bound in two scopes would do two things.
func clash(a, b Scope, key string) bool {
	switch {
	case a == b:
		return true
	case a != Global && b != Global:
		return false // never active together
	}
	other := a
	if a == Global {
		other = b
	}
	switch other {
	case Viewer, Findings:
		return false // the viewer's and the findings' keys come first
	case Input:
		return !common.IsText(key) // keys that type are text there
	}
	return true
}

// keyNames are the named keys a binding may use, besides single
// characters and f1 to f63.
const keyNames = "enter tab backspace esc space up down left right begin find insert delete select pgup pgdown home end"

// checkKey fails for a key that no key press is called: "ctrl+a",
// "shift+tab", "alt+enter", "G" and "f5" are keys; "contrl+a" is not.
func checkKey(key string) error {
	parts := strings.Split(key, "+")
	base := parts[len(parts)-1]
	if key == "+" || strings.HasSuffix(key, "++") {
		base = "+"
		parts = parts[:len(parts)-1]
	}
	for _, mod := range parts[:len(parts)-1] {
		if !slices.Contains([]string{"ctrl", "alt", "shift", "meta", "hyper", "super"}, mod) {
			return fmt.Errorf("%q is not a key: %q is not ctrl, alt, shift, meta, hyper or super", key, mod)
		}
	}
	if utf8.RuneCountInString(base) == 1 || slices.Contains(strings.Fields(keyNames), base) {
		return nil
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(base, "f")); err == nil && strings.HasPrefix(base, "f") && n >= 1 && n <= 63 {
		return nil
	}
	if near := Nearest(base, strings.Fields(keyNames)); near != "" {
		return fmt.Errorf("%q is not a key (did you mean %q?)", key, strings.TrimSuffix(key, base)+near)
	}
	return fmt.Errorf("%q is not a key", key)
}

// Nearest is the one of names closest to s by edit distance, when it is
// close enough to be what was meant; "" otherwise.
func Nearest(s string, names []string) string {
	best, bestD := "", 0
	for _, n := range names {
		if d := distance(s, n); best == "" || d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" || bestD > max(2, len(s)/3) {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between two strings.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
