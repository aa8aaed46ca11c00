package picker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// mapStore holds blobs by digest; the others fail, and block is a
// statement whose read waits for the context.
type mapStore struct {
	blobs map[v1.Hash][]byte
	block v1.Hash
}

func (s mapStore) Root(context.Context) (v1.Descriptor, []byte, error) {
	return v1.Descriptor{}, nil, errors.New("no root")
}

func (s mapStore) Fetch(ctx context.Context, d v1.Descriptor, _ int64) ([]byte, error) {
	if d.Digest == s.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if b, ok := s.blobs[d.Digest]; ok {
		return b, nil
	}
	return nil, index.Absent(errors.New("blob " + d.Digest.String() + " is not in the store"))
}

func (s mapStore) Close() error { return nil }

func ref(t *testing.T, blobs map[v1.Hash][]byte, body, predicateType string) index.StatementRef {
	t.Helper()
	h, _, err := v1.SHA256(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		blobs[h] = []byte(body)
	}
	return index.StatementRef{Blob: v1.Descriptor{Digest: h, Size: int64(len(body))}, PredicateType: predicateType}
}

// A statement the store lacks is summarised as not read, and its error
// is the message's; one that is not JSON is shown as it is, escaped; a
// CycloneDX SBOM gives its format and component count.
func TestLoadStatementsShowsWhatCouldBeRead(t *testing.T) {
	blobs := map[v1.Hash][]byte{}
	bom := ref(t, blobs, `{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://cyclonedx.org/bom","subject":[{"name":"app\u202e"}],`+
		`"predicate":{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{},{},{}]}}`, "https://cyclonedx.org/bom")
	junk := ref(t, blobs, "not json\x1b[2J", "https://example.com/custom")
	missing := ref(t, map[v1.Hash][]byte{}, "gone", "https://slsa.dev/provenance/v1")
	atts := []index.Attestation{{Platform: 0, Statements: []index.StatementRef{bom, junk, missing}}}
	msg := LoadStatements(context.Background(), mapStore{blobs: blobs}, "linux/amd64", atts, 7, time.Minute)().(StatementsMsg)
	if msg.Read != 7 || msg.Title != "Attestations of linux/amd64 · 3 statements" {
		t.Errorf("read %d, title %q", msg.Read, msg.Title)
	}
	if msg.Err == nil || !strings.Contains(msg.Err.Error(), "reading statement "+missing.Blob.Digest.String()) {
		t.Errorf("the error is %v", msg.Err)
	}
	short := func(r index.StatementRef) string { return r.Blob.Digest.String()[:19] }
	panetest.RequireLines(t, msg.Lines[:7],
		"sbom-cyclonedx · https://cyclonedx.org/bom · "+short(bom)+" · "+fmt.Sprint(bom.Blob.Size)+" B",
		`  subject      app\u202e`,
		"  sbom         CycloneDX 1.6, 3 packages",
		"other · https://example.com/custom · "+short(junk)+" · 12 B",
		"  parsing the in-toto statement: invalid character 'o' in literal null (expecting 'u')",
		"provenance · https://slsa.dev/provenance/v1 · "+short(missing)+" · 4 B",
		"  not read: reading statement "+missing.Blob.Digest.String()+": blob "+missing.Blob.Digest.String()+" is not in the store")
	all := strings.Join(msg.Lines, "\n")
	for _, want := range []string{"── sbom-cyclonedx · " + short(bom), "── other · " + short(junk) + "\nnot JSON (invalid character 'o' in literal null (expecting 'u')); as it is:\nnot json\\x1b[2J"} {
		if !strings.Contains(all, want) {
			t.Errorf("the lines lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "── provenance") || strings.ContainsAny(all, "\x1b\u202e") {
		t.Errorf("the lines show a statement not read, or an escape raw:\n%s", all)
	}
	if len(msg.Headers) != 5 || msg.Lines[msg.Headers[3]] != "── sbom-cyclonedx · "+short(bom) {
		t.Errorf("headers %v", msg.Headers)
	}
}

// A read that outlasts the timeout stops, and says to raise --timeout;
// nothing read, there are no lines.
func TestLoadStatementsTimesOut(t *testing.T) {
	blobs := map[v1.Hash][]byte{}
	slow := ref(t, blobs, "", "https://slsa.dev/provenance/v1")
	atts := []index.Attestation{{Platform: 0, Statements: []index.StatementRef{slow}}}
	msg := LoadStatements(context.Background(), mapStore{blobs: blobs, block: slow.Blob.Digest}, "linux/amd64", atts, 1, 10*time.Millisecond)().(StatementsMsg)
	if msg.Err == nil || msg.Err.Error() != "reading the attestations of linux/amd64: timed out after 10ms (raise --timeout)" || msg.Lines != nil {
		t.Errorf("err %v, lines %q", msg.Err, msg.Lines)
	}
}
