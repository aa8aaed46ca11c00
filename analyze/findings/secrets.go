package findings

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/tree"
)

// secretHit is a secret found in a file of a layer.
type secretHit struct {
	layer  int
	path   string
	size   int64
	secret secret
}

// secret is what a file holds: its kind and a fingerprint, never the
// value.
type secret struct {
	kind        string
	fingerprint string
}

// secretCandidate says, from its path alone, whether a file may hold a
// secret: only those are read.
func secretCandidate(p string) bool {
	base := path.Base(p)
	switch base {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".env", ".npmrc", ".pypirc", ".git-credentials", ".netrc",
		"kubeconfig", ".htpasswd", "credentials.json", "service-account.json":
		return true
	case "credentials":
		return strings.HasSuffix(path.Dir(p), "/.aws")
	case "config.json":
		return strings.HasSuffix(path.Dir(p), "/.docker")
	case "config":
		return strings.HasSuffix(path.Dir(p), "/.kube")
	}
	return strings.HasSuffix(base, ".pem") || strings.HasSuffix(base, ".key") || strings.HasPrefix(base, ".env.") ||
		strings.HasSuffix(base, ".kubeconfig")
}

// The patterns of secrets. Each has one group: the secret's value, which
// is hashed for the fingerprint and then dropped.
var (
	privateKey  = regexp.MustCompile(`-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----`)
	awsKeyID    = regexp.MustCompile(`\b((?:AKIA|ASIA)[0-9A-Z]{16})\b`)
	awsSecret   = regexp.MustCompile(`(?i)aws_secret_access_key\s*[=:]\s*"?([A-Za-z0-9/+=]{40})`)
	githubToken = regexp.MustCompile(`\b((?:gh[pousr]_[A-Za-z0-9]{36,})|(?:github_pat_[A-Za-z0-9_]{22,}))\b`)
	slackToken  = regexp.MustCompile(`\b(xox[abprs]-[A-Za-z0-9-]{10,})\b`)
	npmToken    = regexp.MustCompile(`(?m)_(?:authToken|auth|password)\s*=\s*(\S+)`)
	gitCreds    = regexp.MustCompile(`https?://[^:\s/@]+:([^@\s]+)@`)
	dockerAuth  = regexp.MustCompile(`"(?:auth|identitytoken)"\s*:\s*"([^"]+)"`)
	kubeCreds   = regexp.MustCompile(`(?m)^\s*(?:client-key-data|token):\s*(\S+)`)
	passwordKV  = regexp.MustCompile(`(?mi)^\s*(?:export\s+)?[A-Z0-9_.-]*(?:PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)[A-Z0-9_.-]*\s*[=:]\s*"?([^"\s#]{4,})`)
	netrcPass   = regexp.MustCompile(`(?m)\bpassword\s+(\S+)`)
)

// detector is a pattern and the kind of secret it finds.
type detector struct {
	kind string
	re   *regexp.Regexp
	// needs are literals one of which every match of re holds; with fold,
	// in any case, as re matches them. bytes.Contains rules most files out
	// far faster than re, which scans them byte by byte.
	needs []string
	fold  bool
}

func detectors() []detector {
	return []detector{
		{"private key", privateKey, []string{"PRIVATE KEY"}, false},
		{"AWS access key id", awsKeyID, []string{"AKIA", "ASIA"}, false},
		{"AWS secret access key", awsSecret, []string{"aws_secret_access_key"}, true},
		{"GitHub token", githubToken, []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}, false},
		{"Slack token", slackToken, []string{"xox"}, false},
		{"npm or PyPI credentials", npmToken, []string{"_auth", "_password"}, false},
		{"git credentials", gitCreds, []string{"://"}, false},
		{"registry credentials", dockerAuth, []string{`"auth"`, `"identitytoken"`}, false},
		{"Kubernetes credentials", kubeCreds, []string{"client-key-data", "token"}, false},
		{"password or token", passwordKV, []string{"password", "passwd", "token", "secret", "api_key", "apikey",
			"private_key", "privatekey", "access_key", "accesskey", "credential"}, true},
		{"netrc password", netrcPass, []string{"password"}, false},
	}
}

// candidates is a file's contents as the detectors' literals are looked
// for in it.
type candidates struct {
	data  []byte
	lower []byte // data with ASCII letters lowered, once a detector folds
	// foldable says ASCII lowering folds case as the patterns do: Unicode
	// also folds K (U+212A) with k and ſ (U+017F) with s.
	foldable bool
}

