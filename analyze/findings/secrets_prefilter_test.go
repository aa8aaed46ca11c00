package findings

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSecretLiteralsRuleOutNoMatch: a detector's literals only skip files
// its pattern would not match. Files are made of pieces of every pattern's
// literals and matches, in any case, with Unicode's other k and s, and
// noise; each detector is asked about each.
func TestSecretLiteralsRuleOutNoMatch(t *testing.T) {
	pieces := []string{
		"-----BEGIN ", "RSA ", "PRIVATE KEY", "-----", "AKIA", "ASIA", "ABCDEFGHIJ0123456789",
		"aws_secret_access_key", " = ", "\"", "0123456789abcdefghij0123456789ABCDEFGHIJ",
		"ghp_", "github_pat_", "012345678901234567890123456789012345", "xoxb-", "0123456789-abc",
		"_authToken", "_auth", "_password", "=", "https://", "user", ":", "pass", "@", "host",
		`"auth"`, `"identitytoken"`, ": ", `"dXNlcjpwYXNz"`, "client-key-data", "token", "\n", " ",
		"export ", "DB_PASSWORD", "api_key", "ApiKey", "private_key", "ACCESS_KEY", "credentials",
		"secret", "passwd", "password", "hunter22", "#", "\u212a", "\u017f", "a", "K", "S", "é",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	matched := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			p := pieces[rng.IntN(len(pieces))]
			switch rng.IntN(4) {
			case 0:
				p = strings.ToUpper(p)
			case 1:
				p = strings.ToLower(p)
			}
			b.WriteString(p)
		}
		data := []byte(b.String())
		c := newCandidates(data)
		for _, d := range detectors() {
			if !d.re.Match(data) {
				continue
			}
			matched++
			if !c.may(d) {
				t.Fatalf("%s: the pattern matches %q, but its literals rule it out", d.kind, data)
			}
		}
	}
	if matched < 1000 {
		t.Fatalf("only %d matches among the files made: the test tries too little", matched)
	}
}

// TestSecretLiteralsFoldLikeThePatterns: a pattern without case matches
// K (U+212A) as k and ſ (U+017F) as s, which ASCII lowering does not;
// such a file is not ruled out.
func TestSecretLiteralsFoldLikeThePatterns(t *testing.T) {
	for _, data := range []string{"API_\u212aEY=hunter22", "\u017fECRET=hunter22"} {
		if !passwordKV.MatchString(data) {
			t.Fatalf("passwordKV does not match %q", data)
		}
		if !newCandidates([]byte(data)).may(detector{re: passwordKV, needs: []string{"key", "secret"}, fold: true}) {
			t.Errorf("%q is ruled out", data)
		}
	}
}
