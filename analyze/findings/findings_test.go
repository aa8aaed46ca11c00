package findings_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/findings"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/internal/imagetest"
)

// analyzed builds an image from steps and returns its analysis and
// findings.
func analyzed(t *testing.T, steps []imagetest.Step, cfg v1.Config, opts ...findings.Option) (*analyze.Result, []findings.Finding) {
	t.Helper()
	img, err := imagetest.Image(steps, imagetest.WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	src, err := image.FromV1(img)
	if err != nil {
		t.Fatal(err)
	}
	a := findings.New(opts...)
	res, err := analyze.Analyze(context.Background(), src, analyze.WithObserver(a))
	if err != nil {
		t.Fatal(err)
	}
	return res, a.Findings(res)
}

// summary writes a finding as one line: id, bytes, steps' layers, paths.
func summary(f findings.Finding) string {
	var layers, paths []string
	for _, s := range f.Steps {
		layers = append(layers, fmt.Sprint(s.Layer))
	}
	for _, p := range f.Paths {
		paths = append(paths, fmt.Sprintf("%s:%d", p.Path, p.Size))
	}
	return fmt.Sprintf("%s %d [%s] %d {%s}", f.ID, f.Bytes, strings.Join(layers, ","), f.PathCount, strings.Join(paths, " "))
}

func of(fs []findings.Finding, ids ...findings.ID) []string {
	var out []string
	for _, f := range fs {
		if slices.Contains(ids, f.ID) {
			out = append(out, summary(f))
		}
	}
	return out
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func bytesOf(n int, c string) string { return strings.Repeat(c, n) }

// wasteSteps make every kind of waste, once each.
func wasteSteps() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "/bin/sh -c apt-get update", Entries: []imagetest.Entry{
			imagetest.Reg("var/lib/apt/lists/main_Packages", bytesOf(1000, "p")),
			imagetest.Reg("var/lib/apt/lists/security_Packages", bytesOf(500, "s")),
			imagetest.Reg("app/run.sh", bytesOf(40, "r")),
			imagetest.Reg("app/config.yaml", "level: info\n"),
			imagetest.Reg("app/static/a.js", bytesOf(300, "a")),
		}},
		{CreatedBy: "/bin/sh -c rm -rf /var/lib/apt/lists/*", Entries: []imagetest.Entry{
			imagetest.Whiteout("var/lib/apt/lists/main_Packages"),
			imagetest.Whiteout("var/lib/apt/lists/security_Packages"),
		}},
		{CreatedBy: "/bin/sh -c chmod +x /app/run.sh", Entries: []imagetest.Entry{
			imagetest.Reg("app/run.sh", bytesOf(40, "r")).WithMode(0o755),
		}},
		{CreatedBy: "/bin/sh -c sed -i s/info/debug/ /app/config.yaml", Entries: []imagetest.Entry{
			imagetest.Reg("app/config.yaml", "level: debug\n"),
		}},
		{CreatedBy: "/bin/sh -c rm -rf static && build-assets", Entries: []imagetest.Entry{
			imagetest.Opaque("app/static"), imagetest.Reg("app/static/b.js", bytesOf(100, "b")),
		}},
	}
}

func TestWasteFindings(t *testing.T) {
	res, fs := analyzed(t, wasteSteps(), v1.Config{User: "app"})
	same(t, "waste", of(fs, findings.DeletedLater, findings.MetadataRewrite, findings.Overwritten, findings.OpaqueHidden), []string{
		"deleted-later 1500 [0,1] 2 {/var/lib/apt/lists/main_Packages:1000 /var/lib/apt/lists/security_Packages:500}",
		"opaque-hidden 300 [0,4] 1 {/app/static/a.js:300}",
		"metadata-rewrite 40 [0,2] 1 {/app/run.sh:40}",
		"overwritten 12 [0,3] 1 {/app/config.yaml:12}",
	})
	var sum int64
	for _, f := range fs {
		if f.ID.IsWaste() {
			sum += f.Bytes
		}
	}
	if sum != int64(res.Metrics.ReclaimableBytes) {
		t.Errorf("the waste findings add up to %d, reclaimable bytes are %d", sum, res.Metrics.ReclaimableBytes)
	}
	for _, f := range fs {
		if f.ID == findings.DeletedLater && !strings.Contains(f.Fix, "rm -rf /var/lib/apt/lists/*") {
			t.Errorf("the apt lists' fix does not say where to delete them: %s", f.Fix)
		}
		if f.ID.IsWaste() && (!strings.Contains(f.Fix, "layer") || f.Title == "") {
			t.Errorf("%s: the fix does not name the step: %q", f.ID, f.Fix)
		}
	}
}

