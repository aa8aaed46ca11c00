package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/internal/signtest"
)

// indexOf runs strata index --json - and parses the document.
func indexOf(t *testing.T, env map[string]string, args ...string) indexDoc {
	t.Helper()
	r := strata(t, env, append([]string{"index", "--json", "-"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("strata index %v:\n%s", args, r)
	}
	var doc indexDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// The fixture as each source keeps it is one platform of 9 layers; sizes
// are known where the source can know them without a download.
func TestLiveIndexSources(t *testing.T) {
	reg := indexOf(t, nil, "registry://"+livetest.Registry(t)+"/"+livetest.FixtureImage(t))
	if len(reg.Platforms) != 1 || *reg.Platforms[0].LayerCount != 9 || reg.Platforms[0].CompressedSizeBytes == nil ||
		reg.Platforms[0].UncompressedSizeBytes != nil || reg.Platforms[0].Platform != "linux/amd64" {
		t.Errorf("registry: %+v", reg.Platforms)
	}
	docker := indexOf(t, map[string]string{"DOCKER_HOST": livetest.DockerHost(t)}, "docker://"+livetest.FixtureImage(t))
	if p := docker.Platforms; len(p) != 1 || p[0].LayerCount == nil || *p[0].LayerCount != 9 || p[0].UncompressedSizeBytes == nil ||
		p[0].Layers[0].DiffID != reg.Platforms[0].Layers[0].DiffID {
		t.Errorf("docker: %+v", p)
	}
	ctrd := indexOf(t, map[string]string{"CONTAINERD_ADDRESS": livetest.ContainerdAddress(t)}, "containerd://"+livetest.ContainerdOCIImage(t))
	if p := ctrd.Platforms; len(p) != 1 || *p[0].LayerCount != 9 || p[0].UncompressedSizeBytes == nil || *p[0].UncompressedSizeBytes <= 0 {
		t.Errorf("containerd: %+v", p)
	}
	archive := indexOf(t, nil, livetest.FixtureOCI(t))
	if p := archive.Platforms; len(p) != 1 || *p[0].LayerCount != 9 || p[0].UncompressedSizeBytes == nil ||
		*p[0].UncompressedSizeBytes != *ctrd.Platforms[0].UncompressedSizeBytes {
		t.Errorf("oci-archive: %+v, containerd's %+v", p, ctrd.Platforms)
	}
	// The docker daemon's graph driver keeps no compressed layers.
	r := strata(t, map[string]string{"DOCKER_HOST": livetest.DockerHost(t)}, "index", "docker://"+livetest.FixtureImage(t))
	wantExit(t, r, exitOK)
	if !strings.Contains(r.stdout, "unknown") || !strings.Contains(r.stdout, "(not every size is known)") {
		t.Errorf("docker text:\n%s", r.stdout)
	}
}

// A multi-platform index pushed with a signature to the CI registry:
// strata index shows both platforms and verifies the index's signature,
// and inspect of one platform finds the signature of its index.
func TestLiveIndexSigned(t *testing.T) {
	host := livetest.Registry(t)
	repo, err := name.NewRepository(fmt.Sprintf("%s/strata-test/index-%d", host, time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := multiPlatformIndex(t)
	if err := remote.WriteIndex(repo.Tag("v1"), idx); err != nil {
		t.Fatal(err)
	}
	digest, _ := idx.Digest()
	s, err := signtest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	pushSignature(t, repo, s, digest)
	key := writeFile(t, t.TempDir(), "cosign.pub", string(s.PublicKeyPEM()))
	ref := "registry://" + repo.Tag("v1").String()

	doc := indexOf(t, nil, "--verify-key", key, ref)
	if len(doc.Platforms) != 2 || len(doc.SharedLayers) != 3 || len(doc.Attestations) != 2 || doc.Signature == nil || !doc.Signature.Verified {
		t.Errorf("index: %d platforms, %d shared, %d attestations, signature %+v", len(doc.Platforms), len(doc.SharedLayers), len(doc.Attestations), doc.Signature)
	}
	r := strata(t, nil, "inspect", "--platform", "linux/arm64/v8", "--verify-key", key, ref)
	wantExit(t, r, exitOK)
	if !strings.Contains(r.stdout, "Signature:           verified with "+key) {
		t.Errorf("inspect of one platform:\n%s", r.stdout)
	}
}
