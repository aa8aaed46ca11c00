package signatures

import (
	"fmt"
	"strings"
)

// Line says what the signatures are and what verifying them found, in one
// line for a text summary: "verified with cosign.pub (1 of 2
// signatures)", "NOT verified with cosign.pub: ...", "1 keyless
// signature by ...", "none found". Escape it before it reaches a
// terminal: it quotes identities from the image.
func (r *Result) Line() string {
	n := len(r.Signatures)
	keyName := r.KeyName
	if keyName == "" {
		keyName = r.Key
	}
	switch {
	case n == 0 && r.Key != "":
		return "none found, so none verified with " + keyName
	case n == 0:
		return "none found"
	case r.Key != "" && r.Verified > 0:
		return fmt.Sprintf("verified with %s (%d of %s)%s", keyName, r.Verified, plural(n, "signature"), r.offlineNote())
	case r.Key != "":
		return fmt.Sprintf("NOT verified with %s: %s, none it verifies for this image (%s)", keyName, plural(n, "signature"), r.firstFailure())
	}
	var parts []string
	counts := map[string]int{}
	var keyless []string
	for i, c := range r.Checks {
		counts[c.Status]++
		if s := r.Signatures[i]; s.Keyless && len(keyless) < 2 {
			keyless = append(keyless, s.Identity)
		}
	}
	if k := counts[StatusKeylessOffline]; k > 0 {
		parts = append(parts, fmt.Sprintf("%s by %s matching its certificate (checked offline)", plural(k, "keyless signature"), strings.Join(keyless, ", ")))
	}
	if k := counts[StatusKeylessInvalid]; k > 0 {
		parts = append(parts, plural(k, "keyless signature")+" that does NOT match its certificate or this image")
	}
	if k := counts[StatusUnchecked]; k > 0 {
		parts = append(parts, plural(k, "key-based signature")+" (give --verify-key to check)")
	}
	if k := counts[StatusUnsupported]; k > 0 {
		parts = append(parts, plural(k, "signature")+" strata cannot check")
	}
	return strings.Join(parts, "; ") + r.offlineNote()
}

// offlineNote says, briefly, what was left unchecked for want of the
// network.
func (r *Result) offlineNote() string {
	var what []string
	for _, n := range r.NotChecked {
		switch n {
		case notCheckedRekor:
			what = append(what, "Rekor entries")
		case notCheckedFulcio:
			what = append(what, "Fulcio certificate chains")
		case notCheckedTSA:
			what = append(what, "timestamps")
		}
	}
	if len(what) == 0 {
		return ""
	}
	return "; not checked offline: " + strings.Join(what, ", ")
}

// firstFailure is why the first signature that the key did not verify
// failed.
func (r *Result) firstFailure() string {
	for _, c := range r.Checks {
		if c.Status != StatusVerified {
			return c.Detail
		}
	}
	return ""
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
