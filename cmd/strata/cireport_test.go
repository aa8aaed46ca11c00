package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// secretValue is the value of the private key planted in the test image:
// it must appear in nothing strata writes.
const secretValue = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-strata-test-secret"

// secretImage plants a private key in layer 1 and deletes it in layer 2.
func secretImage(t *testing.T, dir string) string {
	t.Helper()
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\n" + secretValue + "\n-----END OPENSSH PRIVATE KEY-----\n"
	img := mPlain(
		mLayerTar(t, mDir("etc/"), mFile("etc/os-release", "ID=test\n")),
		mLayerTar(t, mDir("root/"), mDir("root/.ssh/"), mFile("root/.ssh/id_rsa", key)),
		mLayerTar(t, mFile("root/.ssh/.wh.id_rsa", "")),
	)
	return mWriteDocker(t, filepath.Join(dir, "secret.tar"), img)
}

// TestCIReportsAndHiddenSecret: a hidden secret fails CI by default; the
// SARIF report follows the SARIF 2.1.0 schema, the Markdown report and
// GitHub's job summary say the same, and the secret's value is in none of
// stdout, stderr, JSON, SARIF, Markdown or JUnit.
func TestCIReportsAndHiddenSecret(t *testing.T) {
	dir := t.TempDir()
	img := secretImage(t, dir)
	out := func(name string) string { return filepath.Join(dir, name) }
	summary := out("github-summary.md")
	os.WriteFile(summary, []byte("# earlier step\n"), 0o644)
	r := strata(t, map[string]string{"GITHUB_STEP_SUMMARY": summary}, "--ci", "--json", out("report.json"),
		"--ci-report", "sarif="+out("strata.sarif"), "--ci-report", "markdown="+out("strata.md"),
		"--ci-report", "junit="+out("junit.xml"), img)
	wantExit(t, r, exitRuleFailed)
	if !strings.Contains(r.stdout, "FAIL  noHiddenSecrets: secrets a later step deleted, still in a layer: hidden-secret /root/.ssh/id_rsa (private key, layer 1, fingerprint ") {
		t.Errorf("the hidden secret does not fail CI:\n%s", r.stdout)
	}
	files := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	for _, name := range []string{"report.json", "strata.sarif", "strata.md", "junit.xml", "github-summary.md"} {
		b, err := os.ReadFile(out(name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = string(b)
	}
	for name, content := range files {
		if strings.Contains(content, secretValue) || strings.Contains(content, "PRIVATE KEY-----\nb3") {
			t.Errorf("%s holds the secret's value", name)
		}
	}
	if !strings.HasPrefix(files["github-summary.md"], "# earlier step\n### strata: ") || !strings.Contains(files["github-summary.md"], "| `noHiddenSecrets` | FAIL |") {
		t.Errorf("the job summary:\n%s", files["github-summary.md"])
	}
	if !strings.Contains(files["strata.md"], "`hidden-secret`: private key in /root/.ssh/id\\_rsa, removed later but still in layer 1") {
		t.Errorf("the Markdown report:\n%s", files["strata.md"])
	}
	validateSARIF(t, []byte(files["strata.sarif"]))
	for _, want := range []string{`"ruleId": "hidden-secret"`, `"level": "error"`, `"uri": "root/.ssh/id_rsa"`} {
		if !strings.Contains(files["strata.sarif"], want) {
			t.Errorf("the SARIF report lacks %s", want)
		}
	}
}

// validateSARIF checks a log against the SARIF 2.1.0 JSON schema
// (testdata/sarif, from OASIS's sarif-spec repository).
func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(id, s); err != nil {
		t.Fatal(err)
	}
	c.AssertFormat()
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("the SARIF log is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the SARIF log does not follow the schema: %v", err)
	}
}

// TestSARIFOfTheDemoImage: every finding of the demo image is a result
// that follows the schema.
func TestSARIFOfTheDemoImage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.sarif")
	r := strata(t, noEnv, "--ci", "--lowest-efficiency", "0", "--highest-user-wasted-percent", "1", "--ci-report", "sarif="+path, demoImage(t))
	wantExit(t, r, exitOK)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b)
	for _, id := range []string{"deleted-later", "package-cache", "opaque-hidden", "overwritten", "metadata-rewrite", "no-healthcheck"} {
		if !strings.Contains(string(b), `"ruleId": "`+id+`"`) {
			t.Errorf("the SARIF log has no %s result", id)
		}
	}
}
