package rules

// RequireSignature is the rule that fails an image no signature verified
// with --verify-key signs. It is off unless a rules file or a flag turns
// it on (requireSignature: true).
const RequireSignature = "requireSignature"

// Signature is what checking an image's signatures found.
type Signature struct {
	// KeyGiven says a key (--verify-key) was given to check them with.
	KeyGiven bool
	// Verified says the key verifies a signature of the image.
	Verified bool
	// Summary says what was found, in one line ("verified with
	// cosign.pub (1 of 2 signatures)").
	Summary string
}

// evalSignature evaluates requireSignature: it passes when the key given
// verifies a signature of the image.
func evalSignature(t Threshold, s Signature) RuleResult {
	r := RuleResult{Name: RequireSignature, Threshold: "a signature verified with --verify-key", Value: s.Summary}
	switch {
	case !s.KeyGiven:
		r.Status, r.Message = Fail, "no --verify-key given, so no signature could be verified"
		if r.Value == "" {
			r.Value = "not checked"
		}
	case s.Verified:
		r.Status, r.Message = Pass, s.Summary
	default:
		r.Status, r.Message = Fail, "the image is not signed with the key given: "+s.Summary
	}
	return r
}