func newCandidates(data []byte) *candidates {
	return &candidates{data: data,
		foldable: !bytes.Contains(data, []byte("\u212a")) && !bytes.Contains(data, []byte("\u017f"))}
}

// may says whether data can hold a match of d.
func (c *candidates) may(d detector) bool {
	b := c.data
	if d.fold {
		if !c.foldable {
			return true
		}
		if c.lower == nil {
			c.lower = make([]byte, len(c.data))
			for i, ch := range c.data {
				if 'A' <= ch && ch <= 'Z' {
					ch += 'a' - 'A'
				}
				c.lower[i] = ch
			}
		}
		b = c.lower
	}
	for _, n := range d.needs {
		if bytes.Contains(b, []byte(n)) {
			return true
		}
	}
	return false
}

// findSecrets returns the secrets in a file's contents, one of each kind.
func findSecrets(p string, data []byte) []secret {
	var out []secret
	c := newCandidates(data)
	for _, d := range detectors() {
		if d.re == netrcPass && path.Base(p) != ".netrc" || !c.may(d) {
			continue
		}
		m := d.re.FindSubmatchIndex(data)
		if m == nil {
			continue
		}
		value := data[m[2]:m[3]]
		if d.re == privateKey {
			value = privateKeyBody(data[m[0]:])
		}
		out = append(out, secret{kind: d.kind, fingerprint: fingerprint(value)})
	}
	return out
}

// privateKeyBody is the PEM block of a private key, from its BEGIN line to
// its END line, for the fingerprint.
func privateKeyBody(b []byte) []byte {
	if i := bytes.Index(b, []byte("-----END ")); i >= 0 {
		return b[:i]
	}
	return b
}

// fingerprint is the first 8 hex digits of the sha256 of a secret: enough
// to tell two apart, too little to learn anything of the value.
func fingerprint(value []byte) string {
	sum := sha256.Sum256(value)
	return hex.EncodeToString(sum[:4])
}

// secretFindings reports each secret found: visible when the final image
// still has the file, hidden when a later step deleted or replaced it but
// the layer that wrote it still ships it.
func (a *Analyzer) secretFindings(res *analyze.Result) []Finding {
	var out []Finding
	t := res.Tree
	for _, h := range a.secrets {
		n, ok := t.Lookup(h.path)
		if !ok {
			continue
		}
		visible, ended := false, -1
		for id := range versionsIn(t, n, h.layer) {
			e := t.Entry(id)
			if e.Death == tree.Alive {
				visible = true
			} else {
				ended = max(ended, int(e.Death))
			}
		}
		f := Finding{ID: VisibleSecret, Severity: Error, PathCount: 1, Steps: []Step{stepOf(res, h.layer)},
			Paths: []Path{{Path: h.path, Size: h.size, Layer: h.layer, Kind: h.secret.kind, Fingerprint: h.secret.fingerprint}}}
		if visible {
			f.Title = fmt.Sprintf("%s in %s", h.secret.kind, h.path)
			f.Fix = fmt.Sprintf("Remove it from %s and pass it at build time as a secret (`RUN --mount=type=secret,id=…`) or at run time; rotate it, since the image has been shipped with it.", cmdOf(f.Steps[0]))
		} else {
			f.ID, f.Bytes = HiddenSecret, h.size
			if ended >= 0 && ended < len(res.Layers) {
				f.Steps = append(f.Steps, stepOf(res, ended))
			}
			f.Title = fmt.Sprintf("%s in %s, removed later but still in layer %d", h.secret.kind, h.path, h.layer)
			f.Fix = fmt.Sprintf("Deleting it in a later step does not take it out of %s, which every pull downloads: pass it as a build secret (`RUN --mount=type=secret,id=…`) instead, and rotate it.", cmdOf(f.Steps[0]))
		}
		out = append(out, f)
	}
	return out
}

// versionsIn yields the version of n that layer k wrote and the stack
// kept at the end of it.
func versionsIn(t *tree.Tree, n tree.NodeID, k int) func(func(tree.EntryID) bool) {
	return func(yield func(tree.EntryID) bool) {
		if id, ok := t.VersionAt(n, k); ok && int(t.Entry(id).Layer) == k {
			yield(id)
		}
	}
}
