package index_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/source/index"
)

// memStore is an index held in memory, which counts the bytes asked of it
// and holds no other document: each is absent, so Read goes on to the
// next.
type memStore struct {
	root    []byte
	fetched atomic.Int64
}

func (s *memStore) Root(context.Context) (v1.Descriptor, []byte, error) {
	return v1.Descriptor{MediaType: types.OCIImageIndex, Size: int64(len(s.root))}, s.root, nil
}

func (s *memStore) Fetch(_ context.Context, d v1.Descriptor, limit int64) ([]byte, error) {
	s.fetched.Add(d.Size)
	return nil, index.Absent(fmt.Errorf("no blob %s", d.Digest))
}

func (s *memStore) Close() error { return nil }

// TestReadBudget: an index of 100 manifests each said to be 4 MiB has
// Read refuse to go past MaxDocuments; it fetches none beyond it.
func TestReadBudget(t *testing.T) {
	var ds []v1.Descriptor
	for i := range 100 {
		ds = append(ds, v1.Descriptor{MediaType: types.OCIManifestSchema1, Size: 4 << 20,
			Digest: v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%064x", i)}, Platform: &v1.Platform{OS: "linux", Architecture: fmt.Sprint(i)}})
	}
	raw, _ := json.Marshal(v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds})
	s := &memStore{root: raw}
	_, err := index.Read(context.Background(), s)
	if err == nil {
		t.Fatal("read an index of 400 MiB of manifests")
	}
	if n := s.fetched.Load(); n > index.MaxDocuments {
		t.Errorf("fetched %d bytes, over the %d budget", n, index.MaxDocuments)
	}
	if !strings.HasSuffix(err.Error(), ": the manifests and configs of the index are over 256 MiB (strata reads no more)") {
		t.Errorf("error %v", err)
	}
}