func TestFinalImageFindings(t *testing.T) {
	big := bytesOf(70<<10, "d")
	_, fs := analyzed(t, []imagetest.Step{
		{CreatedBy: "base", Entries: []imagetest.Entry{imagetest.Reg("bin/sh", "sh"), imagetest.Reg("usr/bin/passwd", "pw").WithMode(0o4755)}},
		{CreatedBy: "/bin/sh -c pip install flask && apk add gcc", Entries: []imagetest.Entry{
			imagetest.Reg("root/.cache/pip/http/x", bytesOf(2000, "c")),
			imagetest.Reg("var/cache/apk/APKINDEX.tar.gz", bytesOf(700, "i")),
			imagetest.Reg("usr/include/stdio.h", bytesOf(90, "h")),
			imagetest.Reg("usr/bin/gcc-12", bytesOf(60, "g")),
			imagetest.Reg("usr/lib/libfoo.a", bytesOf(30, "f")),
			imagetest.Reg("usr/bin/sudo", "sudo").WithMode(0o4755),
		}},
		{CreatedBy: "COPY . /app", Entries: []imagetest.Entry{
			imagetest.Reg("app/.git/HEAD", "ref: refs/heads/main\n"),
			imagetest.Reg("app/debug.log", bytesOf(50, "l")),
			imagetest.Reg("app/a.bin", big),
			imagetest.Reg("app/copy/b.bin", big),
			{Path: "app/data/", Type: '5', Mode: 0o777},
		}},
	}, v1.Config{User: "app", Healthcheck: &v1.HealthConfig{Test: []string{"CMD", "true"}}}, findings.WithSizeBudget(1000))
	same(t, "final image", of(fs, findings.PackageCache, findings.BuildTooling, findings.VCSOrContext, findings.DuplicateContent,
		findings.SetuidAdded, findings.WorldWritable), []string{
		"duplicate-content 71680 [2] 2 {/app/a.bin:71680 /app/copy/b.bin:71680}",
		"package-cache 2000 [1] 1 {/root/.cache/pip/http/x:2000}",
		"package-cache 700 [1] 1 {/var/cache/apk/APKINDEX.tar.gz:700}",
		"build-tooling 180 [1] 3 {/usr/include/stdio.h:90 /usr/bin/gcc-12:60 /usr/lib/libfoo.a:30}",
		"vcs-or-context 71 [2] 2 {/app/debug.log:50 /app/.git/HEAD:21}",
		"setuid-added 0 [1] 1 {/usr/bin/sudo:4}",
		"world-writable 0 [2] 1 {/app/data:0}",
	})
	if got := of(fs, findings.LargeImage); len(got) != 1 {
		t.Errorf("large-image: %v", got)
	}
	if got := of(fs, findings.RunsAsRoot, findings.NoHealthcheck); len(got) != 0 {
		t.Errorf("a USER and a HEALTHCHECK were reported missing: %v", got)
	}
}

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----\n"

func TestSecretFindings(t *testing.T) {
	_, fs := analyzed(t, []imagetest.Step{
		{CreatedBy: "/bin/sh -c |1 NPM_TOKEN=npm_s3cr3tvalue /bin/sh -c echo build", Entries: []imagetest.Entry{
			imagetest.Reg("root/.ssh/id_rsa", privateKey),
			imagetest.Reg("app/.env", "DEBUG=1\nDB_PASSWORD=hunter2hunter2\n"),
		}},
		{CreatedBy: "/bin/sh -c rm /root/.ssh/id_rsa", Entries: []imagetest.Entry{imagetest.Whiteout("root/.ssh/id_rsa")}},
	}, v1.Config{Env: []string{"PATH=/bin", "API_TOKEN=tok3n-value"}})
	same(t, "secrets", of(fs, findings.HiddenSecret, findings.VisibleSecret, findings.SecretInConfig), []string{
		fmt.Sprintf("hidden-secret %d [0,1] 1 {/root/.ssh/id_rsa:%d}", len(privateKey), len(privateKey)),
		"secret-in-config 0 [0] 2 {ENV API_TOKEN=<redacted>:0 /bin/sh -c |1 NPM_TOKEN=<redacted> /bin/sh -c echo build:0}",
		"visible-secret 0 [0] 1 {/app/.env:35}",
	})
	same(t, "root and health", of(fs, findings.RunsAsRoot, findings.NoHealthcheck), []string{
		"runs-as-root 0 [] 0 {}", "no-healthcheck 0 [] 0 {}",
	})
	doc, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	for _, value := range []string{"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB", "hunter2hunter2", "tok3n-value", "npm_s3cr3tvalue"} {
		if strings.Contains(string(doc), value) {
			t.Errorf("a secret's value is in the findings: %s", value)
		}
	}
}

func TestRedactCommand(t *testing.T) {
	for in, want := range map[string]string{
		"|2 GITHUB_TOKEN=ghp_x VERSION=1.2 /bin/sh -c make": "|2 GITHUB_TOKEN=<redacted> VERSION=1.2 /bin/sh -c make",
		`ENV DB_PASSWORD="a b" MODE=prod`:                   `ENV DB_PASSWORD=<redacted> MODE=prod`,
		"RUN make":                                          "RUN make",
	} {
		if got := findings.RedactCommand(in); got != want {
			t.Errorf("RedactCommand(%q) = %q, want %q", in, got, want)
		}
	}
}
