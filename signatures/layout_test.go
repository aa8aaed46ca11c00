package signatures_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/signtest"
	"github.com/strata-dev/strata/signatures"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/source/oci"
)

// TestLayoutReferrers: an OCI layout that keeps a cosign .sig manifest
// (tagged sha256-<hex>.sig in index.json) and a bundle referrer (a
// manifest with a subject) gives both, and only the image is a platform.
func TestLayoutReferrers(t *testing.T) {
	imgs, err := imagetest.PlatformImages([]string{"linux/amd64"}, 2, 0, 1000, imagetest.WithOCIMediaTypes())
	if err != nil {
		t.Fatal(err)
	}
	img := imgs[0]
	digest, _ := img.Digest()
	dir := filepath.Join(t.TempDir(), "layout")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{index.AnnotationRefName: "strata/app:v1"})); err != nil {
		t.Fatal(err)
	}
	s := newSigner(t)
	sig, err := s.SignatureImage([][]byte{signtest.SimpleSigningPayload("strata/app", digest)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(sig, layout.WithAnnotations(map[string]string{index.AnnotationRefName: "strata/app:" + index.TagSchema(digest) + ".sig"})); err != nil {
		t.Fatal(err)
	}
	b, err := s.SignatureBundle(digest)
	if err != nil {
		t.Fatal(err)
	}
	subject, err := signtest.Descriptor(img)
	if err != nil {
		t.Fatal(err)
	}
	a, err := signtest.BundleArtifact(b, subject, index.CosignSignaturePredicate)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.WriteLayout(p); err != nil {
		t.Fatal(err)
	}

	docs, err := oci.OpenDocumentsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer docs.Close()
	idx, err := index.Read(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if rows := idx.Rows(); len(rows) != 1 || rows[0].Digest != digest || len(idx.Artifacts) != 2 {
		t.Errorf("rows %+v, %d artifacts; want the image alone, and the two artifacts apart", rows, len(idx.Artifacts))
	}
	refs, err := index.ListReferrers(context.Background(), docs, digest)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, r := range refs {
		found[r.Found+" "+r.Kind] = true
	}
	if len(refs) != 2 || !found["tag signature"] || !found["referrers signature"] {
		t.Fatalf("referrers %+v", refs)
	}
	sigs, err := signatures.Read(context.Background(), docs, refs)
	if err != nil {
		t.Fatal(err)
	}
	res := signatures.Verify(sigs, key(t, s, "cosign.pub"), []v1.Hash{digest})
	if res.Verified != 2 {
		t.Errorf("%d of %d verified: %+v", res.Verified, len(sigs), res.Checks)
	}
}
