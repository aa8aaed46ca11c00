package signatures_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/internal/signtest"
	"github.com/strata-dev/strata/signatures"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/index"
)

// TestLiveRegistry pushes a signed, attested index of two platforms to
// the registry .ci/run starts (a distribution registry without the
// referrers API) and reads it back: the platforms, the attestations, the
// signatures found through cosign's tag and the referrers tag schema, and
// their verification with the right key, another key and a changed
// payload.
func TestLiveRegistry(t *testing.T) {
	host := livetest.Registry(t)
	repo, err := name.NewRepository(fmt.Sprintf("%s/strata-test/signed-%d", host, time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64", "linux/arm64/v8"}, 8, 3, 4<<10, imagetest.WithOCIMediaTypes())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := imagetest.AttestedIndex(imgs, func(int) []imagetest.Statement {
		return []imagetest.Statement{{PredicateType: "https://slsa.dev/provenance/v0.2", Predicate: map[string]any{
			"materials":  []any{map[string]any{"uri": "pkg:docker/alpine@3.20", "digest": map[string]string{"sha256": "ab"}}},
			"invocation": map[string]any{"parameters": map[string]any{"args": map[string]string{"build-arg:V": "1"}}},
		}}}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(repo.Tag("v1"), idx); err != nil {
		t.Fatal(err)
	}
	digest, _ := idx.Digest()
	good, other := newSigner(t), newSigner(t)
	pushSig(t, repo, good, digest, nil)
	idxDesc, err := signtest.Descriptor(idx)
	if err != nil {
		t.Fatal(err)
	}
	pushBundle(t, repo, good, idxDesc, digest)

	ref := repo.Tag("v1").String()
	got, err := source.ReadIndex(context.Background(), "registry://"+ref)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	rows := got.Rows()
	if len(rows) != 2 || rows[0].Platform != "linux/amd64" || rows[1].Platform != "linux/arm64/v8" || !rows[0].Attested || rows[0].Layers != 8 {
		t.Errorf("rows %+v", rows)
	}
	if len(got.Shared()) != 3 || len(got.Attestations) != 2 {
		t.Errorf("%d shared layers, %d attestations", len(got.Shared()), len(got.Attestations))
	}
	raw, err := index.ReadStatement(context.Background(), got.Store, got.Attestations[0].Statements[0])
	if err != nil {
		t.Fatal(err)
	}
	st, err := index.ParseStatement(raw)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := index.ParseProvenance(st); err != nil || p.Args["V"] != "1" || len(p.BaseImages) != 1 {
		t.Errorf("provenance %+v, %v", p, err)
	}

	store := got.Store.(index.ReferrerStore)
	refs, err := index.ListReferrers(context.Background(), store, digest)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 2 {
		t.Fatalf("referrers %+v, want the .sig tag and the bundle", refs)
	}
	sigs, err := signatures.Read(context.Background(), store, refs)
	if err != nil {
		t.Fatal(err)
	}
	subjects := []v1.Hash{digest}
	if res := signatures.Verify(sigs, key(t, good, "cosign.pub"), subjects); res.Verified != 2 {
		t.Errorf("the right key: %s %+v", res.Line(), res.Checks)
	}
	if res := signatures.Verify(sigs, key(t, other, "other.pub"), subjects); res.OK() {
		t.Errorf("another key: %s", res.Line())
	}

	// The .sig tag replaced by one whose payload was changed.
	pushSig(t, repo, good, digest, signtest.SimpleSigningPayload(repo.Name(), imgDigest(t, imgs[0])))
	refs, err = index.ListReferrers(context.Background(), store, digest)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err = signatures.Read(context.Background(), store, refs)
	if err != nil {
		t.Fatal(err)
	}
	res := signatures.Verify(sigs, key(t, good, "cosign.pub"), subjects)
	for i, s := range sigs {
		want := signatures.StatusVerified
		if s.Format == signatures.FormatSimpleSigning {
			want = signatures.StatusNotVerified
		}
		if res.Checks[i].Status != want {
			t.Errorf("%s signature after the payload changed: %+v", s.Format, res.Checks[i])
		}
	}
}

func imgDigest(t *testing.T, img v1.Image) v1.Hash {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
