package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/signtest"
	"github.com/strata-dev/strata/source/index"
)

// multiPlatformIndex is 2 platforms × 8 layers, the first 3 shared, each
// attested with a provenance naming a build argument and a base image.
func multiPlatformIndex(t *testing.T) (v1.ImageIndex, []v1.Image) {
	t.Helper()
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64", "linux/arm64/v8"}, 8, 3, 8<<10, imagetest.WithOCIMediaTypes())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := imagetest.AttestedIndex(imgs, func(i int) []imagetest.Statement {
		return []imagetest.Statement{
			{PredicateType: "https://slsa.dev/provenance/v0.2", Predicate: map[string]any{
				"materials": []any{map[string]any{"uri": "pkg:docker/alpine@3.20?platform=linux%2Famd64", "digest": map[string]string{"sha256": strings.Repeat("a", 64)}}},
				"invocation": map[string]any{"parameters": map[string]any{"args": map[string]string{
					"build-arg:VERSION": "1.2.3", "build-arg:EVIL": "\x1b]0;pwned\x07"}}},
			}},
			{PredicateType: "https://spdx.dev/Document", Predicate: map[string]any{"spdxVersion": "SPDX-2.3", "packages": []any{map[string]string{"name": "musl"}}}},
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return idx, imgs
}

// serveRegistry runs an in-process registry and returns its host:port.
func serveRegistry(t *testing.T, referrersAPI bool) string {
	t.Helper()
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)), ggcrregistry.WithReferrersSupport(referrersAPI)))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestIndexLayout(t *testing.T) {
	idx, imgs := multiPlatformIndex(t)
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, idx); err != nil {
		t.Fatal(err)
	}
	r := strata(t, noEnv, "index", dir)
	wantExit(t, r, exitOK)
	for _, want := range []string{
		"Index: " + dir + " (oci, index ",
		"Shared layers (3,",
		"Pulling all 2 platforms:",
		"      build args:  EVIL=\\x1b]0;pwned\\x07 VERSION=1.2.3",
		"      base image:  docker.io/library/alpine:3.20@sha256:aaaaaaaa",
		"      SPDX-2.3, 1 package",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the text lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\x1b") || strings.Contains(r.stdout, "unknown") {
		t.Errorf("an escape reached the text, or a local layer's size is unknown:\n%s", r.stdout)
	}
	for _, p := range []string{"linux/amd64", "linux/arm64/v8"} {
		if !hasLinePrefix(r.stdout, p+" ") {
			t.Errorf("no row for %s:\n%s", p, r.stdout)
		}
	}

	r = strata(t, noEnv, "index", "--json", "-", dir)
	wantExit(t, r, exitOK)
	var doc indexDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, r.stdout)
	}
	if len(doc.Platforms) != 2 || len(doc.SharedLayers) != 3 || len(doc.Attestations) != 2 || !doc.Pull.Known {
		t.Fatalf("document %+v", doc)
	}
	for i, p := range doc.Platforms {
		d, _ := imgs[i].Digest()
		if p.Digest != d.String() || *p.LayerCount != 8 || p.UncompressedSizeBytes == nil || *p.UncompressedSizeBytes <= *p.CompressedSizeBytes/2 || p.Attestation == "" {
			t.Errorf("platform %d: %+v", i, p)
		}
	}
	st := doc.Attestations[0].Statements[0]
	if st.Provenance == nil || st.Provenance.Args["EVIL"] != "\x1b]0;pwned\x07" || st.Kind != "provenance" {
		t.Errorf("the JSON does not keep the provenance's exact bytes: %+v", st.Provenance)
	}

	r = strata(t, noEnv, "index", "--attestation", st.Digest, dir)
	wantExit(t, r, exitOK)
	var printed map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &printed); err != nil || printed["predicateType"] != "https://slsa.dev/provenance/v0.2" {
		t.Errorf("--attestation printed %v (%v):\n%s", printed, err, r.stdout)
	}
	r = strata(t, noEnv, "index", "--attestation", doc.Attestations[1].Digest, dir)
	wantExit(t, r, exitOK)
	if n := strings.Count(r.stdout, `"predicateType"`); n != 2 {
		t.Errorf("an attestation manifest's digest printed %d statements, want its 2", n)
	}
	r = strata(t, noEnv, "index", "--attestation", st.Digest[:19], dir)
	wantExit(t, r, exitOK)
	if !strings.Contains(r.stdout, `"https://slsa.dev/provenance/v0.2"`) {
		t.Errorf("--attestation with the digest the text shows printed:\n%s", r.stdout)
	}
	r = strata(t, noEnv, "index", "--attestation", "sha256:"+strings.Repeat("0", 64), dir)
	wantOneError(t, r, "no attestation or statement of that digest")
	r = strata(t, noEnv, "index", "--attestation", "sha256:", dir)
	wantOneError(t, r, "not a digest")
}

