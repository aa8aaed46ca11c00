package rules_test

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/rules"
)

func TestRequireSignature(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, rules.StrataFile, "rules:\n  requireSignature: true\n")
	c, warnings, err := rules.Load(path, "")
	if err != nil || len(warnings) > 0 {
		t.Fatalf("Load: %v %q", err, warnings)
	}
	if c.RequireSignature.Disabled {
		t.Fatal("requireSignature: true left the rule off")
	}
	off := len(rules.Evaluate(rules.Default(), rules.Metrics{Efficiency: 1}).Results)
	for _, tt := range []struct {
		sig  rules.Signature
		want rules.Status
		says string
	}{
		{rules.Signature{KeyGiven: true, Verified: true, Summary: "verified with cosign.pub (1 of 1 signature)"}, rules.Pass, "verified with cosign.pub"},
		{rules.Signature{KeyGiven: true, Summary: "NOT verified with cosign.pub: 1 signature"}, rules.Fail, "not signed with the key given"},
		{rules.Signature{}, rules.Fail, "no --verify-key given"},
	} {
		r := rules.Evaluate(c, rules.Metrics{Efficiency: 1, Signature: tt.sig})
		got := r.Results[len(r.Results)-1]
		if len(r.Results) != off+1 || got.Name != rules.RequireSignature || got.Status != tt.want || !strings.Contains(got.Message, tt.says) {
			t.Errorf("%+v: %d results, last %+v", tt.sig, len(r.Results), got)
		}
	}
	// Off, as by default, the rule is not reported at all.
	for _, res := range rules.Evaluate(rules.Default(), rules.Metrics{Efficiency: 1}).Results {
		if res.Name == rules.RequireSignature {
			t.Errorf("the default rules report %+v", res)
		}
	}
	for _, v := range []string{"false", "off", "no", "disabled"} {
		c := rules.Default()
		if err := c.Override("require-signature", v); err != nil || !c.RequireSignature.Disabled {
			t.Errorf("%q: %v, disabled %v", v, err, c.RequireSignature.Disabled)
		}
	}
	c = rules.Default()
	if err := c.Override("requireSignature", "maybe"); err == nil || !strings.Contains(err.Error(), "not true or false") {
		t.Errorf("maybe: %v", err)
	}
}
