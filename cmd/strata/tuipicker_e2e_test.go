//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/signtest"
)

// TestTUIPlatformPicker runs the built binary in tmux on a multi-platform
// index in a registry, signed by its digest, with no --platform: the
// platform picker comes first, each platform's attestations listed; a
// shows linux/amd64's, its provenance's build arguments and base image
// first, and esc closes them; enter opens linux/arm64/v8, whose image
// details give its base (from the provenance), say the signature was
// verified and list its referrer; p returns to the picker, and q quits.
func TestTUIPlatformPicker(t *testing.T) {
	bin := needTmux(t)
	strata := buildStrata(t)
	host := serveRegistry(t, true)
	idx, _ := multiPlatformIndex(t)
	repo, _ := name.NewRepository(host + "/strata/multi")
	if err := remote.WriteIndex(repo.Tag("v1"), idx); err != nil {
		t.Fatal(err)
	}
	digest, _ := idx.Digest()
	signer, err := signtest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	pushSignature(t, repo, signer, digest)
	dir := t.TempDir()
	key := writeFile(t, dir, "cosign.pub", string(signer.PublicKeyPEM()))

	x := tmux{t: t, bin: bin, socket: filepath.Join(dir, "tmux.sock"), session: "strata"}
	exit := x.start(strata, 200, 70, "inspect", "--verify-key", key, "registry://"+repo.Tag("v1").String())
	s := x.waitFor("2 platforms · pick one")
	for _, want := range []string{
		"Platform        Compressed  Uncompressed  Layers    Shared",
		"linux/amd64          67 kB       unknown       8     25 kB",
		"linux/arm64/v8       67 kB       unknown       8     25 kB",
		"enter open platform",
		"a attestations",
		"Attestations",
		"25 kB  provenance, sbom",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the picker lacks %q:\n%s", want, s)
		}
	}
	x.keys("a")
	s = x.waitFor("Attestations of linux/amd64 · 2 statements")
	for _, want := range []string{`build arg    EVIL=\x1b]0;pwned\x07`, "build arg    VERSION=1.2.3",
		"base image   docker.io/library/alpine:3.20@sha256:aaaa", "sbom         SPDX-2.3, 1 package", "esc/q close"} {
		if !strings.Contains(s, want) {
			t.Errorf("the attestations lack %q:\n%s", want, s)
		}
	}
	x.keys("Escape")
	x.waitFor("Platforms (2)")
	x.keys("Down", "Enter")
	x.waitFor("/strata/multi:v1 · linux/arm64/v8 │")
	x.keys("4")
	s = x.waitFor("Signature    verified with " + dir)
	for _, want := range []string{"Base         docker.io/library/alpine:3.20 sha256:aaaaaaaaaaaa · named by pro", "Referrers    1", "  signature   sha256:", "p platforms"} {
		if !strings.Contains(s, want) {
			t.Errorf("the image lacks %q:\n%s", want, s)
		}
	}
	x.keys("p")
	x.waitFor("pick one")
	x.quit(exit, "pick one")
}