func hasLinePrefix(s, prefix string) bool {
	for _, l := range lines(s) {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestIndexRegistry: from a registry, uncompressed sizes are unknown (no
// layer is read), and the index's signature is checked.
func TestIndexRegistry(t *testing.T) {
	host := serveRegistry(t, false)
	idx, _ := multiPlatformIndex(t)
	repo, _ := name.NewRepository(host + "/strata/multi")
	if err := remote.WriteIndex(repo.Tag("v1"), idx); err != nil {
		t.Fatal(err)
	}
	digest, _ := idx.Digest()
	s, err := signtest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	pushSignature(t, repo, s, digest)
	keyFile := writeFile(t, t.TempDir(), "cosign.pub", string(s.PublicKeyPEM()))

	r := strata(t, noEnv, "index", "--verify-key", keyFile, "registry://"+repo.Tag("v1").String())
	wantExit(t, r, exitOK)
	for _, want := range []string{"unknown", "Signature:  verified with " + keyFile, "Referrers (1):", "(tag sha256-" + digest.Hex + ".sig)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the text lacks %q:\n%s", want, r.stdout)
		}
	}
	r = strata(t, noEnv, "index", "--json", "-", "registry://"+repo.Tag("v1").String())
	wantExit(t, r, exitOK)
	var doc indexDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Platforms[0].UncompressedSizeBytes != nil || len(doc.Referrers) != 1 || doc.Referrers[0].Kind != "signature" || doc.Signature.Key != "" {
		t.Errorf("document %+v", doc)
	}
}

// pushSignature pushes cosign's .sig for digest, signed by s.
func pushSignature(t *testing.T, repo name.Repository, s *signtest.Signer, digest v1.Hash) {
	t.Helper()
	img, err := s.SignatureImage([][]byte{signtest.SimpleSigningPayload(repo.Name(), digest)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(repo.Tag(index.TagSchema(digest)+".sig"), img); err != nil {
		t.Fatal(err)
	}
}

// TestInspectVerifyKey: inspect says whether the key verifies the
// image's signature in its summary and its JSON, and requireSignature
// fails the build when it does not.
func TestInspectVerifyKey(t *testing.T) {
	host := serveRegistry(t, true)
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64"}, 2, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	repo, _ := name.NewRepository(host + "/strata/app")
	if err := remote.Write(repo.Tag("v1"), imgs[0]); err != nil {
		t.Fatal(err)
	}
	digest, _ := imgs[0].Digest()
	good, err := signtest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	other, err := signtest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	pushSignature(t, repo, good, digest)
	dir := t.TempDir()
	goodKey := writeFile(t, dir, "cosign.pub", string(good.PublicKeyPEM()))
	otherKey := writeFile(t, dir, "other.pub", string(other.PublicKeyPEM()))
	ref := "registry://" + repo.Tag("v1").String()

	r := strata(t, noEnv, "inspect", "--verify-key", goodKey, ref)
	wantExit(t, r, exitOK)
	if !strings.Contains(r.stdout, "Signature:           verified with "+goodKey+" (1 of 1 signature)") || !strings.Contains(r.stdout, "Referrers (1):") {
		t.Errorf("summary:\n%s", r.stdout)
	}
	r = strata(t, noEnv, "inspect", "--json", "-", "--verify-key", otherKey, ref)
	wantExit(t, r, exitOK)
	var doc struct {
		Signature *struct {
			Verified bool
			Summary  string
			Key      string
		}
		Referrers []struct {
			Kind       string
			Signatures []struct{ Status string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Signature == nil || doc.Signature.Verified || !strings.HasPrefix(doc.Signature.Summary, "NOT verified with "+otherKey) ||
		len(doc.Referrers) != 1 || doc.Referrers[0].Signatures[0].Status != "not-verified" {
		t.Errorf("JSON with another key: %+v", doc)
	}

	r = strata(t, noEnv, "inspect", "--ci", "--require-signature", "--verify-key", otherKey, ref)
	wantExit(t, r, exitRuleFailed)
	if !strings.Contains(r.stdout, "requireSignature") {
		t.Errorf("the CI output does not name the rule:\n%s", r.stdout)
	}
	r = strata(t, noEnv, "inspect", "--ci", "--require-signature", "--verify-key", goodKey, ref)
	wantExit(t, r, exitOK)
	r = strata(t, noEnv, "inspect", "--ci", "--require-signature", ref)
	wantExit(t, r, exitRuleFailed)

	r = strata(t, noEnv, "inspect", "--verify-key", filepath.Join(dir, "missing.pub"), ref)
	wantOneError(t, r, "--verify-key")
	notKey := writeFile(t, dir, "not.pub", "hello")
	r = strata(t, noEnv, "inspect", "--verify-key", notKey, ref)
	wantOneError(t, r, "reading the public key")
}

// TestInspectBase: --base names the base, whose layers must be the
// image's first; the report gives its layers and the metrics of the
// layers above it, and an image that names its base in annotations is
// read with --base auto.
func TestInspectBase(t *testing.T) {
	host := serveRegistry(t, false)
	base, err := imagetest.Image([]imagetest.Step{
		{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{{Path: "/etc/os-release", Size: 300}, {Path: "/bin/sh", Size: 5000}}},
		{CreatedBy: "RUN apk add", Entries: []imagetest.Entry{{Path: "/usr/lib/libx.so", Size: 2000}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	baseRepo, _ := name.NewRepository(host + "/strata/base")
	if err := remote.Write(baseRepo.Tag("1"), base); err != nil {
		t.Fatal(err)
	}
	baseDigest, _ := base.Digest()
	l1, err := imagetest.Layer([]imagetest.Entry{{Path: "/app/a", Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	l2, err := imagetest.Layer([]imagetest.Entry{{Path: "/app/a", Size: 150}})
	if err != nil {
		t.Fatal(err)
	}
	app, err := mutate.AppendLayers(base, l1, l2)
	if err != nil {
		t.Fatal(err)
	}
	appRepo, _ := name.NewRepository(host + "/strata/app")
	if err := remote.Write(appRepo.Tag("1"), app); err != nil {
		t.Fatal(err)
	}
	annotated := mutate.Annotations(app, map[string]string{
		index.AnnotationBaseName:   baseRepo.Tag("1").String(),
		index.AnnotationBaseDigest: baseDigest.String(),
	}).(v1.Image)
	if err := remote.Write(appRepo.Tag("annotated"), annotated); err != nil {
		t.Fatal(err)
	}

	type baseDoc struct {
		Reference  string
		Digest     string
		LayerCount *int
		From       string
		Verified   bool
		YourLayers *struct {
			FirstLayer       int
			InefficientBytes uint64
			SizeBytes        uint64
		}
	}
	read := func(args ...string) *baseDoc {
		t.Helper()
		r := strata(t, noEnv, append([]string{"inspect", "--json", "-"}, args...)...)
		wantExit(t, r, exitOK)
		var doc struct{ Base *baseDoc }
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Base
	}
	b := read("--base", "registry://"+baseRepo.Tag("1").String(), "registry://"+appRepo.Tag("1").String())
	if b == nil || b.LayerCount == nil || *b.LayerCount != 2 || !b.Verified || b.From != "flag" || b.Digest != baseDigest.String() ||
		b.YourLayers == nil || b.YourLayers.FirstLayer != 2 || b.YourLayers.InefficientBytes != 250 {
		t.Errorf("base %+v (your layers %+v)", b, b.YourLayers)
	}
	r := strata(t, noEnv, "inspect", "--base", "registry://"+appRepo.Tag("annotated").String(), "registry://"+baseRepo.Tag("1").String())
	wantOneError(t, r, "not the image's base")

	b = read("registry://" + appRepo.Tag("annotated").String())
	if b == nil || b.From != "annotation" || b.LayerCount != nil || b.Digest != baseDigest.String() {
		t.Errorf("the annotated base, not read: %+v", b)
	}
	b = read("--base", "auto", "registry://"+appRepo.Tag("annotated").String())
	if b == nil || b.From != "annotation" || b.LayerCount == nil || *b.LayerCount != 2 || !b.Verified {
		t.Errorf("the annotated base, read with --base auto: %+v", b)
	}
	r = strata(t, noEnv, "inspect", "registry://"+appRepo.Tag("annotated").String())
	wantExit(t, r, exitOK)
	if !strings.Contains(r.stdout, "Base:                "+baseRepo.Tag("1").String()) {
		t.Errorf("summary:\n%s", r.stdout)
	}

	// diff says which bases the images name.
	other, err := imagetest.Image([]imagetest.Step{{CreatedBy: "ADD other /", Entries: []imagetest.Entry{{Path: "/etc/other", Size: 10}}}})
	if err != nil {
		t.Fatal(err)
	}
	otherApp := mutate.Annotations(other, map[string]string{index.AnnotationBaseName: "docker.io/library/debian:12"}).(v1.Image)
	if err := remote.Write(appRepo.Tag("debian"), otherApp); err != nil {
		t.Fatal(err)
	}
	r = strata(t, noEnv, "diff", "registry://"+appRepo.Tag("annotated").String(), "registry://"+appRepo.Tag("debian").String())
	wantExit(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "Bases differ: A is built on "+baseRepo.Tag("1").String()) || !strings.Contains(lines(r.stdout)[0], "B on docker.io/library/debian:12") {
		t.Errorf("diff:\n%s", r.stdout)
	}
}

// TestIndexDockerArchive: a docker save tarball is one platform, its plain
// tar layers' uncompressed size their size.
func TestIndexDockerArchive(t *testing.T) {
	r := strata(t, noEnv, "index", "--json", "-", demoImage(t))
	wantExit(t, r, exitOK)
	var doc indexDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Platforms) != 1 || doc.Source != "docker-archive" {
		t.Fatalf("document %+v", doc)
	}
	p := doc.Platforms[0]
	if *p.LayerCount != len(p.Layers) || p.UncompressedSizeBytes == nil || *p.UncompressedSizeBytes != *p.CompressedSizeBytes || doc.Pull.AllBytes != *p.CompressedSizeBytes {
		t.Errorf("platform %+v, pull %+v", p, doc.Pull)
	}
}
