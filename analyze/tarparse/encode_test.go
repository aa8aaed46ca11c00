package tarparse

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"testing"
	"unsafe"
)

// entriesOf parses a tar, keeping the first bytes of every file.
func entriesOf(t testing.TB, data []byte) *Entries {
	t.Helper()
	es, err := NewParser(WithCapture(func(string, int64, fs.FileMode) Keeper { return NewPrefix(5) })).Parse(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// flat writes entries as comparable lines.
func flat(es *Entries) []string {
	var out []string
	for e := range es.All() {
		out = append(out, fmt.Sprintf("%s %s %d %x %o %d %d %d %c %d", es.Path(e), es.Link(e), e.Size, e.Hash, e.Mode, e.UID, e.GID, e.Stored, e.Type, e.Kind))
	}
	for _, f := range es.Captured {
		out = append(out, fmt.Sprintf("captured %s %d %d %q", f.Path, f.Entry, f.Size, f.Kept))
	}
	return append(out, fmt.Sprint("size ", es.Size()))
}

func TestEntriesRoundTrip(t *testing.T) {
	inputs := sparseTars(t)
	inputs["small files"] = smallFilesTar(t, 500)
	for name, data := range inputs {
		es := entriesOf(t, data)
		enc, err := es.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnmarshalEntries(enc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(flat(got), flat(es)) {
			t.Errorf("%s: decoded entries differ:\n%v\n%v", name, flat(got), flat(es))
		}
		// Every truncation and every changed byte is refused.
		for i := range enc {
			if _, err := UnmarshalEntries(enc[:i]); err == nil {
				t.Fatalf("%s: %d of %d bytes decoded", name, i, len(enc))
			}
			if i%7 == 0 {
				bad := bytes.Clone(enc)
				bad[i] ^= 0x40
				if _, err := UnmarshalEntries(bad); err == nil {
					t.Fatalf("%s: a change at byte %d went unnoticed", name, i)
				}
			}
		}
	}
}

func FuzzUnmarshalEntries(f *testing.F) {
	es := entriesOf(f, smallFilesTar(f, 3))
	enc, err := es.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := UnmarshalEntries(data)
		if err != nil {
			return
		}
		again, err := es.MarshalBinary()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("decoded entries encode to other bytes: %v", err)
		}
	})
}

// BenchmarkUnmarshalEntries decodes a cached layer of 50,000 small files:
// the work a run with every layer in the layer cache does instead of
// reading the layer. (Nothing captured: a layer keeps few files' bytes.)
func BenchmarkUnmarshalEntries(b *testing.B) {
	es, err := NewParser().Parse(context.Background(), bytes.NewReader(smallFilesTar(b, 50_000)))
	if err != nil {
		b.Fatal(err)
	}
	enc, err := es.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := UnmarshalEntries(enc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEntryLayout: a parsed entry waits in memory until its layer is
// stacked, up to a quarter of a million of them; its fields are ordered to
// take 64 bytes, not 72.
func TestEntryLayout(t *testing.T) {
	if s := unsafe.Sizeof(Entry{}); s > 64 {
		t.Errorf("an Entry takes %d bytes, more than 64", s)
	}
}
